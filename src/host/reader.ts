// Reading a file's bytes (open, read, close) and what is at a path (lstat, stat). In a bundle built
// by scripts/build.mjs the loader offers its own reader, which on the Node the build checked goes
// straight to Node's fs bindings (its fs.openSync, readSync, closeSync and lstatSync are JavaScript
// that Node compiles from its source at their first call, about a million instructions of a cold
// command for the first three, and as much again for lstatSync and the Stats class behind it:
// scripts/start.cjs). Elsewhere (tests, another Node) these are node:fs's own functions. Errors are
// node:fs's errors either way.
import type * as NodeFs from 'node:fs';
import fs from 'node:fs';

/** The fields of a Stats object that Kindling reads. */
export interface PathStat {
  dev: number;
  /** File type and permission bits (st_mode). */
  mode: number;
  uid: number;
  gid: number;
  ino: number;
  size: number;
}

export interface Reader {
  /** fs.openSync(file, 'r'). */
  open(file: string): number;
  /** fs.readSync(fd, into, offset, length, position): the bytes read, 0 at the end. */
  read(fd: number, into: Uint8Array, offset: number, length: number, position: number | null): number;
  /** fs.closeSync(fd). */
  close(fd: number): void;
  /** fs.lstatSync(file, { throwIfNoEntry: false }): undefined where nothing is; other errors (ENOTDIR too) are thrown. */
  lstat(file: string): PathStat | undefined;
  /** The same with the last symlink followed (fs.statSync). */
  stat(file: string): PathStat | undefined;
}

const fields = (st: NodeFs.Stats | undefined): PathStat | undefined =>
  st && { dev: st.dev, mode: st.mode, uid: st.uid, gid: st.gid, ino: st.ino, size: st.size };

const NODE_FS: Reader = {
  open: (file) => fs.openSync(file, 'r'),
  read: (fd, into, offset, length, position) => fs.readSync(fd, into, offset, length, position),
  close: (fd) => fs.closeSync(fd),
  lstat: (file) => fields(fs.lstatSync(file, { throwIfNoEntry: false })),
  stat: (file) => fields(fs.statSync(file, { throwIfNoEntry: false })),
};

export const reader: Reader = ((globalThis as Record<symbol, unknown>)[Symbol.for('kindling.reader')] as Reader | undefined) ?? NODE_FS;

/**
 * lstat through `via`: node:fs itself goes through the reader above; another implementation of its
 * functions (memfs in unit tests) is asked directly.
 */
export function lstatVia(via: typeof NodeFs, file: string): PathStat | undefined {
  return via === fs ? reader.lstat(file) : fields(via.lstatSync(file, { throwIfNoEntry: false }));
}
