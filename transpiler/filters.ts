// Variant field filters: Ignition fields a variant forbids, checked on the translated config and
// reported where the YAML set them (sugar that produced them is blamed on the sugar).
import type { Obj, Path } from './decode.js';
import type { FieldFilter } from './variants.js';

export interface FilterHit {
  path: Path;
  message: string;
}

export function applyFilters(config: Obj, filters: readonly FieldFilter[]): FilterHit[] {
  const hits: FilterHit[] = [];
  for (const f of filters) {
    const walk = (v: unknown, i: number, path: Path) => {
      if (v === undefined || v === null) return;
      if (i === f.path.length) {
        if (Array.isArray(v) && v.length === 0) return;
        if (f.unless && f.unless(v)) return;
        hits.push({ path, message: f.message });
        return;
      }
      const seg = f.path[i];
      if (seg === '*') {
        if (Array.isArray(v)) v.forEach((x, j) => walk(x, i + 1, [...path, j]));
        return;
      }
      if (typeof v === 'object' && !Array.isArray(v)) walk((v as Obj)[seg], i + 1, [...path, seg]);
    };
    walk(config, 0, []);
  }
  return hits;
}
