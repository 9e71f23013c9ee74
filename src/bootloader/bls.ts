// Kernel arguments in Boot Loader Specification entries (`/loader/entries/*.conf` on the boot
// partition): the `options` line, edited the way Ignition's kargs contract asks. Pure.

/** Splits an options line into arguments; double quotes group (`foo="a b"` is one argument). */
export function splitArgs(line: string): string[] {
  return [...line.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => m[0]);
}

function indexOfSeq(args: readonly string[], seq: readonly string[]): number {
  if (seq.length === 0) return -1;
  for (let i = 0; i + seq.length <= args.length; i++) if (seq.every((s, j) => args[i + j] === s)) return i;
  return -1;
}

/**
 * Appends each `shouldExist` argument (a multi-word entry is one sequence) that is not there yet,
 * in order, and removes every occurrence of each `shouldNotExist` one. Returns the new arguments.
 */
export function editArgs(args: readonly string[], shouldExist: readonly string[], shouldNotExist: readonly string[]): string[] {
  let out = [...args];
  for (const a of shouldNotExist) {
    const seq = splitArgs(a);
    for (let i = indexOfSeq(out, seq); i >= 0; i = indexOfSeq(out, seq)) out = [...out.slice(0, i), ...out.slice(i + seq.length)];
  }
  for (const a of shouldExist) {
    const seq = splitArgs(a);
    if (indexOfSeq(out, seq) < 0) out.push(...seq);
  }
  return out;
}

/** Rewrites the `options` line of one entry; null when nothing changes. */
export function editEntry(text: string, shouldExist: readonly string[], shouldNotExist: readonly string[]): string | null {
  return rewriteOptions(text, (current) => editArgs(current, shouldExist, shouldNotExist));
}

/**
 * Sets `key=value` in one entry: the first `key=...` (or bare `key`) is replaced where it stands,
 * later ones are dropped, and the argument is appended when absent. Null when nothing changes.
 */
export function setArgInEntry(text: string, key: string, value: string): string | null {
  const isKey = (a: string) => a === key || a.startsWith(`${key}=`);
  const arg = `${key}=${value}`;
  return rewriteOptions(text, (current) => {
    const first = current.findIndex(isKey);
    return first < 0 ? [...current, arg] : current.flatMap((a, i) => (i === first ? [arg] : isKey(a) ? [] : [a]));
  });
}

/** The arguments of an entry's `options` line. */
export function entryArgs(text: string): string[] {
  const line = text.split('\n').find((l) => /^options(\s|$)/.test(l));
  return line === undefined ? [] : splitArgs(line.replace(/^options\s*/, ''));
}

/** Applies `edit` to the options line's arguments (adding the line when absent); null when unchanged. */
function rewriteOptions(text: string, edit: (current: string[]) => string[]): string | null {
  const lines = text.split('\n');
  let idx = lines.findIndex((l) => /^options(\s|$)/.test(l));
  const current = entryArgs(text);
  const next = edit(current);
  if (next.length === current.length && next.every((a, i) => a === current[i])) return null;
  const line = `options ${next.join(' ')}`.trimEnd();
  if (idx < 0) {
    idx = lines.length && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
    lines.splice(idx, 0, line);
  } else lines[idx] = line;
  return lines.join('\n');
}
