// Walks a Butane YAML tree along the Butane view of the model, so checks see every value with the
// type the pair expects there, its key and its position. Unlike the decoder it also walks what
// Butane never checks: mappings reached through an alias or a `<<` merge key are visited and
// flagged `unchecked`, so lint can look at keys Butane lets through.
import type { Path } from '../../transpiler/butane/tree.js';
import { butaneObject, ROOT_OBJECT, type BField, type BType } from '../../transpiler/butane/model.js';
import type { VariantSpec } from '../../transpiler/butane/variants.js';
import { isYamlNull } from '../../transpiler/core/treematch.js';
import type { YNode, YPair } from '../../transpiler/yaml/ynode.js';
import { childPath } from '../diag/config-path.js';

export interface Slot {
  /** The value as written (an alias stays an alias). */
  node: YNode | null;
  /** The value with aliases followed; null for an empty value or an unresolved alias. */
  value: YNode | null;
  /** The key node of the mapping member holding the value (absent for list items and the root). */
  key?: YNode | null;
  /** What the pair expects here. */
  type: BType;
  field?: BField;
  /** YAML path: snake_case keys and list indices as written. */
  path: Path;
  /** The path's keys joined with dots, without list indices: `storage.files.mode`. */
  shape: string;
  /** Reached through an alias or a merge key: Butane checks no key below. */
  unchecked: boolean;
  /** How it was reached when unchecked: `*name` or `<<`. */
  via?: string;
}

export interface UnknownKey {
  key: YNode;
  name: string;
  /** The Butane object whose fields the key was looked up in. */
  objName: string;
  fields: Map<string, BField>;
  path: Path;
  unchecked: boolean;
  via?: string;
}

export interface Visitor {
  slot?(s: Slot): void;
  unknownKey?(u: UnknownKey): void;
}

// Aliases may repeat a subtree many times (a "billion laughs" file): the decoder refuses those, the
// walk simply stops.
const MAX_NODES = 200_000;

export function deref(n: YNode | null | undefined): YNode | null {
  let cur = n ?? null;
  for (let hops = 0; cur && cur.kind === 'alias' && hops < 100; hops++) cur = cur.target ?? null;
  return cur && cur.kind === 'alias' ? null : cur;
}

export const keyText = (k: YNode | null | undefined): string | undefined => {
  const n = deref(k);
  return n && n.kind === 'scalar' ? n.text : undefined;
};

/** The members of a mapping, `<<` merges expanded (explicit keys first, as yaml.v3 resolves them). */
function members(map: YNode, budget: { n: number }): { pair: YPair; merged: boolean }[] {
  if (map.kind !== 'map') return [];
  const out: { pair: YPair; merged: boolean }[] = [];
  const seen = new Set<string>();
  const merged: YPair[] = [];
  for (const pair of map.pairs) {
    const k = pair.key;
    if (k && k.kind === 'scalar' && k.plain && k.text === '<<') {
      const v = deref(pair.value);
      const sources = v && v.kind === 'seq' ? v.items.map(deref) : [v];
      for (const src of sources) if (src && src.kind === 'map' && budget.n-- > 0) merged.push(...members(src, budget).map((m) => m.pair));
      continue;
    }
    const t = keyText(k);
    if (t !== undefined) seen.add(t);
    out.push({ pair, merged: false });
  }
  for (const pair of merged) {
    const t = keyText(pair.key);
    if (t === undefined || seen.has(t)) continue;
    seen.add(t);
    out.push({ pair, merged: true });
  }
  return out;
}

export function walkButane(root: YNode | null | undefined, spec: VariantSpec, visitor: Visitor): void {
  const budget = { n: MAX_NODES };
  const active = new Set<YNode>();
  // Field tables by type object (stable per pair), so the model's own cache key is built once.
  const fieldsOf = new Map<BType, Map<string, BField>>();

  const visit = (s: Slot): void => {
    if (budget.n-- <= 0) return;
    visitor.slot?.(s);
    const v = s.value;
    if (!v || isYamlNull(v) || active.has(v)) return;
    const viaAlias = s.node?.kind === 'alias';
    const unchecked = s.unchecked || viaAlias;
    const via = s.via ?? (viaAlias ? `*${(s.node as { name: string }).name}` : undefined);
    const t = s.type;
    if (typeof t === 'string') return;
    active.add(v);
    try {
      if ('list' in t) {
        if (v.kind !== 'seq') return;
        v.items.forEach((item, j) => visit({ node: item, value: deref(item), type: t.list, path: childPath(s.path, j), shape: s.shape, unchecked, via }));
      } else if ('map' in t) {
        for (const { pair } of members(v, budget)) {
          const k = keyText(pair.key);
          if (k !== undefined)
            visit({
              node: pair.value,
              value: deref(pair.value),
              key: pair.key,
              type: t.map,
              path: childPath(s.path, k),
              shape: join(s.shape, k),
              unchecked,
              via,
            });
        }
      } else {
        if (v.kind !== 'map') return;
        let fields = fieldsOf.get(t);
        if (!fields) fieldsOf.set(t, (fields = butaneObject(spec, t.obj, t.later).fields));
        for (const { pair, merged } of members(v, budget)) {
          const k = keyText(pair.key);
          if (k === undefined || (pair.key?.kind === 'scalar' && pair.key.plain && k === '<<')) continue;
          const mUnchecked = unchecked || merged;
          const mVia = via ?? (merged ? '<<' : undefined);
          const f = fields.get(k);
          if (!f) {
            if (pair.key)
              visitor.unknownKey?.({ key: pair.key, name: k, objName: t.obj, fields, path: childPath(s.path, k), unchecked: mUnchecked, via: mVia });
            continue;
          }
          visit({
            node: pair.value,
            value: deref(pair.value),
            key: pair.key,
            type: f.type,
            field: f,
            path: childPath(s.path, k),
            shape: join(s.shape, k),
            unchecked: mUnchecked,
            via: mVia,
          });
        }
      }
    } finally {
      active.delete(v);
    }
  };
  if (root) visit({ node: root, value: deref(root), type: { obj: ROOT_OBJECT }, path: [], shape: '', unchecked: false });
}

const join = (shape: string, key: string) => (shape ? `${shape}.${key}` : key);

/** The member `key` of a mapping node (aliases followed), if any. */
export function member(map: YNode | null | undefined, key: string): YPair | undefined {
  const m = deref(map);
  return m && m.kind === 'map' ? m.pairs.find((p) => keyText(p.key) === key) : undefined;
}
