// storage.files / directories / links → operations, following Ignition's files stage: every path
// resolved first, shallowest first (stable), hard links last in config order, each entry checked
// against what exists (or what earlier entries will have created).
import type { ConfigPath } from '../../../diag/diagnostic.js';
import type { Config, Directory, File, Link } from '../../../generated/types.js';
import { hint, msg } from '../messages.js';
import { pathDepth, posix } from '../../../host/paths.js';
import { ensureDir, ensureParent, relabelNew, resolve, type PlanContext } from './context.js';
import { childPath } from '../../../diag/config-path.js';

type Entry = (
  | { type: 'dir'; node: Directory; path: string; cp: ConfigPath }
  | { type: 'file'; node: File; path: string; cp: ConfigPath }
  | { type: 'link'; node: Link; path: string; cp: ConfigPath }
) & { depth: number };

export function planEntries(ctx: PlanContext, config: Config): void {
  const storage = config.storage ?? {};
  const seen = new Map<string, string>();
  const ordered: Entry[] = [];
  const hard: Entry[] = [];
  const collect = (type: Entry['type'], label: string, list: { path: string }[] | undefined, key: string) => {
    (list ?? []).forEach((node, i) => {
      const cp: ConfigPath = ['storage', key, i];
      const path = resolve(ctx, node.path, cp);
      if (path === null) return;
      const other = seen.get(path);
      if (other !== undefined) {
        ctx.errors.push({ message: msg.duplicateResolved(label, node.path, path, other), configPath: cp });
        return;
      }
      seen.set(path, node.path);
      // The depth once, not at each comparison of the sort below.
      const e = { type, node, path, cp, depth: pathDepth(path) } as Entry;
      if (type === 'link' && (node as Link).hard) hard.push(e);
      else ordered.push(e);
    });
  };
  collect('dir', 'directory', storage.directories, 'directories');
  collect('file', 'file', storage.files, 'files');
  collect('link', 'link', storage.links, 'links');
  // Array.prototype.sort is stable: equal depths keep config order (Ignition's order is random there).
  ordered.sort((a, b) => a.depth - b.depth);

  for (const e of ordered.concat(hard)) {
    relabelNew(ctx, e.path);
    if (e.node.overwrite && ctx.sim.exists(e.path)) {
      ctx.ops.push({ kind: 'remove', path: e.path, configPath: e.cp });
      ctx.sim.removeTree(e.path);
    }
    if (e.type === 'file') planFile(ctx, e.node, e.path, e.cp);
    else if (e.type === 'dir') planDir(ctx, e.node, e.path, e.cp);
    else planLink(ctx, e.node, e.path, e.cp);
  }
}

function permsOp(ctx: PlanContext, node: File | Directory | Link, path: string, cp: ConfigPath, mode?: number) {
  if (node.user === undefined && node.group === undefined && mode === undefined) return;
  ctx.ops.push({ kind: 'perms', path, user: node.user, group: node.group, mode, configPath: cp });
  const st = ctx.sim.lstat(path);
  if (st) ctx.sim.put(path, { ...st, mode: mode ?? st.mode, uid: node.user?.id ?? st.uid, gid: node.group?.id ?? st.gid });
}

function planFile(ctx: PlanContext, f: File, path: string, cp: ConfigPath): void {
  const st = ctx.sim.lstat(path);
  const source = f.contents?.source;
  if (!st) {
    if (!ensureParent(ctx, path, cp)) return;
    const contents = source === undefined || source === '' ? { inline: '' } : { resource: f.contents! };
    ctx.ops.push({ kind: 'write', path, contents, exclusive: true, configPath: childPath(cp, 'contents') });
    ctx.sim.put(path, { kind: 'file', mode: 0o644, uid: 0, gid: 0 });
  } else if (st.kind !== 'file') {
    ctx.errors.push({ message: msg.fileNotRegular(path), configPath: cp, hint: hint.overwriteNode });
    return;
  } else if (source !== undefined) {
    ctx.errors.push({ message: msg.fileExists(path), configPath: cp, hint: hint.overwrite });
    return;
  }
  (f.append ?? []).forEach((r, j) => {
    ctx.ops.push({ kind: 'append', path, contents: { resource: r }, configPath: childPath(cp, 'append', j) });
  });
  permsOp(ctx, f, path, cp, f.mode);
}

function planDir(ctx: PlanContext, d: Directory, path: string, cp: ConfigPath): void {
  const st = ctx.sim.lstat(path);
  if (!st) {
    if (!ensureDir(ctx, path, cp)) return;
  } else if (st.kind !== 'dir') {
    ctx.errors.push({ message: msg.dirNotDir(path), configPath: cp, hint: hint.overwriteNode });
    return;
  }
  permsOp(ctx, d, path, cp, d.mode);
}

/** Go's filepath.Clean, used to compare symlink targets. */
function cleanTarget(t: string): string {
  const n = posix.normalize(t);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

function planLink(ctx: PlanContext, l: Link, path: string, cp: ConfigPath): void {
  const st = ctx.sim.lstat(path);
  if (l.hard) {
    const target = resolve(ctx, l.target, childPath(cp, 'target'));
    if (target === null) return;
    const tst = ctx.sim.lstat(target);
    if (st) {
      if (!tst)
        ctx.errors.push({ message: msg.hardlinkNoTarget(path, `lstat ${target}: no such file or directory`), configPath: cp, hint: hint.hardlinkTarget });
      else if (tst.ino !== st.ino || tst.dev !== st.dev) ctx.errors.push({ message: msg.hardlinkOther(path), configPath: cp, hint: hint.overwriteNode });
      return;
    }
    if (!tst) {
      ctx.errors.push({
        message: `failed to create link ${JSON.stringify(path)}: link ${target} ${path}: no such file or directory`,
        configPath: cp,
        hint: hint.hardlinkTarget,
      });
      return;
    }
    if (tst.kind === 'dir') {
      ctx.errors.push({ message: `failed to create link ${JSON.stringify(path)}: hard link target is a directory`, configPath: cp });
      return;
    }
    if (!ensureParent(ctx, path, cp)) return;
    ctx.ops.push({ kind: 'hardlink', path, target, configPath: cp });
    ctx.sim.put(path, { ...tst });
    return;
  }
  if (st) {
    if (st.kind !== 'symlink') ctx.errors.push({ message: msg.symlinkNonLink(path), configPath: cp, hint: hint.overwriteNode });
    else if (cleanTarget(st.target ?? '') !== cleanTarget(l.target))
      ctx.errors.push({ message: msg.symlinkOther(path, st.target ?? '', l.target), configPath: cp, hint: hint.overwriteNode });
    return;
  }
  if (!ensureParent(ctx, path, cp)) return;
  ctx.ops.push({ kind: 'symlink', path, target: l.target, configPath: cp });
  ctx.sim.put(path, { kind: 'symlink', mode: 0o777, uid: 0, gid: 0, target: l.target });
  permsOp(ctx, l, path, cp);
}
