// Chroot-style path resolution inside a target root. Unlike Ignition's JoinPath (one level of
// symlink per component, the rest left to the kernel, which resolves absolute targets against the
// HOST root), symlinks are followed completely here, with absolute targets re-rooted and ".."
// clamped at the root. The result names a path whose every parent component is a real directory
// (or missing) inside the root, so nothing derived from it can reach outside.
import type { RootView } from './rootview.js';
import { components } from './vpath.js';

/** Linux's limit on symlink hops (ELOOP). */
const MAX_HOPS = 40;

export class ResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResolveError';
  }
}

export interface ResolveOptions {
  /** Also follow a symlink in the last component (for reading files like /etc/passwd). */
  followLast?: boolean;
  /** Receives each symlink followed: its virtual path and its target as written. */
  links?: Link[];
}

export interface Link {
  path: string;
  target: string;
}

/** Resolves virtual path `vpath` against `view`; returns a clean virtual path. */
export function resolveInRoot(view: RootView, vpath: string, opts: ResolveOptions = {}): string {
  let pending = components(vpath);
  // The path resolved so far, always clean: "/" or "/a/b" (kept as a string, not re-joined per step).
  let dir = '/';
  let hops = 0;
  while (pending.length > 0) {
    const c = pending.shift()!;
    if (c === '..') {
      dir = dir.slice(0, dir.lastIndexOf('/')) || '/';
      continue;
    }
    const at = dir === '/' ? '/' + c : dir + '/' + c;
    if (pending.length === 0 && !opts.followLast) return at;
    const st = view.lstat(at);
    if (st?.kind !== 'symlink') {
      dir = at;
      continue;
    }
    if (++hops > MAX_HOPS) tooManyLinks(vpath);
    const target = st.target ?? '';
    opts.links?.push({ path: at, target });
    if (target.startsWith('/')) dir = '/';
    pending = components(target).concat(pending);
  }
  return dir;
}

function tooManyLinks(vpath: string): never {
  throw new ResolveError(`too many levels of symbolic links resolving ${vpath}`);
}

/** First component of `vpath` (resolved) that does not exist yet, or null when all exist. */
export function firstMissing(view: RootView, vpath: string): string | null {
  const parts = components(vpath);
  for (let i = 1; i <= parts.length; i++) {
    const p = '/' + parts.slice(0, i).join('/');
    if (!view.lstat(p)) return p;
  }
  return null;
}
