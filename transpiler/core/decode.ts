// Typed decode of the YAML node tree into a plain object, following the Butane view of the model.
// Scalars are resolved the way Go's yaml.v3 fills Butane's structs (legacy octal `0644`, `0o644`,
// `0x1a4`; yes/no/on/off into booleans; any scalar into a string), nulls mean "absent". Unknown keys
// are warnings with a suggestion; type errors, duplicate keys and alias abuse are errors. Every
// decoded value remembers where it came from, so any later phase can point at the YAML.
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import { butaneObject, type BObj, type BType } from '../butane/model.js';
import type { VariantSpec } from '../butane/variants.js';
import type { Locator } from '../yaml/yaml.js';
import { suggestKey } from '../butane/hints.js';
import { emptyItemRange, isYamlNull } from './treematch.js';
import { misplacedKeyHint, type KeyPlace } from '../../src/diag/suggest.js';
import type { Range, YNode, YPair, YScalar, YSeq } from '../yaml/ynode.js';
import type { Butane, Obj, Path } from '../butane/tree.js';
import { childPath } from '../../src/diag/config-path.js';

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
  /** Forgets every origin (see TranspileResult.release). */
  clear(): void {
    this.map.clear();
  }
  /** The origin of the path, or of its nearest decoded ancestor. */
  nearest(path: Path): { origin: Origin; exact: boolean } | undefined {
    // Each ancestor's key is the start of the path's own (cut by its last segment's length).
    let key = Origins.key(path);
    for (let n = path.length; ; n--) {
      const o = this.map.get(key);
      if (o) return { origin: o, exact: n === path.length };
      if (n === 0) return undefined;
      key = n === 1 ? '' : key.slice(0, key.length - String(path[n - 1]).length - 1);
    }
  }
}

interface Member {
  pair: YPair;
  /** The key is checked against the known fields (it is written in the mapping itself). */
  checked: boolean;
}

export interface Decoded {
  /** The decoded config: the decoder builds exactly the shape the Butane model declares. */
  value: Butane.Config;
  origins: Origins;
  diagnostics: Diagnostic[];
  /** Decoded paths whose value was rejected; later phases stay quiet about them. */
  failed: Set<string>;
  /**
   * Every place that takes an object held a mapping written out there (no null, alias or other
   * value), and nothing was reported: Butane's comparison of the config with the YAML tree
   * (treematch.ts) then has nothing to find, and is skipped.
   */
  treeMatches: boolean;
}

// Bounds alias expansion (billion laughs): decoding visits at most this many nodes through aliases.
const MAX_ALIAS_NODES = 100_000;
/** The code of the diagnostic that says the budget ran out (the decoded tree is then cut short). */
export const ALIAS_LIMIT = 'yaml-alias-limit';
// Booleans as yaml.v3 puts them into a Go bool: plain true/false (or a !!bool tag), and YAML 1.1
// words even when quoted.
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
const TRUE_11 = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSE_11 = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const STR_TAG = 'tag:yaml.org,2002:str';
const BOOL_TAG = 'tag:yaml.org,2002:bool';
const BINARY_TAG = 'tag:yaml.org,2002:binary';

const describe = (t: BType): string =>
  typeof t === 'string' ? (t === 'integer' ? 'an integer' : t === 'boolean' ? 'a boolean' : 'a string') : 'list' in t ? 'a list' : 'a mapping';

const INT64_MAX = 2n ** 63n - 1n;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * A plain scalar as yaml.v3 puts it into a Go int: integers in any of Go's base prefixes (legacy
 * octal `0644` included) after dropping underscores, and floats truncated toward zero, all within
 * 64 bits. Undefined when Go would refuse it.
 */
