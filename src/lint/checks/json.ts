// Fixes for Ignition JSON: a key in the wrong case (`"Path"`), which Ignition reports as unused.
import { locate } from '../../config/json.js';
import { objectDef, ROOT, type FieldDef } from '../../model/spec.js';
import { fieldsAt, refOf } from '../../model/view.js';
import type { Version } from '../../model/versions.js';
import type { LintCheck } from '../check.js';

/** The object (model name) that a config path ends in, following fields and list items. */
function objectAt(path: readonly (string | number)[], version: Version): string | undefined {
  let obj: string | undefined = ROOT;
  for (const seg of path) {
    if (typeof seg === 'number') continue;
    const f: FieldDef | undefined = obj ? fieldsAt(obj, version).get(seg) : undefined;
    obj = f ? refOf(f.type) : undefined;
    if (!obj || !objectDef(obj)) return undefined;
  }
  return obj;
}

export const jsonKeyCaseFix: LintCheck = {
  code: 'unused-key',
  severity: 'warning',
  summary: 'fixes a key written in the wrong case',
  fixOnly: true,
  run(t, r) {
    if (t.format !== 'ignition' || !t.version) return;
    for (const d of t.verdict) {
      const path = d.path;
      if (d.code !== 'unused-key' || !path?.length) continue;
      const name = path[path.length - 1];
      const obj = typeof name === 'string' ? objectAt(path.slice(0, -1), t.version) : undefined;
      if (!obj || typeof name !== 'string') continue;
      const matches = [...fieldsAt(obj, t.version).keys()].filter((k) => k.toLowerCase() === name.toLowerCase());
      const at = locate(t.text, path, true);
      const quoted = JSON.stringify(name);
      if (matches.length === 1 && t.text.startsWith(quoted, at)) r.fix({ start: at, end: at + quoted.length, text: JSON.stringify(matches[0]) });
    }
  },
};
