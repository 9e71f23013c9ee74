// Writing into a draft (an Ignition config being built): generated entries are appended together
// with their provenance, and filesystem nodes are looked up by path across files, directories and
// links (one namespace in Ignition).
import type { Draft, Obj, Path } from '../butane/tree.js';
import type { SourceMap } from './provenance.js';

export type Section = 'storage' | 'systemd';
type Part<S extends Section> = NonNullable<Draft[S]>;
/** The list fields of a section (`files`, `units`, ...). */
export type ListOf<S extends Section> = { [K in keyof Part<S>]-?: NonNullable<Part<S>[K]> extends unknown[] ? K : never }[keyof Part<S>];
export type EntryOf<S extends Section, L extends ListOf<S>> = NonNullable<Part<S>[L]> extends (infer T)[] ? T : never;

/**
 * Appends a generated entry to `config[section][list]`, creating what is missing, and records the
 * entry (and the containers it created) as coming from `src`. Returns the entry's index.
 */
export function addEntry<S extends Section, L extends ListOf<S>>(
  config: Draft,
  sources: SourceMap,
  section: S,
  list: L,
  entry: EntryOf<S, L>,
  src: Path,
): number {
  // The one place that indexes a draft by names; the signature keeps the entry's type right.
  const sec = (config[section] ??= {}) as Obj;
  sources.fill([section], src);
  const entries = (sec[list as string] ??= []) as unknown[];
  sources.fill([section, list as string], src);
  sources.generated([section, list as string, entries.length], entry, src);
  entries.push(entry);
  return entries.length - 1;
}

export type NodeList = 'files' | 'directories' | 'links';

/** The draft's entries of one node list (none when absent). */
export function nodes<L extends NodeList>(draft: Draft, list: L): NonNullable<NonNullable<Draft['storage']>[L]> {
  return draft.storage?.[list] ?? [];
}

/** True when a file, directory or link of the draft has this path. */
export function pathTaken(draft: Draft, path: string, lists: readonly NodeList[] = ['files', 'directories', 'links']): boolean {
  return lists.some((l) => nodes(draft, l).some((e) => e.path === path));
}
