// Node's file-system errors in the words of Go's os package (`open config.ign: no such file or
// directory`), which is what Ignition prints and what people search for. Pure.
const TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EIO: 'input/output error',
  ELOOP: 'too many levels of symbolic links',
};

export function goPathError(op: string, path: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  // Go reports a directory at read time, not open time
  const verb = code === 'EISDIR' ? 'read' : op;
  return new Error(`${verb} ${path}: ${TEXT[code] ?? (e as Error)?.message ?? String(e)}`, { cause: e });
}
