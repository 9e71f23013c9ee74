// Semantic validation of a decoded config: every rule on every object, then duplicate detection.
// Diagnostics carry canonical JSON paths; callers attach source positions.
import type { ConfigPath, Diagnostic } from '../diag/diagnostic.js';
import { ROOT } from '../model/spec.js';
import { fieldsAt, isList, refOf } from '../model/view.js';
import { inRange, type Version } from '../model/versions.js';
import { listKey } from './keys.js';
import { RULES_BY_OBJECT } from './rules/index.js';
import type { Hit, Rule, RuleContext } from './rules/rule.js';
import { childPath } from '../diag/config-path.js';

type Obj = Record<string, unknown>;

interface Child {
  name: string;
  ref?: string;
  list: boolean;
  later?: Record<string, Version>;
}
interface Shape {
  rules: Rule[];
  children: Child[];
  /** Keyed lists checked for duplicates, with their key space. */
  keyed: { name: string; ref?: string; space: string }[];
}

export interface SemanticsOptions {
  /** false: check 3.7.0-experimental as Ignition v2.26 does (no virtiofs); see RuleContext. */
  virtiofs?: boolean;
}

/** Shapes by spec version, then by `later` table (the model's own objects), then by object name. */
const SHAPES = new Map<Version, Map<Record<string, Version> | undefined, Map<string, Shape>>>();

export function validateSemantics(config: Obj, version: Version, opts: SemanticsOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx: RuleContext = { version, config, virtiofs: opts.virtiofs };
  let shapes = SHAPES.get(version);
  if (!shapes) SHAPES.set(version, (shapes = new Map()));

  // What to do at an object of a kind, computed once per spec version (a batch validates many configs).
  const shapeOf = (objName: string, later: Record<string, Version> | undefined): Shape => {
    let byName = shapes.get(later);
    if (!byName) shapes.set(later, (byName = new Map()));
    const known = byName.get(objName);
    if (known) return known;
    const shape: Shape = { rules: (RULES_BY_OBJECT.get(objName) ?? []).filter((r) => inRange(version, r.since, r.until)), children: [], keyed: [] };
    // forEach, not for-of over [name, f] pairs: see fieldsAt.
    fieldsAt(objName, version, later).forEach((f, name) => {
      const ref = refOf(f.type);
      const list = isList(f.type);
      if (ref) shape.children.push({ name, ref, list, later: f.later });
      if (list && !f.concat) shape.keyed.push({ name, ref, space: f.keySpace ?? name });
    });
    byName.set(objName, shape);
    return shape;
  };

  const visit = (node: Obj, objName: string, later: Record<string, Version> | undefined, path: ConfigPath) => {
    const shape = shapeOf(objName, later);
    for (let i = 0; i < shape.rules.length; i++) {
      const res = shape.rules[i].check(node, ctx);
      if (res) report(shape.rules[i], res, path);
    }
    for (let i = 0; i < shape.children.length; i++) {
      const c = shape.children[i];
      const v = node[c.name];
      if (v === undefined) continue;
      if (!c.list) visit(v as Obj, c.ref!, c.later, childPath(path, c.name));
      else {
        const items = v as Obj[];
        for (let i = 0; i < items.length; i++) visit(items[i], c.ref!, c.later, childPath(path, c.name, i));
      }
    }
    if (shape.keyed.length) duplicates(node, shape, path);
  };

  // Apart from visit, which runs at every object: V8 compiles a function that runs a while to
  // baseline code at a cost per byte of its bytecode, the lines for a finding included.
  const report = (r: Rule, res: true | Hit | Hit[], path: ConfigPath) => {
    const hits: Hit[] = res === true ? [{}] : Array.isArray(res) ? res : [res];
    for (const h of hits) {
      const d: Diagnostic = { severity: r.severity, code: r.code, message: h.message ?? r.message, path: [...path, ...(h.at ?? [])] };
      if (h.hint) d.hint = h.hint;
      out.push(d);
    }
  };

  // Lists are keyed (files by path, units by name...); a repeated key is an error. Lists that share
  // a key space (files/directories/links) are checked together, in field order.
  const duplicates = (node: Obj, shape: Shape, path: ConfigPath) => {
    const spaces = new Map<string, Map<string, ConfigPath>>();
    for (let j = 0; j < shape.keyed.length; j++) {
      const k = shape.keyed[j];
      const list = node[k.name];
      if (!Array.isArray(list)) continue;
      let seen = spaces.get(k.space);
      if (!seen) spaces.set(k.space, (seen = new Map()));
      for (let i = 0; i < list.length; i++) {
        const key = listKey(list[i], k.ref);
        const first = seen.get(key);
        if (first) duplicate(childPath(path, k.name, i), first);
        else seen.set(key, childPath(path, k.name, i));
      }
    }
  };

  const duplicate = (path: ConfigPath, first: ConfigPath) =>
    out.push({ severity: 'error', code: 'duplicate', message: 'duplicate entry defined', path, related: { message: 'first defined', path: first } });

  visit(config, ROOT, undefined, []);
  return out;
}
