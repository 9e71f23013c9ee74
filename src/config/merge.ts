// Ignition's config merge, as a pure function over canonical configs of the latest spec:
// - objects merge field by field; a scalar in the child replaces the parent's;
// - lists marked `concat` (file appends, mkfs and mount options, luks/raid options) are parent ++ child;
// - other lists are keyed: an entry of the child replaces-by-merging the parent entry with the same
//   key, in the parent's position; child-only entries are appended in order;
// - lists sharing a key space (files/directories/links, kernel arguments) are one namespace: a child
//   entry in another list removes the parent entry;
// - an HTTP header in the child without a value deletes the parent's header.
import type { ConfigPath } from '../diag/diagnostic.js';
import { ROOT } from '../model/spec.js';
import { fieldsAt, isList, refOf } from '../model/view.js';
import { LATEST, type Version } from '../model/versions.js';
import { listKey } from './keys.js';
import { childPath } from '../diag/config-path.js';

type Obj = Record<string, unknown>;

/** Told, as the merge decides, where each value of the result comes from (for provenance). */
export interface MergeTrace {
  /** The value at `out` is the parent's or the child's value at `at`, unchanged. */
  take(out: ConfigPath, from: 'parent' | 'child', at: ConfigPath): void;
  /** The object or list at `out` combines the parent's value at `parentAt` and the child's at `childAt`. */
  merge(out: ConfigPath, parentAt: ConfigPath, childAt: ConfigPath): void;
}

interface At {
  out: ConfigPath;
  parent: ConfigPath;
  child: ConfigPath;
  trace?: MergeTrace;
}

export function mergeConfigs<T extends object>(parent: T, child: T, version: Version = LATEST, trace?: MergeTrace): T {
  trace?.merge([], [], []);
  return mergeObject(parent as Obj, child as Obj, ROOT, undefined, version, { out: [], parent: [], child: [], trace }) as T;
}

const below = (at: At, out: string | number, parent: string | number, child: string | number): At =>
  at.trace ? { out: childPath(at.out, out), parent: childPath(at.parent, parent), child: childPath(at.child, child), trace: at.trace } : at;

function mergeObject(parent: Obj, child: Obj, objName: string, later: Record<string, Version> | undefined, v: Version, at: At): Obj {
  const fields = fieldsAt(objName, v, later);
  const out: Obj = {};

  // Keys of the child's entries per key space, to know which parent entries move to another list.
  const childSpaces = new Map<string, Map<string, string>>(); // space → key → list name
  fields.forEach((f, name) => {
    if (!isList(f.type) || f.concat || !Array.isArray(child[name])) return;
    const space = f.keySpace ?? name;
    let m = childSpaces.get(space);
    if (!m) childSpaces.set(space, (m = new Map()));
    for (const item of child[name] as unknown[]) m.set(listKey(item, refOf(f.type)), name);
  });

  fields.forEach((f, name) => {
    const p = parent[name];
    const c = child[name];
    if (p === undefined && c === undefined) return;
    const ref = refOf(f.type);
    const here = below(at, name, name, name);
    if (isList(f.type)) {
      const pl = (p as unknown[] | undefined) ?? [];
      const cl = (c as unknown[] | undefined) ?? [];
      if (pl.length + cl.length === 0) return;
      here.trace?.merge(here.out, here.parent, here.child);
      out[name] = f.concat ? concatList(pl, cl, here) : mergeList(pl, cl, name, ref, f.later, childSpaces.get(f.keySpace ?? name), v, here);
    } else if (ref && c !== undefined && p !== undefined) {
      here.trace?.merge(here.out, here.parent, here.child);
      out[name] = mergeObject(p as Obj, c as Obj, ref, f.later, v, here);
    } else {
      const fromChild = c !== undefined;
      out[name] = fromChild ? c : p;
      here.trace?.take(here.out, fromChild ? 'child' : 'parent', fromChild ? here.child : here.parent);
    }
  });
  return out;
}

function concatList(parent: unknown[], child: unknown[], at: At): unknown[] {
  parent.forEach((_, i) => at.trace?.take(childPath(at.out, i), 'parent', childPath(at.parent, i)));
  child.forEach((_, i) => at.trace?.take(childPath(at.out, parent.length + i), 'child', childPath(at.child, i)));
  return parent.concat(child);
}

function mergeList(
  parent: unknown[],
  child: unknown[],
  name: string,
  ref: string | undefined,
  later: Record<string, Version> | undefined,
  childKeys: Map<string, string> | undefined,
  v: Version,
  at: At,
): unknown[] {
  const result: unknown[] = [];
  const childByKey = new Map<string, number>();
  child.forEach((item, j) => childByKey.set(listKey(item, ref), j));
  const parentKeys = new Set<string>();
  parent.forEach((item, i) => {
    const key = listKey(item, ref);
    parentKeys.add(key);
    const inList = childKeys?.get(key);
    if (inList === undefined) {
      at.trace?.take(childPath(at.out, result.length), 'parent', childPath(at.parent, i));
      result.push(item);
    } else if (inList === name) {
      const j = childByKey.get(key)!;
      const c = child[j];
      if (!ref) {
        at.trace?.take(childPath(at.out, result.length), 'child', childPath(at.child, j));
        result.push(c);
      } else if (ref === 'HTTPHeader' && (c as Obj).value === undefined)
        return; // deletion
      else {
        const here = below(at, result.length, i, j);
        here.trace?.merge(here.out, here.parent, here.child);
        result.push(mergeObject(item as Obj, c as Obj, ref, later, v, here));
      }
    }
    // else: the child has this key in a sibling list; that entry replaces this one there.
  });
  child.forEach((item, j) => {
    if (parentKeys.has(listKey(item, ref))) return;
    at.trace?.take(childPath(at.out, result.length), 'child', childPath(at.child, j));
    result.push(item);
  });
  return result;
}
