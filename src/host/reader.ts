// Reading a file's bytes: open, read, close. In a bundle built by scripts/build.mjs the loader offers
// its own reader, which on the Node the build checked goes straight to Node's fs bindings (its
// fs.openSync, readSync and closeSync are JavaScript that Node compiles from its source at their
// first call, about a million instructions of a cold command: scripts/start.cjs). Elsewhere (tests,
// another Node) these are node:fs's own functions. Errors are node:fs's errors either way.
import fs from 'node:fs';

export interface Reader {
  /** fs.openSync(file, 'r'). */
  open(file: string): number;
  /** fs.readSync(fd, into, offset, length, position): the bytes read, 0 at the end. */
  read(fd: number, into: Uint8Array, offset: number, length: number, position: number | null): number;
  /** fs.closeSync(fd). */
  close(fd: number): void;
}

const NODE_FS: Reader = {
  open: (file) => fs.openSync(file, 'r'),
  read: (fd, into, offset, length, position) => fs.readSync(fd, into, offset, length, position),
  close: (fd) => fs.closeSync(fd),
};

export const reader: Reader = ((globalThis as Record<symbol, unknown>)[Symbol.for('kindling.reader')] as Reader | undefined) ?? NODE_FS;
