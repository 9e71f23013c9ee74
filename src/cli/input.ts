// Reading the config a command was given (a file, or stdin for `-` or no argument), with a plain
// message for the usual mistakes instead of a raw errno, and a bound on its size.
import fs from 'node:fs';
import { MAX_CONFIG_BYTES } from '../fetch/limits.js';
import { reader } from '../host/reader.js';

export type ReadInput = { bytes: Uint8Array; name: string } | { error: string };

/**
 * `name` is how diagnostics refer to the input: the path as given, or `<stdin>`. `maxBytes` bounds
 * a config; an input that is not one (an initrd) passes its own bound and says what it is.
 */
export function readInput(file: string | undefined, maxBytes = MAX_CONFIG_BYTES, kind?: string): ReadInput {
  const fromStdin = file === undefined || file === '-';
  const name = fromStdin ? '<stdin>' : file;
  try {
    const bytes = readAtMost(fromStdin ? 0 : reader.open(file), maxBytes);
    if (!bytes && kind) return { error: `cannot read ${name}: it is larger than ${maxBytes / 1048576} MiB, the most Kindling reads as ${kind}` };
    if (!bytes)
      return {
        error:
          `cannot read ${name}: it is larger than ${maxBytes / 1048576} MiB, the most Kindling reads as one config ` +
          '(as for a fetched one); move large contents out of the config into a resource it refers to (contents.source, or contents.local in Butane)',
      };
    return { bytes, name };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `cannot read ${name}: no such file` };
    if (code === 'EISDIR') return { error: `cannot read ${name}: it is a directory, not a config file` };
    if (code === 'EACCES') return { error: `cannot read ${name}: permission denied` };
    return { error: `cannot read ${name}: ${(e as Error).message}` };
  }
}

/**
 * The whole of `fd` (closed afterwards unless stdin), or null once it exceeds `max` bytes: read in
 * chunks, so a huge file or an endless pipe costs no more than `max` of memory.
 *
 * A config (a few KiB) comes in one read of 16 KiB, and one more finds its end. Only a larger input
 * is fstat'ed: a regular file's size says how much is left, read in one chunk; a pipe goes on in
 * chunks that double up to 1 MiB. (Node's Stats object and the functions behind it cost a cold
 * start about a million instructions, more than reading a config. A fixed 1 MiB chunk per read cost
 * every config 2 MiB of memory outside V8's heap, and `kindling lint` over 100 files a garbage
 * collection every few files for that "external memory pressure".) Plain Uint8Arrays, not Buffers:
 * see src/host/utf8.ts.
 */
function readAtMost(fd: number, max: number): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (let next = 16 * 1024; ;) {
      const chunk = new Uint8Array(Math.min(next, max + 1 - total));
      let n: number;
      try {
        n = reader.read(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking stdin not ready yet
        if ((e as NodeJS.ErrnoException).code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > max) return null;
      if (chunks.length === 1 && n === chunk.length) {
        const st = fs.fstatSync(fd);
        next = st.isFile() && st.size >= total ? st.size - total + 1 : 64 * 1024;
      } else next = Math.min(next * 2, 1 << 20);
    }
  } finally {
    if (fd !== 0) reader.close(fd);
  }
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(total);
  for (let at = 0, i = 0; i < chunks.length; at += chunks[i++].length) all.set(chunks[i], at);
  return all;
}
