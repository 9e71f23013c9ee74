// `kindling embed`: the installer's hand-off. The config goes to `ignition/config.ign` on the
// filesystem labelled `boot` (directory 0700, file 0600: it may hold secrets), where the dracut
// module copies it to /run/ignition/user.ign at first boot, as coreos-installer and Fedora CoreOS
// do. `--platform` sets `ignition.platform.id=` in the boot loader entries on the same filesystem.
import fs from 'node:fs';
import path from 'node:path';
import type { Host } from '../host/host.js';
import { setArgInEntry } from '../bootloader/bls.js';
import { DeliveryError, findBootFs, openDisk, withMounted, type Target } from './bootfs.js';

export const EMBED_PATH = 'ignition/config.ign';
export const BLS_DIR = 'loader/entries';

export type EmbedAction = { op: 'write'; config: Buffer; force: boolean; platform?: string } | { op: 'show' } | { op: 'remove' };

export interface EmbedResult {
  /** The embedded config, for `show`. */
  config?: Buffer;
  /** What was done, one line each, for the user. */
  done: string[];
}

/** The action on a mounted boot filesystem (or any directory standing for one). */
export function embedInDir(dir: string, action: EmbedAction): EmbedResult {
  const file = path.join(dir, EMBED_PATH);
  const exists = fs.existsSync(file);
  switch (action.op) {
    case 'show':
      if (!exists) throw new DeliveryError('no embedded config (ignition/config.ign is absent on the boot filesystem)');
      return { config: fs.readFileSync(file), done: [] };
    case 'remove':
      if (!exists) return { done: ['no embedded config to remove'] };
      fs.rmSync(file);
      if (fs.readdirSync(path.dirname(file)).length === 0) fs.rmdirSync(path.dirname(file));
      return { done: [`removed ${EMBED_PATH}`] };
    case 'write': {
      if (exists && !action.force)
        throw new DeliveryError('the boot filesystem already has an embedded config (ignition/config.ign)', 'use --force to replace it, or --remove first');
      // Entries first: a platform that cannot be set must leave the config unwritten.
      const done = action.platform ? setPlatform(dir, action.platform) : [];
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.chmodSync(path.dirname(file), 0o700);
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, action.config, { mode: 0o600 });
      fs.renameSync(tmp, file);
      return { done: [`wrote ${EMBED_PATH} (${action.config.length} bytes)`, ...done] };
    }
  }
}

function setPlatform(dir: string, platform: string): string[] {
  const entries = path.join(dir, BLS_DIR);
  const confs = fs.existsSync(entries)
    ? fs
        .readdirSync(entries)
        .filter((f) => f.endsWith('.conf'))
        .sort()
    : [];
  if (confs.length === 0)
    throw new DeliveryError(
      `--platform: the boot filesystem has no boot loader entries (${BLS_DIR}/*.conf) to set ignition.platform.id in`,
      'set ignition.platform.id on the kernel command line in your boot loader configuration instead',
    );
  const done: string[] = [];
  for (const c of confs) {
    const p = path.join(entries, c);
    const next = setArgInEntry(fs.readFileSync(p, 'utf8'), 'ignition.platform.id', platform);
    if (next === null) continue;
    fs.writeFileSync(p, next);
    done.push(`set ignition.platform.id=${platform} in ${BLS_DIR}/${c}`);
  }
  return done.length ? done : [`ignition.platform.id=${platform} already set in ${BLS_DIR}/*.conf`];
}

/** The action on a disk image or block device (ISO images go through iso.ts). */
export async function embedOnDisk(host: Host, target: Target, action: EmbedAction): Promise<EmbedResult> {
  const readOnly = action.op === 'show';
  const disk = await openDisk(host, target, readOnly);
  try {
    const bootFs = await findBootFs(host, disk.dev, target.path);
    return await withMounted(host, bootFs, readOnly, (dir) => embedInDir(dir, action));
  } finally {
    await disk.release();
  }
}
