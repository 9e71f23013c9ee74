// The files-stage planner: (config, view of the target root) → ordered operations. Pure: reads
// only through the RootView, writes nothing.
import type { Config } from '../../../generated/types.js';
import { defaultPaths, defaultTools, type Paths, type Tools } from '../../../host/tools.js';
import { resolveInRoot } from '../resolve.js';
import type { RootView } from '../rootview.js';
import { markRedirected, newContext, relabelNew } from './context.js';
import { planEntries } from './entries.js';
import type { Plan } from './ops.js';
import { PASSWD_GLOBS, planPasswd } from './passwd.js';
import { SimulatedRoot } from './sim.js';
import { planUnits } from './units.js';

export interface PlanOptions {
  /** Host path of the target root (used in `--root` arguments). */
  root: string;
  /** `boot` is Ignition's files stage (result file, SELinux relabel); `apply` is `kindling apply`. */
  mode: 'boot' | 'apply';
  /** Directories the mount stage created (state `notatedDirectories`), virtual paths. */
  notatedDirectories?: readonly string[];
  /** Whether a user config was provided (recorded in the result file). */
  userConfigProvided?: boolean;
  tools?: Tools;
  paths?: Paths;
}

/** SELINUXTYPE from the root's /etc/selinux/config, or null when none is configured. */
export function selinuxPolicy(view: RootView): string | null {
  const text = view.readText(resolveInRoot(view, '/etc/selinux/config', { followLast: true }));
  if (!text) return null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('SELINUXTYPE=')) return line.slice('SELINUXTYPE='.length) || null;
  }
  return null;
}

export function planFilesStage(config: Config, view: RootView, opts: PlanOptions): Plan {
  const policy = opts.mode === 'boot' ? selinuxPolicy(view) : null;
  const paths = opts.paths ?? defaultPaths;
  const ctx = newContext(new SimulatedRoot(view), opts.root, opts.tools ?? defaultTools, paths, policy !== null);
  planPasswd(ctx, config, opts.notatedDirectories ?? []);
  const hasPasswd = ctx.ops.length > 0 || (config.passwd?.users?.length ?? 0) + (config.passwd?.groups?.length ?? 0) > 0;
  planEntries(ctx, config);
  planUnits(ctx, config);
  if (opts.mode === 'boot') {
    const path = resolveInRoot(ctx.sim, paths.resultFile);
    relabelNew(ctx, path);
    ctx.ops.push({ kind: 'result-file', path, userConfigProvided: opts.userConfigProvided ?? true });
    ctx.sim.put(path, { kind: 'file', mode: 0o600, uid: 0, gid: 0 });
  }
  if (policy !== null && ctx.relabel) {
    const users = (config.passwd?.users ?? []).filter((u) => !u.noCreateHome && u.shouldExist !== false).map((u) => u.name ?? '');
    ctx.ops.push({
      kind: 'relabel',
      policy,
      paths: [...ctx.relabel, ...(hasPasswd ? ['/etc/.pwd.lock'] : [])],
      globs: hasPasswd ? PASSWD_GLOBS : [],
      homesOf: hasPasswd ? users : [],
    });
  }
  markRedirected(ctx);
  return { ops: ctx.ops, errors: ctx.errors, warnings: ctx.warnings };
}
