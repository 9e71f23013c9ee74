// The mount and umount stages (reference §3.4): mount every filesystem with a path under the root,
// shallowest first, creating missing directories; unmount deepest first.
import path from 'node:path';
import type { Config, Filesystem } from '../generated/types.js';
import { commandError, type Host } from '../host/host.js';
import { pathDepth } from '../host/paths.js';
import { DisksError, type PlannedCommand } from './model.js';

export interface MountOptions {
  /** The target root, e.g. /sysroot. Required: "/" is refused outside an initramfs. */
  root: string;
}

export interface MountResult {
  /** Directories created for mount points, relative to the root (for the files stage's chown). */
  createdDirs: string[];
  ran: string[][];
}

/** A mount path as seen inside the root: clean, absolute, `..` stopped at "/" (chroot semantics). */
function inRoot(p: string): string {
  return path.posix.normalize('/' + p);
}

/**
 * Host path of mount path `p` under `root`, without a trailing slash (`/sysroot` + `/` is
 * `/sysroot`, as Go's filepath.Join). Ignition's validation refuses unclean paths; clamping here
 * keeps even an unvalidated `/../etc` inside the root.
 */
function under(root: string, p: string): string {
  const j = path.join(root, inRoot(p));
  return j.length > 1 && j.endsWith('/') ? j.slice(0, -1) : j;
}

/** Filesystems the mount stages handle, sorted shallowest first (a stable sort). */
export function mountable(config: Config): (Filesystem & { path: string; format: string })[] {
  return (config.storage?.filesystems ?? [])
    .filter((f): f is Filesystem & { path: string; format: string } => !!f.path && !!f.format && f.format !== 'swap' && f.format !== 'none')
    .sort((a, b) => pathDepth(a.path) - pathDepth(b.path));
}

export function mountArgv(fs: Filesystem & { path: string; format: string }, root: string, mount: string): string[] {
  return [mount, '-o', (fs.mountOptions ?? []).join(','), '-t', fs.format, fs.device, under(root, fs.path)];
}

export function planMount(config: Config, root: string, tools: { mount: string; umount: string }): { mount: PlannedCommand[]; umount: PlannedCommand[] } {
  const fss = mountable(config);
  return {
    mount: fss.map((f) => ({ argv: mountArgv(f, root, tools.mount), why: `mount ${f.device} at ${f.path}` })),
    umount: [...fss].reverse().map((f) => ({ argv: [tools.umount, under(root, f.path)], why: `unmount ${f.path}` })),
  };
}

function checkRoot(host: Host, root: string): string {
  if (!root) throw new DisksError('a target root is required');
  const abs = path.resolve(root);
  if (abs === '/' && !host.fs.existsSync(host.paths.initrdRelease))
    throw new DisksError(`refusing to mount into "/" outside an initramfs (${host.paths.initrdRelease} is missing)`);
  return abs;
}

/**
 * Any existing component that is not a directory (symlinks included) is an error, as in Ignition:
 * mount(8) and umount(8) follow symlinks with the host's root, so a planted `/var -> /etc` or
 * `/mnt -> /` would otherwise redirect them outside the target root.
 */
function checkForNonDirectories(host: Host, target: string): void {
  let p = '/';
  for (const c of target.split('/').filter(Boolean)) {
    p = path.join(p, c);
    let st;
    try {
      st = host.fs.lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    if (!st.isDirectory()) throw new DisksError(`mount path ${JSON.stringify(target)} contains non-directory component ${JSON.stringify(p)}`);
  }
}

export async function runMount(config: Config, host: Host, opts: MountOptions): Promise<MountResult> {
  const fss = mountable(config);
  const res: MountResult = { createdDirs: [], ran: [] };
  if (!fss.length) return res;
  const root = checkRoot(host, opts.root);
  for (const fs of fss) {
    const target = under(root, fs.path);
    checkForNonDirectories(host, target);
    // Create missing components one by one so each can be recorded for the files stage.
    let rel = '/';
    for (const c of inRoot(fs.path).split('/').filter(Boolean)) {
      rel = path.posix.join(rel, c);
      const abs = path.join(root, rel);
      if (host.fs.existsSync(abs)) continue;
      host.fs.mkdirSync(abs, { mode: 0o755 });
      host.fs.chmodSync(abs, 0o755);
      res.createdDirs.push(rel);
    }
    const argv = mountArgv(fs, root, host.tools.mount);
    host.log.info(
      `mounting ${JSON.stringify(fs.device)} at ${JSON.stringify(target)} with type ${JSON.stringify(fs.format)} and options ${JSON.stringify(argv[2])}`,
    );
    res.ran.push(argv);
    const r = await host.run(argv);
    if (r.code !== 0) throw new DisksError(commandError(argv, r));
  }
  return res;
}

export async function runUmount(config: Config, host: Host, opts: MountOptions): Promise<{ ran: string[][] }> {
  const fss = mountable(config).reverse();
  const ran: string[][] = [];
  if (!fss.length) return { ran };
  const root = checkRoot(host, opts.root);
  for (const fs of fss) {
    const argv = [host.tools.umount, under(root, fs.path)];
    // Beyond Ignition (it unmounts the joined path as it is): the tree may have changed since the
    // mount stage, and a component swapped for a symlink would unmount something of the host.
    checkForNonDirectories(host, argv[1]!);
    ran.push(argv);
    const r = await host.run(argv);
    if (r.code !== 0) throw new DisksError(`umounting ${JSON.stringify(argv[1])}: ${commandError(argv, r)}`);
  }
  return { ran };
}
