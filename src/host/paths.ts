// Paths of the target system as Ignition orders them. Pure.
import path from 'node:path';

/**
 * Node's POSIX path functions, for paths of the target system on any host. (Imported as
 * node:path/posix, they would be one more built-in module for Node to load at every start.)
 */
export const posix = path.posix;

/**
 * How deep a path lies, as Ignition's util.Depth counts it: the components of the cleaned path
 * ("/" and "." are 0, "/etc" is 1, "/a/../b" is 1). Filesystem entries are created and filesystems
 * mounted shallowest first (a stable sort, so equal depths keep config order).
 */
export function pathDepth(p: string): number {
  return posix
    .normalize(p || '.')
    .split('/')
    .filter((c) => c !== '' && c !== '.').length;
}
