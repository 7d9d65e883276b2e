/**
 * The nesting depth of a JSON text, counted without parsing it, so a body of a million '[' is refused
 * before JSON.parse or anything after it walks it.
 */

/** How many '{' and '[' the text holds, stopping past `max`: fewer openers than the limit cannot nest past it. */
function openersUpTo(text: string, max: number): number {
  let n = 0;
  for (const c of ['{', '[']) for (let i = text.indexOf(c); i >= 0 && n <= max; i = text.indexOf(c, i + 1)) n++;
  return n;
}

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let n = 0;
  while (text.charCodeAt(at - 1 - n) === 92) n++;
  return n % 2 === 1;
}

export function jsonDepthExceeds(text: string, max: number): boolean {
  if (openersUpTo(text, max) <= max) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string is skipped to its closing quote in one search: most of a body's characters are in strings.
      let end = text.indexOf('"', i + 1);
      while (end > 0 && escaped(text, end)) end = text.indexOf('"', end + 1);
      if (end < 0) return false;
      i = end;
    } else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}
