// Variant field filters: Ignition fields a variant forbids, checked on the translated config and
// reported where the YAML set them (sugar that produced them is blamed on the sugar). Checks of
// the generated config (openshift's RHCOS/MCO rules) ride along; only they apply with --raw.
import type { Obj, Path } from './tree.js';
import type { FieldFilter } from './variants.js';
import { childPath } from '../../src/diag/config-path.js';

export interface FilterHit {
  path: Path;
  message: string;
}

/** Butane's notion of a set field: empty lists, and objects of only empty values, are not. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as Obj).every(isEmpty);
  return false;
}

/** The hits of `filters` on the translated config; with `raw`, only the checks (see FieldFilter). */
export function applyFilters(config: Obj, filters: readonly FieldFilter[], raw = false): FilterHit[] {
  const hits: FilterHit[] = [];
  for (const f of filters) {
    if (raw && !f.check) continue;
    const walk = (v: unknown, i: number, path: Path) => {
      if ((v === undefined || v === null) && !(f.check && i === f.path.length)) return;
      if (i === f.path.length) {
        if (!f.check && isEmpty(v)) return;
        if (f.unless && f.unless(v)) return;
        hits.push({ path, message: f.message });
        return;
      }
      const seg = f.path[i];
      if (seg === '*') {
        if (Array.isArray(v)) v.forEach((x, j) => walk(x, i + 1, childPath(path, j)));
        return;
      }
      if (typeof v === 'object' && !Array.isArray(v)) walk((v as Obj)[seg], i + 1, childPath(path, seg));
    };
    walk(config, 0, []);
  }
  return hits;
}
