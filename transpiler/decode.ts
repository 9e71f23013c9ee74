// Typed decode of the YAML node tree into a plain object, following the Butane view of the model.
// Scalars are resolved the way Go's yaml.v3 fills Butane's structs (legacy octal `0644`, `0o644`,
// `0x1a4`; yes/no/on/off into booleans; any scalar into a string), nulls mean "absent". Unknown keys
// are warnings with a suggestion; type errors, duplicate keys and alias abuse are errors. Every
// decoded value remembers where it came from, so any later phase can point at the YAML.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as YNode, type Pair, type Scalar as YScalar } from 'yaml';
import type { Diagnostic } from '../src/diag/diagnostic.js';
import { butaneObject, type BObj, type BType } from './model.js';
import type { VariantSpec } from './variants.js';
import type { Locator } from './yaml.js';
import { suggestKey } from './hints.js';

export type Path = (string | number)[];
export type Obj = Record<string, unknown>;

export interface Origin {
  /** The path as written in the YAML (snake_case keys, YAML list indices). */
  yamlPath: Path;
  /** Offsets of the key (map members) and of the value. */
  key?: [number, number];
  value: [number, number];
}

/** Positions of decoded values, keyed by decoded path. */
export class Origins {
  private readonly map = new Map<string, Origin>();
  static key(path: Path): string {
    return path.join('\u001f');
  }
  set(path: Path, o: Origin): void {
    this.map.set(Origins.key(path), o);
  }
  get(path: Path): Origin | undefined {
    return this.map.get(Origins.key(path));
  }
  /** The origin of the path, or of its nearest decoded ancestor. */
  nearest(path: Path): { origin: Origin; exact: boolean } | undefined {
    for (let n = path.length; n >= 0; n--) {
      const o = this.map.get(Origins.key(path.slice(0, n)));
      if (o) return { origin: o, exact: n === path.length };
    }
    return undefined;
  }
}

export interface Decoded {
  value: Obj;
  origins: Origins;
  diagnostics: Diagnostic[];
  /** Decoded paths whose value was rejected; later phases stay quiet about them. */
  failed: Set<string>;
}

// Bounds alias expansion (billion laughs): decoding visits at most this many nodes through aliases.
const MAX_ALIAS_NODES = 100_000;
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['true', 'True', 'TRUE', 'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSE = new Set(['false', 'False', 'FALSE', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const STR_TAG = 'tag:yaml.org,2002:str';

const describe = (t: BType): string =>
  typeof t === 'string' ? (t === 'integer' ? 'an integer' : t === 'boolean' ? 'a boolean' : 'a string') : 'list' in t ? 'a list' : 'a mapping';

/** Go's strconv.ParseInt(s, 0, 64) after yaml.v3 drops underscores, plus integral floats. */
export function parseYamlInt(src: string): number | undefined {
  const t = src.replace(/_/g, '');
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(t);
  if (m) {
    const body = m[2];
    let n: number;
    if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16);
    else if (/^0[oO]/.test(body)) n = parseInt(body.slice(2), 8);
    else if (/^0[bB]/.test(body)) n = parseInt(body.slice(2), 2);
    else if (body.length > 1 && body[0] === '0') n = parseInt(body.slice(1), 8);
    else n = parseInt(body, 10);
    return m[1] === '-' ? -n : n;
  }
  if (/^[-+]?[0-9]+(\.0*)?([eE][+]?[0-9]+)?$/.test(t)) {
    const f = Number(t);
    if (Number.isSafeInteger(f)) return f;
  }
  return undefined;
}

