// Reading the config a command was given (a file, or stdin for `-` or no argument), with a plain
// message for the usual mistakes instead of a raw errno.
import { readFileSync } from 'node:fs';

export type ReadInput = { bytes: Buffer; name: string } | { error: string };

/** `name` is how diagnostics refer to the input: the path as given, or `<stdin>`. */
export function readInput(file: string | undefined): ReadInput {
  const fromStdin = file === undefined || file === '-';
  const name = fromStdin ? '<stdin>' : file;
  try {
    return { bytes: readFileSync(fromStdin ? 0 : file), name };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `cannot read ${name}: no such file` };
    if (code === 'EISDIR') return { error: `cannot read ${name}: it is a directory, not a config file` };
    if (code === 'EACCES') return { error: `cannot read ${name}: permission denied` };
    return { error: `cannot read ${name}: ${(e as Error).message}` };
  }
}
