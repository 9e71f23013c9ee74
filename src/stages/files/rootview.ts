// Read-only views of a target root, addressed by virtual paths. The planner only ever sees a
// RootView, so it runs the same against a real directory, a memory snapshot (unit tests) or an
// overlay that simulates the operations planned so far.
import type * as NodeFs from 'node:fs';
import { hostPath } from './vpath.js';
import { lstatVia, type PathStat } from '../../host/reader.js';
import { isDirMode, isFileMode, isSymlinkMode } from '../../host/modes.js';

export type NodeKind = 'file' | 'dir' | 'symlink' | 'other';

export interface NodeInfo {
  kind: NodeKind;
  /** Permission bits including setuid/setgid/sticky. */
  mode: number;
  uid: number;
  gid: number;
  /** Identity of the inode, to tell whether two paths are hard links of one file. */
  ino?: number | bigint;
  dev?: number | bigint;
  /** Symlink target, verbatim. */
  target?: string;
}

export interface RootView {
  /** The node at `vpath` without following a symlink there. Parents must already be resolved. */
  lstat(vpath: string): NodeInfo | null;
  /**
   * The text of a regular file, as UTF-8 (parents resolved, last component not followed), or null.
   * Every file the stage reads is text (accounts, SELinux config, its own report).
   */
  readText(vpath: string): string | null;
}

function kindOf(mode: number): NodeKind {
  if (isFileMode(mode)) return 'file';
  if (isDirMode(mode)) return 'dir';
  if (isSymlinkMode(mode)) return 'symlink';
  return 'other';
}

/** A live view of `root` on a real (or memfs) filesystem. */
export function fsRootView(fs: typeof NodeFs, root: string): RootView {
  return {
    lstat(vpath) {
      const p = hostPath(root, vpath);
      let st: PathStat | undefined;
      try {
        // A missing path comes back undefined, not as an exception: Node builds each with a stack
        // trace, and a plan looks up dozens of paths that do not exist yet.
        st = lstatVia(fs, p);
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
      if (!st) return null;
      const kind = kindOf(st.mode);
      return {
        kind,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        ino: st.ino,
        dev: st.dev,
        target: kind === 'symlink' ? String(fs.readlinkSync(p)) : undefined,
      };
    },
    readText(vpath) {
      const p = hostPath(root, vpath);
      try {
        const st = lstatVia(fs, p);
        if (!st || !isFileMode(st.mode)) return null;
        // Read as text by Node's native path: a Buffer would take Node's Buffer functions (src/host/utf8.ts).
        return fs.readFileSync(p, 'utf8');
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    },
  };
}

export function isMissing(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** One node of a snapshotView; what it leaves out takes the defaults of a root-owned node. */
export interface SnapshotNode extends Partial<NodeInfo> {
  kind: NodeKind;
  content?: string;
}

/**
 * A root held in memory, from plain data: `{ '/etc': {kind:'dir'}, '/etc/x': {kind:'file', content:'..'} }`.
 * For unit tests, and for `kindling plan`'s fresh OS root.
 */
export function snapshotView(nodes: Record<string, SnapshotNode>): RootView {
  let ino = 1;
  const full = new Map<string, NodeInfo & { content?: string }>();
  for (const [p, n] of Object.entries(nodes)) {
    full.set(p, {
      mode: n.kind === 'dir' ? 0o755 : n.kind === 'symlink' ? 0o777 : 0o644,
      uid: 0,
      gid: 0,
      dev: 1,
      ino: ino++,
      ...n,
      content: n.content,
    });
  }
  return {
    lstat: (p) => {
      const n = full.get(p);
      if (!n) return null;
      const { content: _c, ...info } = n;
      return info;
    },
    readText: (p) => {
      const n = full.get(p);
      return n && n.kind === 'file' ? (n.content ?? '') : null;
    },
  };
}
