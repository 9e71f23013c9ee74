// Text in a fixed order, by UTF-16 code unit: the order Go's string comparison gives for what our
// outputs sort (ASCII keys and names), and the same on every machine. Not localeCompare: its first
// call starts ICU's collator, about as costly as Node's own start-up, and its order follows a locale.

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
