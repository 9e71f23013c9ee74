// ASCII character classes as lookup tables, for checks of a few characters each (a URL's scheme,
// host and escapes): V8 compiles a regular expression at its first use in a process, tens of
// thousands of instructions, more than such a check costs by hand. A long text (a data URL's
// data) is still scanned by a pattern, which runs many times faster than a loop that runs once.
// Pure.

/** A class of ASCII characters: `a-z` is a range, any other character itself (a `-` first or last). */
export type CharClass = Uint8Array;

export function charClass(spec: string): CharClass {
  const table = new Uint8Array(128);
  for (let i = 0; i < spec.length; i++) {
    const from = spec.charCodeAt(i);
    const to = spec[i + 1] === '-' && i + 2 < spec.length ? spec.charCodeAt((i += 2)) : from;
    for (let c = from; c <= to; c++) table[c] = 1;
  }
  return table;
}

/** Whether the UTF-16 unit `c` is in `cls` (never for a non-ASCII one). */
export function inClass(cls: CharClass, c: number): boolean {
  return c < 128 && cls[c] === 1;
}

/** Whether every character of `s` from `start` to `end` is in `cls`. */
export function allIn(cls: CharClass, s: string, start = 0, end = s.length): boolean {
  for (let i = start; i < end; i++) if (!inClass(cls, s.charCodeAt(i))) return false;
  return true;
}

export const DIGITS = charClass('0-9');
export const HEX_DIGITS = charClass('0-9A-Fa-f');
