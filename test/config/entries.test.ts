// Tables read an entry at a time: the same entries whether the table holds them as objects (the
// source) or as JSON text (the programs, scripts/build.mjs JSON_DATA `entries`).
import { describe, expect, it } from 'vitest';
import { entryReader } from '../../src/model/entries.js';
import { objectDef, objectNames } from '../../src/model/spec.js';

const TABLE: Record<string, { n: number; list: string[] }> = { a: { n: 1, list: ['x'] }, b: { n: 2, list: [] } };
const asText = (t: Record<string, object>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, JSON.stringify(v)]));

describe('entryReader', () => {
  it('gives the entries of a table of objects as they are', () => {
    const read = entryReader(TABLE);
    expect(read('a')).toBe(TABLE.a);
    expect(read('b')).toBe(TABLE.b);
  });

  it('parses an entry held as JSON text once, at its first read', () => {
    const read = entryReader(asText(TABLE) as unknown as typeof TABLE);
    const first = read('a');
    expect(first).toEqual(TABLE.a);
    expect(read('a')).toBe(first);
    expect(read('b')).toEqual(TABLE.b);
  });

  it('knows no name the table does not hold, inherited ones included', () => {
    for (const read of [entryReader(TABLE), entryReader(asText(TABLE) as unknown as typeof TABLE)])
      for (const name of ['c', '', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(read(name)).toBeUndefined();
  });
});

describe('the model read an object at a time', () => {
  it('has each of its objects under its own name, and no other', () => {
    expect(objectNames()).toHaveLength(32);
    for (const name of objectNames()) expect(objectDef(name)?.title).toBe(name);
    expect(objectDef('constructor')).toBeUndefined();
  });
});
