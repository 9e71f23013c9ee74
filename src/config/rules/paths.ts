// Absolute, clean paths: files, directories, links, devices and mount points.
import { posix } from 'node:path';

export type PathProblem = 'path not specified' | 'path not absolute' | 'path is not fully simplified';

export function pathProblem(p: string | undefined): PathProblem | undefined {
  if (!p) return 'path not specified';
  if (!p.startsWith('/')) return 'path not absolute';
  if (posix.normalize(p) !== p || (p.length > 1 && p.endsWith('/'))) return 'path is not fully simplified';
  return undefined;
}

/** Hit for a path-valued field, or undefined when the path is fine (or, with nilOk, unset). */
export function pathHit(field: string, p: string | undefined, nilOk = false) {
  if (nilOk && !p) return undefined;
  const problem = pathProblem(p);
  return problem ? { at: [field], message: problem } : undefined;
}
