// Absolute, clean paths: files, directories, links, devices and mount points.
export type PathProblem = 'path not specified' | 'path not absolute' | 'path is not fully simplified';

export function pathProblem(p: string | undefined): PathProblem | undefined {
  if (!p) return 'path not specified';
  if (!p.startsWith('/')) return 'path not absolute';
  // Clean in the sense of Go's path.Clean: no empty, "." or ".." segments and no trailing slash.
  if (p.length > 1 && (p.endsWith('/') || hasUncleanSegment(p))) return 'path is not fully simplified';
  return undefined;
}

/** Whether `p` has an empty, `.` or `..` segment after a `/`. */
function hasUncleanSegment(p: string): boolean {
  for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
    let j = i + 1;
    if (p[j] === '/') return true;
    if (p[j] === '.') j += p[j + 1] === '.' ? 2 : 1;
    else continue;
    if (j === p.length || p[j] === '/') return true;
  }
  return false;
}

/** Hit for a path-valued field, or undefined when the path is fine (or, with nilOk, unset). */
export function pathHit(field: string, p: string | undefined, nilOk = false) {
  if (nilOk && !p) return undefined;
  const problem = pathProblem(p);
  return problem ? { at: [field], message: problem } : undefined;
}
