// State shared by the planning steps of one files stage.
import type { ConfigPath } from '../../../diag/diagnostic.js';
import type { Paths, Tools } from '../../../host/tools.js';
import { formatPath } from '../../../diag/diagnostic.js';
import { firstMissing, resolveInRoot, ResolveError, type Link } from '../resolve.js';
import { components, isWithin, vdirname } from '../vpath.js';
import type { Op, PlanError, Via } from './ops.js';
import { SimulatedRoot } from './sim.js';

export interface PlanContext {
  sim: SimulatedRoot;
  ops: Op[];
  errors: PlanError[];
  warnings: string[];
  /** Paths to relabel (virtual), or null when the root has no SELinux policy or relabelling is off. */
  relabel: Set<string> | null;
  /** Host path of the root, for `--root` arguments. */
  root: string;
  tools: Tools;
  paths: Paths;
  /** Config paths whose resolution followed symlinks, for the dry-run lines (see `markRedirected`). */
  redirected: { configPath: ConfigPath; resolved: string; via: Via }[];
}

export function newContext(base: SimulatedRoot, root: string, tools: Tools, paths: Paths, relabel: boolean): PlanContext {
  return { sim: base, ops: [], errors: [], warnings: [], relabel: relabel ? new Set() : null, root, tools, paths, redirected: [] };
}

/**
 * Gives each operation on a path that a config entry reached through symlinks (the entry's own
 * path, or a parent directory created for it) the path as written and the links followed.
 */
export function markRedirected(ctx: PlanContext): void {
  for (const op of ctx.ops) {
    if (!('path' in op) || !op.configPath) continue;
    const path = op.path;
    const cp = formatPath(op.configPath);
    const r = ctx.redirected.find((x) => (cp === formatPath(x.configPath) || cp.startsWith(formatPath(x.configPath) + '.')) && isWithin(x.resolved, path));
    if (r) op.via = r.via;
  }
}

/** Resolves a config path in the simulated root; records an error and returns null on failure. */
export function resolve(ctx: PlanContext, vpath: string, configPath?: ConfigPath): string | null {
  try {
    const links: Link[] = [];
    const resolved = resolveInRoot(ctx.sim, vpath, { links });
    if (links.length > 0 && configPath) ctx.redirected.push({ configPath, resolved, via: { requested: vpath, links } });
    return resolved;
  } catch (e) {
    if (!(e instanceof ResolveError)) throw e;
    ctx.errors.push({ message: e.message, configPath });
    return null;
  }
}

/** Schedules relabelling of the first component of `path` that the stage is about to create. */
export function relabelNew(ctx: PlanContext, path: string): void {
  if (!ctx.relabel) return;
  const m = firstMissing(ctx.sim, path);
  if (m) ctx.relabel.add(m);
}

export function relabelPath(ctx: PlanContext, path: string): void {
  ctx.relabel?.add(path);
}

/** Plans MkdirAll of `dir`; false (with an error recorded) when a component is not a directory. */
export function ensureDir(ctx: PlanContext, dir: string, configPath?: ConfigPath): boolean {
  if (ctx.sim.lstat(dir)?.kind === 'dir') return true;
  const parts = components(dir);
  for (let i = 1; i <= parts.length; i++) {
    const p = '/' + parts.slice(0, i).join('/');
    const st = ctx.sim.lstat(p);
    if (st && st.kind !== 'dir') {
      ctx.errors.push({
        message: `failed to create directory ${dir}: ${p} exists and is not a directory`,
        configPath,
        hint: 'remove it or set overwrite: true on the entry that occupies that path',
      });
      return false;
    }
  }
  ctx.ops.push({ kind: 'mkdir', path: dir, configPath });
  ctx.sim.mkdirAll(dir);
  return true;
}

export function ensureParent(ctx: PlanContext, path: string, configPath?: ConfigPath): boolean {
  return ensureDir(ctx, vdirname(path), configPath);
}
