// What the disks stage leaves for the files stage (reference §3.9): `/etc/crypttab` lines and the
// key files of volumes without clevis, as an Ignition config fragment, the way Ignition adds them
// in its files stage. Merged after the user's config, so a user's own /etc/crypttab gets appended to.
import type { Config, Directory, File } from '../generated/types.js';
import { LATEST } from '../model/versions.js';
import type { LuksArtifacts } from './model.js';

const dataUrl = (b: Buffer | string) => `data:;base64,${Buffer.from(b).toString('base64')}`;

/**
 * `keyDirExists`: whether the root already has the key directory; only a new one is created 0700
 * (an existing directory keeps its mode, as in Ignition).
 */
export function luksFilesFragment(a: LuksArtifacts, opts: { keyDir: string; keyDirExists: boolean }): Config | undefined {
  if (!a.crypttab.length) return undefined;
  const files: File[] = a.keyFiles.map((k) => ({ path: k.path, mode: k.mode, contents: { source: dataUrl(k.contents) } }));
  const directories: Directory[] = a.keyFiles.length && !opts.keyDirExists ? [{ path: opts.keyDir, mode: 0o700 }] : [];
  files.push({ path: '/etc/crypttab', mode: 0o600, append: a.crypttab.map((line) => ({ source: dataUrl(line) })) });
  return { ignition: { version: LATEST }, storage: { files, ...(directories.length ? { directories } : {}) } };
}