export function parseYamlInt(src: string): number | undefined {
  // The usual case, plain digits (a mode, an id, a size), is read without the regular expressions
  // below (each compiled at its first use in a process) or a BigInt.
  if (src.length <= 15) {
    const octal = src.length > 1 && src.charCodeAt(0) === 48;
    let n = 0;
    let i = 0;
    for (; i < src.length; i++) {
      const d = src.charCodeAt(i) - 48;
      if (d < 0 || d > (octal ? 7 : 9)) break;
      n = n * (octal ? 8 : 10) + d;
    }
    if (i > 0 && i === src.length) return n;
  }
  const t = src.replace(/_/g, '');
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(t);
  let big: bigint | undefined;
  if (m) {
    const body = m[2];
    const digits = /^0[xXoObB]/.test(body) ? body : body.length > 1 && body[0] === '0' ? '0o' + body.slice(1) : body;
    big = BigInt(digits.replace(/^0([XOB])/, (_, c: string) => '0' + c.toLowerCase()));
    if (m[1] === '-') big = -big;
  } else if (YAML_FLOAT.test(t)) {
    const f = Number(t);
    if (!Number.isFinite(f) || f >= 2 ** 63 || f < -(2 ** 63)) return undefined;
    big = BigInt(Math.trunc(f));
  }
  if (big === undefined || big > INT64_MAX || big < -INT64_MAX - 1n) return undefined;
  return Number(big);
}

/** Rewrites the text of a string value (variable substitution): the new text, and problems at offsets in it. */
export type StringHook = (text: string) => { value: string; problems: { message: string; hint?: string; offset: number; length: number }[] };

/**
 * Where a piece of a scalar's value is in the file: the same occurrence of the same text within
 * the scalar's source (a variable reference has no escapes or line folds in it), else the scalar.
 */
function placeInScalar(source: string, range: Range, value: string, offset: number, length: number): Range {
  const piece = value.slice(offset, offset + length);
  let nth = 0;
  for (let i = value.indexOf(piece); i >= 0 && i < offset; i = value.indexOf(piece, i + 1)) nth++;
  let at = source.indexOf(piece, range[0]);
  for (; nth > 0 && at >= 0; nth--) at = source.indexOf(piece, at + 1);
  return at >= 0 && at + length <= range[1] ? [at, at + length] : range;
}

