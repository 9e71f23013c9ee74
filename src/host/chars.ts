// ASCII character tests by comparison, for checks of a few characters each (a URL's scheme, host
// and escapes, a version's digits, a unit name's bytes): V8 compiles a regular expression at its first use in a process, tens of thousands
// of instructions, more than such a check costs by hand (and a lookup table would cost building at
// every start). A long text (a data URL's data) is still scanned by a pattern, which runs many
// times faster than a loop that runs once. Each takes a UTF-16 unit (charCodeAt; NaN past the
// end, which no test accepts). Pure.

/** 0-9 */
export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** A-Z a-z (setting bit 0x20 lowercases exactly the capitals) */
export const isLetter = (c: number): boolean => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;

/** 0-9 A-F a-f */
export const isHexDigit = (c: number): boolean => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);

/** Whether `s` from `start` to `end` is digits only (or empty). */
export function allDigits(s: string, start = 0, end = s.length): boolean {
  for (let i = start; i < end; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}
