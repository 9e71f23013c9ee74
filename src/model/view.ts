// Version-specific views of the config model: which fields an object has at a given spec version.
import { objectDef, type FieldDef, type ObjectDef, type TypeRef } from './spec.js';
import { inRange, type Version } from './versions.js';

// Hot path of decoding and validation: cached per (`later` table identity, version, object).
const NO_LATER = {};
const cache = new WeakMap<object, Map<Version, Map<string, Map<string, FieldDef>>>>();

/** Fields of `objName` at version `v`; `later` drops fields that this use only gains in a later version. */
export function fieldsAt(objName: string, v: Version, later?: Record<string, Version>): Map<string, FieldDef> {
  const owner = later ?? NO_LATER;
  let byVersion = cache.get(owner);
  if (!byVersion) cache.set(owner, (byVersion = new Map()));
  let byObject = byVersion.get(v);
  if (!byObject) byVersion.set(v, (byObject = new Map()));
  const known = byObject.get(objName);
  if (known) return known;
  const out = new Map<string, FieldDef>();
  // forEach, not for-of: a cold loop over [name, f] pairs allocates some 240 bytes a field.
  object(objName).fields.forEach((f, name) => {
    if (!inRange(v, f.since, f.until)) return;
    const laterSince = later?.[name];
    if (laterSince && !inRange(v, laterSince)) return;
    out.set(name, f);
  });
  byObject.set(objName, out);
  return out;
}

export function object(name: string): ObjectDef {
  const o = objectDef(name);
  if (!o) throw new Error(`model: unknown object ${name}`);
  return o;
}

/** The object a field (or its list items) refers to, if any. */
export function refOf(t: TypeRef): string | undefined {
  if (typeof t === 'string') return undefined;
  if ('ref' in t) return t.ref;
  return refOf(t.list);
}

export function isList(t: TypeRef): t is { list: TypeRef } {
  return typeof t === 'object' && 'list' in t;
}

/** Fields whose names differ only in case are matched the way Go's encoding/json does. */
export function lookupField(fields: Map<string, FieldDef>, key: string): { name: string; exact: boolean } | undefined {
  if (fields.has(key)) return { name: key, exact: true };
  const lower = key.toLowerCase();
  for (const name of fields.keys()) if (name.toLowerCase() === lower) return { name, exact: false };
  return undefined;
}

/** The field is a plain Go string at version `v`: Butane writes it even when unset. */
export function isGoValue(f: FieldDef, v: Version): boolean {
  return !!f.go && 'value' in f.go && (!f.go.until || !inRange(v, f.go.until));
}

/** The field is an object held by a Go pointer at version `v`: null leaves it unset, not empty. */
export function isGoPointer(f: FieldDef, v: Version): boolean {
  return !!f.go && 'pointer' in f.go && !inRange(v, f.go.until);
}
