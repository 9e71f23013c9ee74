// Tables the programs parse an entry at a time. The build stores each entry of such a table as
// JSON text (scripts/build.mjs, JSON_DATA `entries`): a run parses only the entries it reads. In
// the source, the entries are the values themselves.

/**
 * A reader of `table`'s entries, by name (undefined for a name that is none). Entries are objects.
 * `revive` makes the value a reader gives of an entry as the table holds it, the source's object or
 * the build's parsed JSON, once per entry.
 */
export function entryReader<S extends object, T extends object = S>(table: Record<string, S>, revive?: (entry: S) => T): (name: string) => T | undefined {
  const parsed = new Map<string, T>();
  return (name) => {
    let value = parsed.get(name);
    if (value === undefined) {
      if (!Object.hasOwn(table, name)) return undefined;
      const entry: S | string = table[name];
      const held = typeof entry === 'string' ? (JSON.parse(entry) as S) : entry;
      value = revive ? revive(held) : (held as unknown as T);
      parsed.set(name, value);
    }
    return value;
  };
}
