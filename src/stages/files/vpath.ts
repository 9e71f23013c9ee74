// Virtual paths: absolute POSIX paths as seen from inside the target root ("/etc/hostname").
// Pure string functions; `..` is clamped at "/" so a virtual path can never name anything above
// the root, whatever a config or a symlink target says.
import { posix } from '../../host/paths.js';

/** Splits into components, dropping empty and "." parts but keeping "..". */
export function components(p: string): string[] {
  const out: string[] = [];
  for (let start = 0, i = 0; i <= p.length; i++) {
    if (i < p.length && p.charCodeAt(i) !== 0x2f) continue;
    if (i > start && !(i === start + 1 && p.charCodeAt(start) === 0x2e)) out.push(p.slice(start, i));
    start = i + 1;
  }
  return out;
}

/**
 * True when cleanVirtual would give `p` back: absolute, without a trailing slash, and without an
 * empty, "." or ".." component. Planning asks with such paths nearly always.
 */
function isClean(p: string): boolean {
  if (p === '/') return true;
  if (p.charCodeAt(0) !== 0x2f || p.charCodeAt(p.length - 1) === 0x2f) return false;
  for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
    const next = p.charCodeAt(i + 1);
    if (next === 0x2f) return false;
    if (next !== 0x2e) continue;
    const end = i + 2 === p.length || p.charCodeAt(i + 2) === 0x2f;
    const dots = p.charCodeAt(i + 2) === 0x2e && (i + 3 === p.length || p.charCodeAt(i + 3) === 0x2f);
    if (end || dots) return false;
  }
  return true;
}

/** Normalises to an absolute, clean virtual path; ".." at the top stays at "/". */
export function cleanVirtual(p: string): string {
  if (isClean(p)) return p;
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
