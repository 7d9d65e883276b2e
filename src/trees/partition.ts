/**
 * A split's stable partition of a leaf's row range: rows whose bin goes left first, then the others,
 * each side in its previous order. In blocks: each block [from, to) moves its left rows to its own
 * front in place and its right rows to scratch[from ..] (branch-free: each row is written to both
 * sides and only the side it belongs to advances); then the blocks' sides are joined in block
 * order, which gives the one-pass result, so blocks may run on different threads.
 */

/** Partitions rows[from .. to) in place (left rows) and into scratch[from ..] (right rows); returns the left count. */
export function partitionBlock(rows: Int32Array, scratch: Int32Array, col: Uint8Array, goLeft: Uint8Array, from: number, to: number): number {
  let nl = 0;
  let nr = 0;
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    const l = goLeft[col[r]!]!;
    rows[from + nl] = r;
    scratch[from + nr] = r;
    nl += l;
    nr += 1 - l;
  }
  return nl;
}

/** Joins the partitioned blocks starting at `blockStart` (the last one ending at `end`), whose left counts are `lefts`; returns the total left count. */
export function joinBlocks(rows: Int32Array, scratch: Int32Array, blockStart: number[], end: number, lefts: ArrayLike<number>): number {
  const start = blockStart[0]!;
  let nl = 0;
  // Left rows move down, block after block: a block's target never reaches past its own rows.
  for (let b = 0; b < blockStart.length; b++) {
    if (b > 0) rows.copyWithin(start + nl, blockStart[b]!, blockStart[b]! + lefts[b]!);
    nl += lefts[b]!;
  }
  let at = start + nl;
  for (let b = 0; b < blockStart.length; b++) {
    const [from, to] = [blockStart[b]!, b + 1 < blockStart.length ? blockStart[b + 1]! : end];
    const nr = to - from - lefts[b]!;
    rows.set(scratch.subarray(from, from + nr), at);
    at += nr;
  }
  return nl;
}

/** The one-block partition of rows[start .. end); `scratch` at least `end` long. Returns the left count. */
export function partition(rows: Int32Array, scratch: Int32Array, col: Uint8Array, goLeft: Uint8Array, start: number, end: number): number {
  const nl = partitionBlock(rows, scratch, col, goLeft, start, end);
  rows.set(scratch.subarray(start, start + (end - start - nl)), start + nl);
  return nl;
}
