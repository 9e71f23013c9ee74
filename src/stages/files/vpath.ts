// Virtual paths: absolute POSIX paths as seen from inside the target root ("/etc/hostname").
// Pure string functions; `..` is clamped at "/" so a virtual path can never name anything above
// the root, whatever a config or a symlink target says.
import posix from 'node:path/posix';

/** Splits into components, dropping empty and "." parts but keeping "..". */
export function components(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

/** Normalises to an absolute, clean virtual path; ".." at the top stays at "/". */
export function cleanVirtual(p: string): string {
  const out: string[] = [];
  for (const c of components(p)) {
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

export function vjoin(...parts: string[]): string {
  return cleanVirtual(parts.join('/'));
}

export function vdirname(p: string): string {
  return posix.dirname(p);
}

/** Host path of a resolved virtual path. Only ever called with clean virtual paths. */
export function hostPath(root: string, vpath: string): string {
  const clean = cleanVirtual(vpath);
  const r = root.endsWith('/') && root.length > 1 ? root.slice(0, -1) : root;
  return clean === '/' ? r || '/' : r === '/' ? clean : r + clean;
}

/** True when `p` is `dir` or below it (both clean virtual paths). */
export function isWithin(p: string, dir: string): boolean {
  return dir === '/' || p === dir || p.startsWith(dir + '/');
}
