// Building config paths (and YAML paths) one segment at a time, on every path a config goes
// through. Each helper makes one array of the final length: `[...path, key]` grows its literal
// after copying (twice the allocation in a cold run, where a cold transpile must stay inside the
// young generation), and `path.concat(key)` is several times slower once V8 optimizes the caller.

/** `path` with one or two more segments. */
export function childPath<T>(path: readonly T[], a: T, b?: T): T[] {
  const n = path.length;
  const out = new Array<T>(b === undefined ? n + 1 : n + 2);
  for (let i = 0; i < n; i++) out[i] = path[i];
  out[n] = a;
  if (b !== undefined) out[n + 1] = b;
  return out;
}

/** `head` followed by `tail`. */
export function joinPath<T>(head: readonly T[], tail: readonly T[]): T[] {
  const out = new Array<T>(head.length + tail.length);
  for (let i = 0; i < head.length; i++) out[i] = head[i];
  for (let i = 0; i < tail.length; i++) out[head.length + i] = tail[i];
  return out;
}
