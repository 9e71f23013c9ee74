// Reading the Ignition config a lint check looks at: its filesystem entries, units and every
// resource (anything with a `source`), with their config paths. Tolerant of any spec version and of
// partly invalid configs: whatever has an unexpected shape is skipped.
import { sourceScheme } from '../config/url.js';
import type { ConfigPath } from '../diag/diagnostic.js';
import { objectDef, ROOT } from '../model/spec.js';
import { isList, refOf } from '../model/view.js';
import { childPath } from '../diag/config-path.js';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

export interface Entry {
  kind: 'files' | 'directories' | 'links';
  node: Obj;
  path: ConfigPath;
}

export function entries(config: Obj): Entry[] {
  const storage = isObj(config.storage) ? config.storage : {};
  const out: Entry[] = [];
  for (const kind of ['files', 'directories', 'links'] as const) {
    const items = Array.isArray(storage[kind]) ? (storage[kind] as unknown[]) : [];
    items.forEach((node, i) => {
      if (isObj(node)) out.push({ kind, node, path: ['storage', kind, i] });
    });
  }
  return out;
}

export interface UnitEntry {
  unit: Obj;
  name: string;
  path: ConfigPath;
}

export function units(config: Obj): UnitEntry[] {
  const systemd = isObj(config.systemd) ? config.systemd : {};
  const items = Array.isArray(systemd.units) ? (systemd.units as unknown[]) : [];
  const out: UnitEntry[] = [];
  items.forEach((unit, i) => {
    if (isObj(unit) && typeof unit.name === 'string') out.push({ unit, name: unit.name, path: ['systemd', 'units', i] });
  });
  return out;
}

export function dropins(unit: Obj): { dropin: Obj; index: number }[] {
  return list(unit.dropins).map((dropin, index) => ({ dropin, index }));
}

interface RefField {
  name: string;
  ref: string;
  list: boolean;
}

/** The fields of an object that hold objects, by object name: the model is the same for every config. */
const refFieldsMemo = new Map<string, RefField[]>();
function refFields(objName: string): RefField[] {
  let out = refFieldsMemo.get(objName);
  if (!out) {
    out = [];
    for (const [name, f] of objectDef(objName)?.fields ?? []) {
      const ref = refOf(f.type);
      if (ref) out.push({ name, ref, list: isList(f.type) });
    }
    refFieldsMemo.set(objName, out);
  }
  return out;
}

const resourceMemo = new WeakMap<Obj, { res: Obj; path: ConfigPath }[]>();

/** Every Resource object of the config (file contents and appends, merged configs, CAs, key files). */
export function resources(config: Obj): { res: Obj; path: ConfigPath }[] {
  const known = resourceMemo.get(config);
  if (known) return known;
  const out: { res: Obj; path: ConfigPath }[] = [];
  resourceMemo.set(config, out);
  const walk = (v: unknown, objName: string, path: ConfigPath) => {
    if (!isObj(v)) return;
    if (objName === 'Resource') {
      out.push({ res: v, path });
      return;
    }
    for (const { name, ref, list } of refFields(objName)) {
      const val = v[name];
      if (val === undefined) continue;
      if (list) {
        if (Array.isArray(val)) val.forEach((x, i) => walk(x, ref, childPath(path, name, i)));
      } else walk(val, ref, childPath(path, name));
    }
  };
  walk(config, ROOT, []);
  return out;
}

/** The URL scheme of a resource's source, lower-cased ('' when there is none). */
export function schemeOf(res: Obj): string {
  return typeof res.source === 'string' ? sourceScheme(res.source) : '';
}

export function hasHash(res: Obj): boolean {
  return isObj(res.verification) && typeof res.verification.hash === 'string' && res.verification.hash !== '';
}

/** A file's mode as Ignition applies it: the default is 0644 for files, 0755 for directories. */
export function effectiveMode(e: Entry): number {
  if (typeof e.node.mode === 'number') return e.node.mode;
  return e.kind === 'directories' ? 0o755 : 0o644;
}

/** True when the entry is owned by root: no user given, or uid 0 / name root. */
export function ownedByRoot(node: Obj): boolean {
  const u = isObj(node.user) ? node.user : {};
  if (u.id === undefined && u.name === undefined) return true;
  return u.id === 0 || u.name === 'root';
}
