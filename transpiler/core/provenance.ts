// Maps a path in the final (merged) Ignition config back to the decoded YAML path that produced it.
// The merged config is the generated (sugar) config with the user's translated config merged on top,
// so each list entry is traced through its merge key to the user's entry when there is one (the
// user wins), else to the generated entry; each side then has its own provenance table.
import { listKey } from '../../src/config/keys.js';
import { OBJECTS, type FieldDef } from '../../src/model/spec.js';
import { isList, refOf } from '../../src/model/view.js';
import type { Provenance } from './context.js';
import type { Path } from '../butane/tree.js';

interface Side {
  value: unknown;
  path: Path | undefined;
}

const at = (v: unknown, seg: string | number): unknown => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined);

export function sourceOf(out: Path, merged: unknown, user: unknown, sugar: unknown, userProv: Provenance, sugarProv: Provenance): Path {
  let m = merged;
  const u: Side = { value: user, path: [] };
  const s: Side = { value: sugar, path: sugar === undefined ? undefined : [] };
  let objName: string | undefined = 'Config';
  let itemObj: string | undefined;
  let concat = false;
  for (const seg of out) {
    if (typeof seg === 'string') {
      const f: FieldDef | undefined = objName ? OBJECTS[objName]?.fields[seg] : undefined;
      const ref: string | undefined = f ? refOf(f.type) : undefined;
      if (f && isList(f.type)) {
        itemObj = ref;
        concat = !!f.concat;
        objName = undefined;
      } else objName = ref;
      m = at(m, seg);
      for (const side of [u, s]) if (side.path) side.path.push(seg), (side.value = at(side.value, seg));
      continue;
    }
    const prev = m;
    const item = at(m, seg);
    m = item;
    const ul = Array.isArray(u.value) ? (u.value as unknown[]) : [];
    const sl = Array.isArray(s.value) ? (s.value as unknown[]) : [];
    let ui = -1;
    let si = -1;
    if (concat || item === undefined) {
      // Parent entries come first in a concatenated list.
      if (seg < sl.length) si = seg;
      else ui = seg - sl.length;
    } else {
      // Duplicate keys (an error reported later) are matched by occurrence.
      const key = listKey(item, itemObj);
      const mergedList = Array.isArray(prev) ? (prev as unknown[]) : [];
      const occ = mergedList.slice(0, seg).filter((x) => listKey(x, itemObj) === key).length;
      const nth = (l: unknown[]) => {
        const idx = l.map((x, j) => (listKey(x, itemObj) === key ? j : -1)).filter((j) => j >= 0);
        return idx[Math.min(occ, idx.length - 1)] ?? -1;
      };
      ui = nth(ul);
      si = nth(sl);
    }
    for (const [side, idx] of [[u, ui], [s, si]] as const) {
      if (!side.path) continue;
      if (idx < 0 || idx >= (side === u ? ul : sl).length) {
        side.path = undefined;
        continue;
      }
      side.path.push(idx);
      side.value = at(side.value, idx);
    }
    objName = itemObj;
  }
  // The user's value wins where it exists; otherwise the generated one explains the output.
  if (u.path && u.value !== undefined) return userProv.lookup(u.path);
  if (s.path && s.value !== undefined) return sugarProv.lookup(s.path);
  if (u.path) return userProv.lookup(u.path);
  if (s.path) return sugarProv.lookup(s.path);
  return userProv.lookup(out);
}
