// Turns parsed JSON into the canonical config of one spec version, the way Go's encoding/json fills
// Ignition's structs: keys match case-insensitively, unknown keys are dropped (and reported as
// warnings, as Ignition's unused-key pass does), nulls mean "absent". It remembers the raw key for
// every canonical one so diagnostics can point at the text the user wrote.
import type { ConfigPath, Diagnostic } from '../diag/diagnostic.js';
import { ROOT, type FieldDef, type TypeRef } from '../model/spec.js';
import { fieldsAt, isGoPointer, isList, lookupField, refOf } from '../model/view.js';
import { compareVersions, VERSIONS, type Version } from '../model/versions.js';
import { closest, misplacedKeyHint, type KeyPlace } from '../diag/suggest.js';
import { childPath } from '../diag/config-path.js';

export interface Decoded {
  config: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** Raw (as written) path for a canonical path. */
  rawPath(path: ConfigPath): ConfigPath;
}

type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function decode(raw: unknown, version: Version): Decoded {
  const diagnostics: Diagnostic[] = [];
  /** canonical object → (canonical key → raw key), only where they differ */
  const renamed = new WeakMap<object, Map<string, string>>();

  /** Fields of the objects being decoded, outermost first. */
  const enclosing: Map<string, FieldDef>[] = [];
  const place = (fields: Map<string, FieldDef>, val: Obj, path: ConfigPath): KeyPlace => {
    const children = [...fields.entries()].flatMap(([name, f]) => {
      const ref = refOf(f.type);
      return ref ? [{ field: name, keys: fieldsAt(ref, version, f.later), list: isList(f.type) }] : [];
    });
    const up = enclosing[enclosing.length - 2];
    const field = [...path].reverse().find((s): s is string => typeof s === 'string');
    return { children, present: (name) => name in val, parent: up && field ? { keys: up, field } : undefined };
  };

  const decodeObject = (val: unknown, objName: string, later: Record<string, Version> | undefined, path: ConfigPath): unknown => {
    if (!isObj(val)) return val; // wrong type: kept so the type check reports it
    const fields = fieldsAt(objName, version, later);
    enclosing.push(fields);
    try {
      return decodeFields(val, fields, objName, later, path);
    } finally {
      enclosing.pop();
    }
  };

  const decodeFields = (val: Obj, fields: Map<string, FieldDef>, objName: string, later: Record<string, Version> | undefined, path: ConfigPath): Obj => {
    const out: Obj = {};
    for (const key of Object.keys(val)) {
      const m = lookupField(fields, key);
      if (!m || !m.exact) {
        // Go fills a mis-cased field but Ignition still reports the key as unused.
        const hint = unusedKeyHint(key, m?.name, fields, objName, version, later) ?? (m ? undefined : misplacedKeyHint(key, place(fields, val, path)));
        diagnostics.push({ severity: 'warning', code: 'unused-key', message: `unused key ${key}`, path: childPath(path, key), hint });
        if (!m) continue;
        let map = renamed.get(out);
        if (!map) renamed.set(out, (map = new Map()));
        map.set(m.name, key);
      }
      const v = val[key];
      const f = fields.get(m.name)!;
      if (v === null) {
        delete out[m.name];
        if (typeof f.type === 'object' && 'ref' in f.type && !isGoPointer(f, version)) nullObject(childPath(path, m.name));
        continue;
      }
      out[m.name] = decodeValue(v, f.type, f.later, childPath(path, m.name));
    }
    return out;
  };

  // Ignition compares the decoded config with the JSON tree: where it holds a null for an object
  // that Go keeps as an empty value, it warns (and stops looking for unused keys there).
  const nullObject = (path: ConfigPath) =>
    diagnostics.push({
      severity: 'warning',
      code: 'null-object',
      message: `${nameOf(path)} is null where an object is expected; Ignition reads it as empty and warns that it cannot line the config up with the JSON here`,
      path,
      hint: 'remove the null entry, or write {}',
    });

  const decodeValue = (v: unknown, t: TypeRef, later: Record<string, Version> | undefined, path: ConfigPath): unknown => {
    if (typeof t === 'string') return v;
    if ('ref' in t) return decodeObject(v, t.ref, later, path);
    if (!Array.isArray(v)) return v;
    // A null list item becomes the zero value of the item type, as in Go.
    return v.map((item, idx) => {
      if (item === null && typeof t.list === 'object' && 'ref' in t.list) nullObject(childPath(path, idx));
      return decodeValue(item === null ? zero(t.list) : item, t.list, later, childPath(path, idx));
    });
  };

  const config = decodeObject(raw, ROOT, undefined, []) as Obj;

  const rawPath = (path: ConfigPath): ConfigPath => {
    const out: ConfigPath = [];
    let cur: unknown = config;
    for (const seg of path) {
      if (typeof seg === 'string' && isObj(cur)) {
        out.push(renamed.get(cur)?.get(seg) ?? seg);
        cur = cur[seg];
      } else {
        out.push(seg);
        cur = Array.isArray(cur) ? cur[seg as number] : undefined;
      }
    }
    return out;
  };

  return { config, diagnostics, rawPath };
}

/** `storage`, or `item 2 of files` for a list entry. */
const nameOf = (path: ConfigPath): string => {
  const last = path[path.length - 1];
  return typeof last === 'number' ? `item ${last} of ${String(path[path.length - 2])}` : String(last);
};

/** Why a key is unused and what was probably meant, as for Butane YAML. */
function unusedKeyHint(
  key: string,
  caseMatch: string | undefined,
  fields: Map<string, unknown>,
  objName: string,
  version: Version,
  later: Record<string, Version> | undefined,
): string | undefined {
  if (caseMatch) return `keys are case-sensitive: write \`${caseMatch}\``;
  const since = VERSIONS.find((v) => compareVersions(v, version) > 0 && fieldsAt(objName, v, later).has(key));
  if (since) return `\`${key}\` needs spec ${since} or later; this config is ${version}`;
  const near = closest(key, fields.keys());
  return near ? `did you mean \`${near}\`?` : undefined;
}

function zero(t: TypeRef): unknown {
  if (t === 'string') return '';
  if (t === 'integer') return 0;
  if (t === 'boolean') return false;
  if (typeof t === 'object' && 'list' in t) return [];
  return {};
}
