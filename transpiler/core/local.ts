// Access to --files-dir for `local` resources, `*_local` fields and trees. Paths are checked
// lexically (as Butane does) so nothing outside the files directory is ever read.
import fs from 'node:fs';
import path from 'node:path';

export const ERR_NO_FILES_DIR = 'local file paths are relative to a files directory that must be specified with -d/--files-dir';
export const ERR_ESCAPE = 'local file path traverses outside the files directory';

export class LocalError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface TreeEntry {
  /** Path relative to the tree root, with `/` separators. */
  rel: string;
  kind: 'file' | 'dir' | 'link' | 'other';
  /** File contents, link target, or nothing. */
  data?: Buffer;
  target?: string;
  executable?: boolean;
}

export interface LocalFiles {
  readonly dir: string | undefined;
  /** Contents of a file under the files directory. Throws LocalError. */
  read(rel: string): Buffer;
  /** Every node under a directory of the files directory, the root first, in lexical walk order. */
  walk(rel: string): TreeEntry[];
}

export function localFiles(dir: string | undefined): LocalFiles {
  const resolve = (rel: string): string => {
    if (dir === undefined) throw new LocalError(ERR_NO_FILES_DIR, 'pass the directory holding local files with --files-dir DIR');
    const base = path.resolve(dir);
    // Joined like Go's filepath.Join: an absolute `rel` is still below the files directory.
    const full = path.resolve(path.join(base, rel));
    if (full !== base && !full.startsWith(base + path.sep)) throw new LocalError(ERR_ESCAPE);
    return full;
  };
  const ioError = (e: unknown, rel: string): LocalError => {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    return new LocalError(`cannot read local file ${rel}: ${why}`, `the path is relative to the files directory ${dir}`);
  };
  return {
    dir,
    read(rel) {
      const full = resolve(rel);
      try {
        return fs.readFileSync(full);
      } catch (e) {
        throw ioError(e, rel);
      }
    },
    walk(rel) {
      const root = resolve(rel);
      let st: fs.Stats;
      try {
        st = fs.statSync(root);
      } catch (e) {
        throw ioError(e, rel);
      }
      if (!st.isDirectory()) throw new LocalError('root of tree must be a directory');
      const out: TreeEntry[] = [];
      const visit = (abs: string, relPath: string) => {
        const s = fs.lstatSync(abs);
        if (s.isDirectory()) {
          out.push({ rel: relPath, kind: 'dir' });
          // Go's filepath.Walk visits names in byte order.
          const names = fs.readdirSync(abs).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
          for (const n of names) visit(path.join(abs, n), relPath ? `${relPath}/${n}` : n);
        } else if (s.isFile()) {
          out.push({ rel: relPath, kind: 'file', data: fs.readFileSync(abs), executable: (s.mode & 0o111) !== 0 });
        } else if (s.isSymbolicLink()) {
          out.push({ rel: relPath, kind: 'link', target: fs.readlinkSync(abs) });
        } else {
          out.push({ rel: relPath, kind: 'other' });
        }
      };
      visit(root, '');
      return out;
    },
  };
}

/**
 * `files`, with each file read once: for a process that checks many configs against one files
 * directory (lint), which mostly refer to the same few files (keys, shared units). Only reads are
 * remembered, failures included: for a run that writes nothing under the files directory.
 */
export function readingOnce(files: LocalFiles): LocalFiles {
  const seen = new Map<string, Buffer | LocalError>();
  return {
    dir: files.dir,
    read(rel) {
      let r = seen.get(rel);
      if (r === undefined) {
        try {
          r = files.read(rel);
        } catch (e) {
          if (!(e instanceof LocalError)) throw e;
          r = e;
        }
        seen.set(rel, r);
      }
      if (r instanceof LocalError) throw r;
      return r;
    },
    walk: (rel) => files.walk(rel),
  };
}
