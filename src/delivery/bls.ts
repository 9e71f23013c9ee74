// Boot Loader Specification entries (`loader/entries/*.conf` on the boot filesystem): the
// `options` line is the kernel command line a BLS boot loader passes. Pure text editing.

/** Sets `key=value` in an entry's options line: replaces every existing `key=...`, or appends. */
export function setOption(entry: string, key: string, value: string): { text: string; changed: boolean } {
  const lines = entry.split('\n');
  const i = lines.findIndex((l) => /^options(\s|$)/.test(l));
  const arg = `${key}=${value}`;
  if (i < 0) {
    const at = lines.at(-1) === '' ? lines.length - 1 : lines.length;
    lines.splice(at, 0, `options ${arg}`);
    return { text: lines.join('\n'), changed: true };
  }
  // The first occurrence is replaced in place (a diff then shows only the value), others dropped.
  const words = lines[i].replace(/^options\s*/, '').split(/\s+/).filter(Boolean);
  const isKey = (w: string) => w === key || w.startsWith(key + '=');
  const first = words.findIndex(isKey);
  const next = first < 0 ? [...words, arg] : words.flatMap((w, k) => (k === first ? [arg] : isKey(w) ? [] : [w]));
  const line = `options ${next.join(' ')}`;
  if (line === lines[i]) return { text: entry, changed: false };
  lines[i] = line;
  return { text: lines.join('\n'), changed: true };
}

/** The options line's words, for display and tests. */
export function options(entry: string): string[] {
  const line = entry.split('\n').find((l) => /^options(\s|$)/.test(l));
  return line ? line.replace(/^options\s*/, '').split(/\s+/).filter(Boolean) : [];
}
