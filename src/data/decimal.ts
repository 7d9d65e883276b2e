/**
 * The common numbers of a data file, read exactly without `Number()`'s general conversion, which is
 * several times slower on them.
 */

/** Exact powers of ten: 10^k for k ≤ 22 is a double without rounding. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * `-ddd.ddd` with at most 15 digits, or NaN for anything else (then `+text` decides). Such a number is
 * its digits as an integer, exact below 2^53, divided by an exact power of ten: one correctly rounded
 * division, so the same double as `+text`, about 3× faster on a file's short decimals.
 */
export function parseDecimal(text: string): number {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0;
  let scale = -1;
  let m = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d >= 0 && d <= 9) {
      m = m * 10 + d;
      digits++;
    } else if (d === -2 && scale < 0) {
      scale = digits;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || digits > 15) return NaN;
  const x = scale < 0 ? m : m / POW10[digits - scale];
  return text.charCodeAt(0) === 45 ? -x : x;
}
