// Semantic validation of a decoded config: every rule on every object, then duplicate detection.
// Diagnostics carry canonical JSON paths; callers attach source positions.
import type { ConfigPath, Diagnostic } from '../diag/diagnostic.js';
import { ROOT } from '../model/spec.js';
import { fieldsAt, isList, refOf } from '../model/view.js';
import { inRange, type Version } from '../model/versions.js';
import { listKey } from './keys.js';
import { RULES_BY_OBJECT } from './rules/index.js';
import type { Hit, RuleContext } from './rules/rule.js';

type Obj = Record<string, unknown>;

export function validateSemantics(config: Obj, version: Version): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx: RuleContext = { version, config };

  const visit = (node: Obj, objName: string, later: Record<string, Version> | undefined, path: ConfigPath) => {
    for (const r of RULES_BY_OBJECT.get(objName) ?? []) {
      if (!inRange(version, r.since, r.until)) continue;
      const res = r.check(node, ctx);
      if (!res) continue;
      const hits: Hit[] = res === true ? [{}] : Array.isArray(res) ? res : [res];
      for (const h of hits) out.push({ severity: r.severity, code: r.code, message: h.message ?? r.message, path: [...path, ...(h.at ?? [])] });
    }
    for (const [name, f] of fieldsAt(objName, version, later)) {
      const v = node[name];
      const ref = refOf(f.type);
      if (v === undefined) continue;
      if (isList(f.type)) {
        if (ref) (v as Obj[]).forEach((item, i) => visit(item, ref, f.later, [...path, name, i]));
      } else if (ref) visit(v as Obj, ref, f.later, [...path, name]);
    }
    duplicates(node, objName, later, path);
  };

  // Lists are keyed (files by path, units by name...); a repeated key is an error. Lists that share
  // a key space (files/directories/links) are checked together, in field order.
  const duplicates = (node: Obj, objName: string, later: Record<string, Version> | undefined, path: ConfigPath) => {
    const spaces = new Map<string, Set<string>>();
    for (const [name, f] of fieldsAt(objName, version, later)) {
      if (!isList(f.type) || f.concat) continue;
      const list = node[name];
      if (!Array.isArray(list)) continue;
      const space = f.keySpace ?? name;
      let seen = spaces.get(space);
      if (!seen) spaces.set(space, (seen = new Set()));
      const ref = refOf(f.type);
      list.forEach((item, i) => {
        const key = listKey(item, ref);
        if (seen!.has(key)) out.push({ severity: 'error', code: 'duplicate', message: 'duplicate entry defined', path: [...path, name, i] });
        seen!.add(key);
      });
    }
  };

  visit(config, ROOT, undefined, []);
  return out;
}