export function decodeButane(doc: Document.Parsed, spec: VariantSpec, loc: Locator): Decoded {
  const diagnostics: Diagnostic[] = [];
  const origins = new Origins();
  const failed = new Set<string>();
  let aliasBudget = MAX_ALIAS_NODES;
  let aliasDepth = 0;
  let aliasReported = false;
  const active = new Set<YNode>();

  const err = (code: string, message: string, range: [number, number], yamlPath: Path, hint?: string, severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push({ severity, code, message, path: yamlPath, source: loc.span(range[0], range[1]), hint });

  const rangeOf = (n: YNode | null | undefined, fallback: [number, number]): [number, number] =>
    n && n.range ? [n.range[0], n.range[1]] : fallback;

  /** Follows aliases, charging the expansion budget. Undefined when the budget or a cycle stops it. */
  const deref = (n: unknown, yamlPath: Path, at: [number, number]): YNode | null | undefined => {
    let cur = n as YNode | null;
    let hops = 0;
    while (cur && isAlias(cur)) {
      const target = cur.resolve(doc) as YNode | undefined;
      if (!target || ++hops > 100) {
        err('yaml-alias', `unknown or circular alias *${cur.source}`, rangeOf(cur, at), yamlPath);
        return undefined;
      }
      cur = target;
    }
    return cur;
  };

  const charge = (n: YNode, yamlPath: Path, at: [number, number]): boolean => {
    if (aliasDepth === 0) return true;
    if (--aliasBudget >= 0) return true;
    if (!aliasReported) {
      aliasReported = true;
      err('yaml-alias-limit', 'aliases expand to too many nodes (possible alias bomb)', rangeOf(n, at), yamlPath);
    }
    return false;
  };

  const decodeValue = (raw: unknown, type: BType, path: Path, yamlPath: Path, keyRange: [number, number] | undefined, fieldEnum?: readonly string[]): unknown => {
    const fallback: [number, number] = keyRange ?? [0, 0];
    const viaAlias = isAlias(raw);
    const node = deref(raw, yamlPath, fallback);
    if (node === undefined) {
      failed.add(Origins.key(path));
      return undefined;
    }
    const range = rangeOf(node, fallback);
    origins.set(path, { yamlPath, key: keyRange, value: viaAlias ? rangeOf(raw as YNode, range) : range });
    if (node === null) return undefined;
    if (viaAlias) aliasDepth++;
    try {
      if (!charge(node, yamlPath, range)) {
        failed.add(Origins.key(path));
        return undefined;
      }
      if (active.has(node)) {
        err('yaml-alias', 'an alias refers to a node that contains it', range, yamlPath);
        failed.add(Origins.key(path));
        return undefined;
      }
      active.add(node);
      try {
        return decodeNode(node, type, path, yamlPath, range, fieldEnum);
      } finally {
        active.delete(node);
      }
    } finally {
      if (viaAlias) aliasDepth--;
    }
  };

  const typeError = (node: YNode, type: BType, path: Path, yamlPath: Path, range: [number, number]) => {
    const got = isMap(node) ? 'a mapping' : isSeq(node) ? 'a list' : `\`${String((node as YScalar).source ?? (node as YScalar).value)}\``;
    const name = yamlPath.length ? String(yamlPath[yamlPath.length - 1]) : 'the config';
    let hint: string | undefined;
    if (type === 'boolean') hint = 'use true or false';
    else if (type === 'integer' && isScalar(node) && typeof node.value === 'string' && /^0?[0-7]{3,4}$/.test(node.value)) hint = 'remove the quotes: an octal mode is written 0644';
    else if (typeof type === 'object' && 'list' in type && !isSeq(node)) hint = 'start each list item with `- `';
    err('yaml-type', `${name} must be ${describe(type)}, not ${got}`, range, yamlPath, hint);
    failed.add(Origins.key(path));
    return undefined;
  };

  function decodeNode(node: YNode, type: BType, path: Path, yamlPath: Path, range: [number, number], fieldEnum?: readonly string[]): unknown {
    if (typeof type === 'string') {
      if (!isScalar(node)) return typeError(node, type, path, yamlPath, range);
      const text = node.source ?? (node.value === null ? '' : String(node.value));
      const plain = node.type === 'PLAIN' || node.type === undefined;
      const tagged = node.tag === STR_TAG;
      if (plain && !tagged && (node.tag === undefined || node.tag === 'tag:yaml.org,2002:null') && NULLS.has(text)) return undefined;
      if (type === 'string') return text;
      if (type === 'boolean') {
        if (TRUE.has(text) && !(tagged && !plain)) return true;
        if (FALSE.has(text) && !(tagged && !plain)) return false;
        return typeError(node, type, path, yamlPath, range);
      }
      const n = plain && !tagged ? parseYamlInt(text) : undefined;
      if (n === undefined) return typeError(node, type, path, yamlPath, range);
      return n;
    }
    if ('list' in type) {
      if (isScalar(node) && node.type === 'PLAIN' && NULLS.has(String(node.source ?? ''))) return undefined;
      if (!isSeq(node)) return typeError(node, type, path, yamlPath, range);
      const out: unknown[] = [];
      node.items.forEach((item, j) => {
        const target = deref(item, [...yamlPath, j], range);
        const isNull = target === null || (isScalar(target) && target.type === 'PLAIN' && target.tag === undefined && NULLS.has(String(target.source ?? '')));
        if (isNull) {
          const r = rangeOf(item as YNode | null, range);
          err('null-list-item', `empty list item in ${String(yamlPath[yamlPath.length - 1])} is ignored`, r, [...yamlPath, j], 'remove the empty `-` entry or give it a value', 'warning');
          return;
        }
        const v = decodeValue(item, type.list, [...path, out.length], [...yamlPath, j], undefined);
        // A rejected scalar item is dropped (already reported); the next item reuses its decoded index.
        if (v === undefined) failed.delete(Origins.key([...path, out.length]));
        else out.push(v);
      });
      return out;
    }
    if ('map' in type) {
      if (isScalar(node) && node.type === 'PLAIN' && NULLS.has(String(node.source ?? ''))) return undefined;
      if (!isMap(node)) return typeError(node, type, path, yamlPath, range);
      const out: Obj = {};
      for (const pair of members(node, yamlPath, range)) {
        const k = keyString(pair, yamlPath, range);
        if (k === undefined) continue;
        const v = decodeValue(pair.value, type.map, [...path, k], [...yamlPath, k], rangeOf(pair.key as YNode, range));
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    if (isScalar(node) && node.type === 'PLAIN' && NULLS.has(String(node.source ?? ''))) return undefined;
    if (!isMap(node)) return typeError(node, type, path, yamlPath, range);
    return decodeObject(node, butaneObject(spec, type.obj, type.later), path, yamlPath, range);
  }

  const keyString = (pair: Pair, yamlPath: Path, at: [number, number]): string | undefined => {
    const k = deref(pair.key, yamlPath, at);
    if (k && isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number' || typeof k.value === 'boolean')) {
      return String(k.source ?? k.value);
    }
    err('yaml-key', 'mapping keys must be plain strings', rangeOf(k ?? null, at), yamlPath);
    return undefined;
  };

  /** The pairs of a mapping with `<<` merge keys expanded (explicit keys win, earlier merges win). */
  function members(node: YNode, yamlPath: Path, at: [number, number]): Pair[] {
    if (!isMap(node)) return [];
    const explicit: Pair[] = [];
    const merged: Pair[] = [];
    const seen = new Map<string, Pair>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const kn = pair.key as YNode | null;
      if (kn && isScalar(kn) && kn.source === '<<' && kn.type === 'PLAIN') {
        const v = deref(pair.value, yamlPath, at);
        const sources = v && isSeq(v) ? v.items.map((x) => deref(x, yamlPath, at)) : [v];
        for (const src of sources) {
          if (!src || !isMap(src)) {
            err('yaml-merge', 'a merge key (<<) needs a mapping or a list of mappings', rangeOf(src ?? (pair.value as YNode), at), yamlPath);
            continue;
          }
          if (isAlias(pair.value)) aliasDepth++;
          try {
            if (!charge(src, yamlPath, at)) continue;
            merged.push(...members(src, yamlPath, at));
          } finally {
            if (isAlias(pair.value)) aliasDepth--;
          }
        }
        continue;
      }
      const k = kn && isScalar(kn) ? String(kn.source ?? kn.value) : undefined;
      if (k !== undefined) {
        const first = seen.get(k);
        if (first) {
          const a = loc.span((first.key as YNode).range![0]);
          err('yaml-duplicate-key', `duplicate key \`${k}\`: it is already defined at line ${a.line} column ${a.column}`, rangeOf(kn, at), [...yamlPath, k], 'remove one of the two entries');
          continue;
        }
        seen.set(k, pair);
      }
      explicit.push(pair);
    }
    const out = [...explicit];
    for (const p of merged) {
      const kn = p.key as YNode | null;
      const k = kn && isScalar(kn) ? String(kn.source ?? kn.value) : undefined;
      if (k === undefined || seen.has(k)) continue;
      seen.set(k, p);
      out.push(p);
    }
    return out;
  }

  function decodeObject(node: YNode, bobj: BObj, path: Path, yamlPath: Path, range: [number, number]): Obj {
    const out: Obj = {};
    for (const pair of members(node, yamlPath, range)) {
      const k = keyString(pair, yamlPath, range);
      if (k === undefined) continue;
      const keyRange = rangeOf(pair.key as YNode, range);
      const field = bobj.fields.get(k);
      if (!field) {
        err('unused-key', `unused key ${k}`, keyRange, [...yamlPath, k], suggestKey(spec, bobj.name, k), 'warning');
        continue;
      }
      const v = decodeValue(pair.value, field.type, [...path, field.key], [...yamlPath, k], keyRange, field.enum);
      if (v !== undefined) out[field.key] = v;
    }
    return out;
  }

  const root = doc.contents as YNode | null;
  let value: Obj = {};
  if (root) {
    const v = decodeValue(root, { obj: 'Config' }, [], [], undefined);
    if (v && typeof v === 'object') value = v as Obj;
  }
  return { value, origins, diagnostics, failed };
}
