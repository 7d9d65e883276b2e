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

export function jsonDepthExceeds(text: string, max: number): boolean {
  if (openersUpTo(text, max) <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}
