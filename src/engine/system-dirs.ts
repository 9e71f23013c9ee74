// The system config directories (Ignition's /run/ignition > /etc/ignition > /usr/lib/ignition,
// each overridable from the environment as in Ignition): `user.ign` and the base configs that are
// merged under the user config at every stage.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../host/host.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Highest priority first. An empty variable counts as unset, as in Ignition. */
export function systemConfigDirs(env: Env): string[] {
  const pick = (name: string, dflt: string) => env[`IGNITION_${name}`] || dflt;
  return [pick('SYSTEM_RUNTIME_CONFIG_DIR', '/run/ignition'), pick('SYSTEM_LOCAL_CONFIG_DIR', '/etc/ignition'), pick('SYSTEM_CONFIG_DIR', '/usr/lib/ignition')];
}

export interface SystemFile {
  path: string;
  data: Buffer;
}

/**
 * `read(p)`, or null when `p` does not exist. existsSync first: an absent file or directory is the
 * usual case, and Node builds every ENOENT exception with a stack trace (a removal in between
 * still lands in the catch).
 */
function ifPresent<T>(p: string, read: (p: string) => T): T | null {
  if (!fs.existsSync(p)) return null;
  try {
    return read(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The first `user.ign` found, or null. */
export function systemUserConfig(dirs: readonly string[], log: Logger): SystemFile | null {
  for (const dir of dirs) {
    const p = path.join(dir, 'user.ign');
    log.info(`reading system config file ${JSON.stringify(p)}`);
    const data = ifPresent(p, (f) => fs.readFileSync(f));
    if (data) return { path: p, data };
    log.info(`no config at ${JSON.stringify(p)}`);
  }
  return null;
}

/**
 * The fragments of one base directory (`base.d` or `base.platform.d/<id>`) across the system
 * dirs, in file-name order; a name in a higher-priority dir hides the same name below it.
 */
export function baseFragments(dirs: readonly string[], sub: string, log: Logger): SystemFile[] {
  const byName = new Map<string, string>();
  for (const dir of dirs) {
    const p = path.join(dir, sub);
    const names = ifPresent(p, (d) => fs.readdirSync(d));
    if (!names) {
      log.info(`no config dir at ${JSON.stringify(p)}`);
      continue;
    }
    for (const n of names) if (!byName.has(n)) byName.set(n, path.join(p, n));
  }
  return [...byName.keys()].sort().map((n) => ({ path: byName.get(n)!, data: fs.readFileSync(byName.get(n)!) }));
}
