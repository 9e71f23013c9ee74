// Tables the programs parse an entry at a time. The build stores each entry of such a table as
// JSON text (scripts/build.mjs, JSON_DATA `entries`): a run parses only the entries it reads. In
// the source, the entries are the values themselves.

/** A reader of `table`'s entries, by name (undefined for a name that is none). Entries are objects. */
export function entryReader<T extends object>(table: Record<string, T>): (name: string) => T | undefined {
  const parsed = new Map<string, T>();
  return (name) => {
    let value = parsed.get(name);
    if (value === undefined) {
      if (!Object.hasOwn(table, name)) return undefined;
      const entry: T | string = table[name];
      value = typeof entry === 'string' ? (JSON.parse(entry) as T) : entry;
      parsed.set(name, value);
    }
    return value;
  };
}
