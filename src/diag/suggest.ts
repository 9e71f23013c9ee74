// Typo suggestions for diagnostics ("did you mean `contents`?"), for every reader.

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  // Two rows, swapped: a new (growing) array per character of `a` was the largest part of what a
  // cold lint allocated.
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length];
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  for (const c of candidates) {
    const d = norm(c) === norm(word) ? 0 : levenshtein(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && bestD <= limit ? best : undefined;
}

/** What a decoder knows about where an unknown key was found, for `misplacedKeyHint`. */
export interface KeyPlace {
  /** The fields of the object the key was found in, with the keys of the object each one holds. */
  children: Iterable<{ field: string; keys: ReadonlySet<string> | ReadonlyMap<string, unknown>; list: boolean }>;
  /** Whether the node as written has this field. */
  present: (field: string) => boolean;
  /** The keys of the enclosing object and the field this object sits under, when there is one. */
  parent?: { keys: ReadonlySet<string> | ReadonlyMap<string, unknown>; field: string };
}

/**
 * A key written one level too high or too low: `inline` beside `path` belongs under `contents`;
 * `mode` under `contents` belongs one level up. Undefined when the key fits neither.
 */
export function misplacedKeyHint(key: string, place: KeyPlace): string | undefined {
  const under = [...place.children].filter((c) => c.keys.has(key)).sort((a, b) => Number(a.list) - Number(b.list))[0];
  if (under) {
    // A file with `inline` beside its path has no contents at all: say so, the file would be empty.
    const empty = under.field === 'contents' && !place.present('contents') ? '; as written, this file gets no contents' : '';
    return `\`${key}\` belongs under \`${under.field}\`${empty}`;
  }
  if (place.parent?.keys.has(key)) return `\`${key}\` belongs one level up, beside \`${place.parent.field}\``;
  return undefined;
}