export function decodeButane(root: YNode | null | undefined, spec: VariantSpec, loc: Locator, strings?: StringHook): Decoded {
  const diagnostics: Diagnostic[] = [];
  const origins = new Origins();
  const failed = new Set<string>();
  let aliasBudget = MAX_ALIAS_NODES;
  let aliasDepth = 0;
  let aliasReported = false;
  let treeMatches = true;
  const active = new Set<YNode>();

  const err = (code: string, message: string, range: Range, yamlPath: Path, hint?: string, severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push({ severity, code, message, path: yamlPath, source: loc.span(range[0], range[1]), hint });

  const rangeOf = (n: YNode | null | undefined, fallback: Range): Range => (n ? n.range : fallback);
  const isNullScalar = isYamlNull;

  /** Follows aliases. Undefined when an alias cannot be resolved. */
  const deref = (n: YNode | null | undefined, yamlPath: Path): YNode | null | undefined => {
    let cur = n ?? null;
    let hops = 0;
    while (cur && cur.kind === 'alias') {
      if (!cur.target || ++hops > 100) {
        err('yaml-alias', `unknown or circular alias *${cur.name}`, cur.range, yamlPath);
        return undefined;
      }
      cur = cur.target;
    }
    return cur;
  };

  const charge = (n: YNode, yamlPath: Path): boolean => {
    if (aliasDepth === 0) return true;
    if (--aliasBudget >= 0) return true;
    if (!aliasReported) {
      aliasReported = true;
      err(ALIAS_LIMIT, 'aliases expand to too many nodes (possible alias bomb)', n.range, yamlPath);
    }
    return false;
  };

  const decodeValue = (raw: YNode | null, type: BType, path: Path, yamlPath: Path, keyRange: Range | undefined): unknown => {
    if (typeof type === 'object' && 'obj' in type && raw?.kind !== 'map') treeMatches = false;
    if (raw?.kind === 'alias') return decodeAlias(raw, type, path, yamlPath, keyRange);
    const range = raw ? raw.range : (keyRange ?? [0, 0]);
    origins.set(path, { yamlPath, key: keyRange, value: range });
    return raw ? decodeOnce(raw, type, path, yamlPath, range) : undefined;
  };

  /** The node an alias stands for, decoded at the alias's path (its origin is the alias). */
  const decodeAlias = (raw: YNode, type: BType, path: Path, yamlPath: Path, keyRange: Range | undefined): unknown => {
    const node = deref(raw, yamlPath);
    if (node === undefined) {
      failed.add(Origins.key(path));
      return undefined;
    }
    origins.set(path, { yamlPath, key: keyRange, value: raw.range });
    if (node === null) return undefined;
    aliasDepth++;
    try {
      return decodeOnce(node, type, path, yamlPath, node.range);
    } finally {
      aliasDepth--;
    }
  };

  /** decodeNode, within the alias budget and refusing a node inside itself (through an alias or a merge). */
  const decodeOnce = (node: YNode, type: BType, path: Path, yamlPath: Path, range: Range): unknown => {
    if (!charge(node, yamlPath)) {
      failed.add(Origins.key(path));
      return undefined;
    }
    if (active.has(node)) {
      err('yaml-alias', 'an alias refers to a node that contains it', range, yamlPath);
      failed.add(Origins.key(path));
      return undefined;
    }
    // No try/finally: an exception ends the whole decode, and this set with it.
    active.add(node);
    const v = decodeNode(node, type, path, yamlPath, range);
    active.delete(node);
    return v;
  };

  const typeError = (node: YNode, type: BType, path: Path, yamlPath: Path, range: Range) => {
    const got = node.kind === 'map' ? 'a mapping' : node.kind === 'seq' ? 'a list' : node.kind === 'scalar' ? `\`${node.text}\`` : 'an alias';
    const name = yamlPath.length ? String(yamlPath[yamlPath.length - 1]) : 'the config';
    let hint: string | undefined;
    if (type === 'boolean') hint = 'use true or false';
    else if (type === 'integer' && node.kind === 'scalar' && !node.plain && /^0?[0-7]{3,4}$/.test(node.text))
      hint = 'remove the quotes: an octal mode is written 0644';
    else if (typeof type === 'object' && 'list' in type && node.kind !== 'seq') hint = 'start each list item with `- `';
    err('yaml-type', `${name} must be ${describe(type)}, not ${got}`, range, yamlPath, hint);
    failed.add(Origins.key(path));
    return undefined;
  };

  // The functions that run for every node are kept to their common case, with errors and rare forms
  // in functions of their own: V8 compiles a function that runs a while to baseline code at a cost
  // per byte of its bytecode, cold branches included.
  function decodeNode(node: YNode, type: BType, path: Path, yamlPath: Path, range: Range): unknown {
    if (typeof type === 'string') return decodeScalar(node, type, path, yamlPath, range);
    if (isNullScalar(node)) return undefined;
    if ('list' in type) return node.kind === 'seq' ? decodeList(node, type.list, path, yamlPath) : typeError(node, type, path, yamlPath, range);
    if (node.kind !== 'map') return typeError(node, type, path, yamlPath, range);
    if ('map' in type) return decodeMap(node, type.map, path, yamlPath, range);
    return decodeObject(node, butaneObject(spec, type.obj, type.later), path, yamlPath, range);
  }

  function decodeScalar(node: YNode, type: 'string' | 'integer' | 'boolean', path: Path, yamlPath: Path, range: Range): unknown {
    if (node.kind !== 'scalar') return typeError(node, type, path, yamlPath, range);
    if (isNullScalar(node)) return undefined;
    const text = node.text;
    if (type === 'string') return node.tag === BINARY_TAG || strings ? stringValue(node, text, path, yamlPath, range) : text;
    if (type === 'boolean') {
      const resolvesBool = (node.plain && node.tag === undefined) || node.tag === BOOL_TAG;
      if (TRUE_11.has(text) || (resolvesBool && TRUE.has(text))) return true;
      if (FALSE_11.has(text) || (resolvesBool && FALSE.has(text))) return false;
      return typeError(node, type, path, yamlPath, range);
    }
    const n = node.plain && node.tag !== STR_TAG ? parseYamlInt(text) : undefined;
    if (n === undefined) return typeError(node, type, path, yamlPath, range);
    return n;
  }

  /** A string written as !!binary, or rewritten by the string hook. */
  function stringValue(node: YScalar, text: string, path: Path, yamlPath: Path, range: Range): string {
    if (node.tag === BINARY_TAG) return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
    const r = strings!(text);
    for (const p of r.problems) err('variable', p.message, placeInScalar(loc.lines.text, range, text, p.offset, p.length), yamlPath, p.hint);
    if (r.problems.length) failed.add(Origins.key(path));
    return r.value;
  }

  function decodeList(node: YSeq, item: BType, path: Path, yamlPath: Path): unknown[] {
    const out: unknown[] = [];
    for (let j = 0; j < node.items.length; j++) {
      const raw = node.items[j];
      const target = deref(raw, childPath(yamlPath, j));
      if (target === null || (target && isNullScalar(target))) {
        emptyListItem(node, j, yamlPath);
        continue;
      }
      const v = decodeValue(raw, item, childPath(path, out.length), childPath(yamlPath, j), undefined);
      // A rejected scalar item is dropped (already reported); the next item reuses its decoded index.
      if (v === undefined) failed.delete(Origins.key(childPath(path, out.length)));
      else out.push(v);
    }
    return out;
  }

  /** Dropped like Go does; Butane says nothing unless it shifts later objects (treematch.ts). */
  function emptyListItem(node: YSeq, j: number, yamlPath: Path): void {
    const item = node.items[j];
    const where = item ? item.range : emptyItemRange(node, j, loc.lines.text);
    err(
      'null-list-item',
      `empty list item in ${String(yamlPath[yamlPath.length - 1])} is ignored`,
      where,
      childPath(yamlPath, j),
      'remove the empty `-` entry or give it a value',
      'info',
    );
  }

  function decodeMap(node: YNode, value: BType, path: Path, yamlPath: Path, range: Range): Obj {
    const out: Obj = {};
    for (const { pair } of members(node, yamlPath, range, false)) {
      const k = keyString(pair, yamlPath, range);
      if (k === undefined) continue;
      const v = decodeValue(pair.value, value, childPath(path, k), childPath(yamlPath, k), rangeOf(pair.key, range));
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  const keyString = (pair: YPair, yamlPath: Path, at: Range): string | undefined => {
    const k = deref(pair.key, yamlPath);
    if (k && k.kind === 'scalar') return k.text;
    err('yaml-key', 'mapping keys must be plain strings', rangeOf(k ?? null, at), yamlPath);
    return undefined;
  };

  /**
   * The pairs of a mapping with `<<` merge keys expanded (explicit keys win, earlier merges win).
   * Merged-in pairs are marked: Butane checks only the keys written in the mapping itself, and
   * reports the `<<` key as unused (`checkKeys` says whether this mapping's keys are checked).
   */
  function members(node: YNode, yamlPath: Path, at: Range, checkKeys: boolean): Member[] {
    if (node.kind !== 'map') return [];
    const explicit: Member[] = [];
    let merged: Member[] | undefined;
    const seen = new Map<string, YPair>();
    // Indexed loops here and in decodeObject: a cold for-of allocates an iterator result a pair.
    for (let i = 0; i < node.pairs.length; i++) {
      const pair = node.pairs[i];
      const kn = pair.key;
      if (kn && kn.kind === 'scalar' && kn.plain && kn.text === '<<') {
        merged = mergeKey(pair, kn, yamlPath, at, checkKeys, merged ?? []);
        continue;
      }
      const k = kn && kn.kind === 'scalar' ? kn.text : undefined;
      if (k !== undefined) {
        const first = seen.get(k);
        if (first) {
          duplicateKey(k, first, kn!, yamlPath, at);
          continue;
        }
        seen.set(k, pair);
      }
      explicit.push({ pair, checked: checkKeys });
    }
    return merged ? withMerged(explicit, merged, seen) : explicit;
  }

  /** The pairs a `<<` key merges in (added to `merged`), and Butane's warning on the key itself. */
  function mergeKey(pair: YPair, kn: YNode, yamlPath: Path, at: Range, checkKeys: boolean, merged: Member[]): Member[] {
    if (checkKeys) {
      err(
        'unused-key',
        'unused key <<',
        kn.range,
        childPath(yamlPath, '<<'),
        'Butane merges the keys but still reports the `<<` key as unknown; write the keys out to silence it',
        'warning',
      );
    }
    const v = deref(pair.value, yamlPath);
    const sources = v && v.kind === 'seq' ? v.items.map((x) => deref(x, yamlPath)) : [v];
    for (const src of sources) {
      if (!src || src.kind !== 'map') {
        err('yaml-merge', 'a merge key (<<) needs a mapping or a list of mappings', rangeOf(src ?? pair.value, at), yamlPath);
        continue;
      }
      aliasDepth++;
      try {
        if (!charge(src, yamlPath)) continue;
        for (const m of members(src, yamlPath, at, false)) merged.push({ pair: m.pair, checked: false });
      } finally {
        aliasDepth--;
      }
    }
    return merged;
  }

  function duplicateKey(k: string, first: YPair, kn: YNode, yamlPath: Path, at: Range): void {
    const a = loc.span(first.key!.range[0]);
    err(
      'yaml-duplicate-key',
      `duplicate key \`${k}\`: it is already defined at line ${a.line} column ${a.column}`,
      rangeOf(kn, at),
      childPath(yamlPath, k),
      'remove one of the two entries',
    );
  }

  /** Explicit keys win over merged ones, and earlier merges over later ones. */
  function withMerged(explicit: Member[], merged: Member[], seen: Map<string, YPair>): Member[] {
    const out = [...explicit];
    for (const m of merged) {
      const kn = m.pair.key;
      const k = kn && kn.kind === 'scalar' ? kn.text : undefined;
      if (k === undefined || seen.has(k)) continue;
      seen.set(k, m.pair);
      out.push(m);
    }
    return out;
  }

  /** The objects being decoded, outermost first, with the YAML key each sits under. */
  const enclosing: { bobj: BObj; field?: string }[] = [];

  function decodeObject(node: YNode, bobj: BObj, path: Path, yamlPath: Path, range: Range): Obj {
    const out: Obj = {};
    // Butane looks for unknown keys only in mappings written where they are used, not in ones
    // reached through an alias (see treematch.ts).
    const found = members(node, yamlPath, range, aliasDepth === 0);
    let field: string | undefined;
    for (let i = yamlPath.length - 1; i >= 0 && field === undefined; i--) if (typeof yamlPath[i] === 'string') field = yamlPath[i] as string;
    // No try/finally: an exception ends the whole decode, and this stack with it.
    enclosing.push({ bobj, field });
    for (let i = 0; i < found.length; i++) {
      const pair = found[i].pair;
      const k = keyString(pair, yamlPath, range);
      if (k === undefined) continue;
      const keyRange = rangeOf(pair.key, range);
      const f = bobj.fields.get(k);
      if (!f) {
        if (found[i].checked) unknownKey(bobj, found, k, keyRange, yamlPath);
        continue;
      }
      const v = decodeValue(pair.value, f.type, childPath(path, f.key), childPath(yamlPath, k), keyRange);
      if (v !== undefined) out[f.key] = v;
    }
    enclosing.pop();
    return out;
  }

  function unknownKey(bobj: BObj, found: Member[], k: string, keyRange: Range, yamlPath: Path): void {
    const hint = suggestKey(spec, bobj.name, k) ?? misplacedKeyHint(k, keyPlace(bobj, found));
    err('unused-key', `unused key ${k}`, keyRange, childPath(yamlPath, k), hint, 'warning');
  }

  const objOf = (t: BType): BType | undefined => (typeof t === 'object' && 'list' in t ? objOf(t.list) : t);
  function keyPlace(bobj: BObj, found: Member[]): KeyPlace {
    const children = [...bobj.fields.values()].flatMap((f) => {
      const t = objOf(f.type);
      return t && typeof t === 'object' && 'obj' in t
        ? [{ field: f.name, keys: butaneObject(spec, t.obj, t.later).fields, list: typeof f.type === 'object' && 'list' in f.type }]
        : [];
    });
    const present = (name: string) => found.some(({ pair }) => pair.key?.kind === 'scalar' && pair.key.text === name);
    const me = enclosing[enclosing.length - 1];
    const up = enclosing[enclosing.length - 2];
    return { children, present, parent: up && me.field ? { keys: up.bobj.fields, field: me.field } : undefined };
  }

  let value: Butane.Config = {};
  if (root) {
    const v = decodeValue(root, { obj: 'Config' }, [], [], undefined);
    if (v && typeof v === 'object') value = v as Butane.Config;
  }
  return { value, origins, diagnostics, failed, treeMatches: treeMatches && diagnostics.length === 0 };
}
