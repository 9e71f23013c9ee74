// How entries of a keyed list are identified, for duplicate detection and merge.
import { object } from '../model/view.js';

/** The key of a list entry: a field's value, the partition rule, or the value itself for strings. */
export function listKey(item: unknown, objName: string | undefined): string {
  if (!objName) return String(item);
  const o = item as Record<string, unknown>;
  const key = object(objName).key;
  if (key === 'partition') {
    // A numbered partition is known by its number; an unnumbered one by its label.
    const n = (o.number as number | undefined) ?? 0;
    if (n !== 0) return `number:${n}`;
    return o.label !== undefined ? `label:${String(o.label)}` : '';
  }
  if (!key) return '';
  const v = o[key];
  return v === undefined ? '' : String(v);
}
