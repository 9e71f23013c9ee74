// Ignition's config merge, as a pure function over canonical configs of the latest spec:
// - objects merge field by field; a scalar in the child replaces the parent's;
// - lists marked `concat` (file appends, mkfs and mount options, luks/raid options) are parent ++ child;
// - other lists are keyed: an entry of the child replaces-by-merging the parent entry with the same
//   key, in the parent's position; child-only entries are appended in order;
// - lists sharing a key space (files/directories/links, kernel arguments) are one namespace: a child
//   entry in another list removes the parent entry;
// - an HTTP header in the child without a value deletes the parent's header.
import { ROOT } from '../model/spec.js';
import { fieldsAt, isList, refOf } from '../model/view.js';
import { LATEST, type Version } from '../model/versions.js';
import { listKey } from './keys.js';

type Obj = Record<string, unknown>;

export function mergeConfigs<T extends object>(parent: T, child: T, version: Version = LATEST): T {
  return mergeObject(parent as Obj, child as Obj, ROOT, undefined, version) as T;
}

function mergeObject(parent: Obj, child: Obj, objName: string, later: Record<string, Version> | undefined, v: Version): Obj {
  const fields = fieldsAt(objName, v, later);
  const out: Obj = {};

  // Keys of the child's entries per key space, to know which parent entries move to another list.
  const childSpaces = new Map<string, Map<string, string>>(); // space → key → list name
  for (const [name, f] of fields) {
    if (!isList(f.type) || f.concat || !Array.isArray(child[name])) continue;
    const space = f.keySpace ?? name;
    let m = childSpaces.get(space);
    if (!m) childSpaces.set(space, (m = new Map()));
    for (const item of child[name] as unknown[]) m.set(listKey(item, refOf(f.type)), name);
  }

  for (const [name, f] of fields) {
    const p = parent[name];
    const c = child[name];
    if (p === undefined && c === undefined) continue;
    const ref = refOf(f.type);
    if (isList(f.type)) {
      const pl = (p as unknown[] | undefined) ?? [];
      const cl = (c as unknown[] | undefined) ?? [];
      if (pl.length + cl.length === 0) continue;
      out[name] = f.concat ? [...pl, ...cl] : mergeList(pl, cl, name, ref, f.later, childSpaces.get(f.keySpace ?? name), v);
    } else if (ref) {
      if (c === undefined) out[name] = p;
      else if (p === undefined) out[name] = c;
      else out[name] = mergeObject(p as Obj, c as Obj, ref, f.later, v);
    } else out[name] = c !== undefined ? c : p;
  }
  return out;
}

function mergeList(
  parent: unknown[],
  child: unknown[],
  name: string,
  ref: string | undefined,
  later: Record<string, Version> | undefined,
  childKeys: Map<string, string> | undefined,
  v: Version,
): unknown[] {
  const result: unknown[] = [];
  const childByKey = new Map<string, unknown>();
  for (const item of child) childByKey.set(listKey(item, ref), item);
  const parentKeys = new Set<string>();
  for (const item of parent) {
    const key = listKey(item, ref);
    parentKeys.add(key);
    const inList = childKeys?.get(key);
    if (inList === undefined) result.push(item);
    else if (inList === name) {
      const c = childByKey.get(key);
      if (!ref) result.push(c);
      else if (ref === 'HTTPHeader' && (c as Obj).value === undefined) continue; // deletion
      else result.push(mergeObject(item as Obj, c as Obj, ref, later, v));
    }
    // else: the child has this key in a sibling list; that entry replaces this one there.
  }
  for (const item of child) if (!parentKeys.has(listKey(item, ref))) result.push(item);
  return result;
}
