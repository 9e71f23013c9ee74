// Filesystem planner (reference §3.3): reuse or refuse based on what blkid found, then the exact
// wipefs + mkfs argv per format. Pure.
import type { Filesystem } from '../generated/types.js';
import type { Tools } from '../host/tools.js';
import { DisksError, type FsProbe } from './model.js';
import { q } from './partitions.js';

export const BAD_FILESYSTEM = 'filesystem is not of the correct type';

/** Lower-case; FAT volume ids lose their dash because mkfs.fat refuses it. */
export function canonicalUuid(format: string, uuid: string): string {
  let u = uuid.toLowerCase();
  if (format === 'vfat' && u.length >= 5 && u[4] === '-') u = u.slice(0, 4) + u.slice(5);
  return u;
}

/** The filesystems the disks stage works on: a format and a block device (not virtiofs tags). */
export function isBlockFilesystem(fs: Filesystem): boolean {
  return !!fs.format && fs.format !== 'virtiofs';
}

export type FsDecision = { action: 'skip'; note: string } | { action: 'create' };

/** Throws DisksError when the device holds something else and no wipe was requested. */
export function decideFilesystem(fs: Filesystem, found: FsProbe): FsDecision {
  if (fs.wipeFilesystem) return { action: 'create' };
  const want = fs.format === 'none' ? '' : fs.format!;
  if (
    found.type === want &&
    (fs.label === undefined || found.label === fs.label) &&
    (fs.uuid === undefined || canonicalUuid(found.type, found.uuid) === canonicalUuid(want, fs.uuid))
  )
    return { action: 'skip', note: `filesystem at ${q(fs.device)} is already correctly formatted. Skipping mkfs...` };
  if (found.type !== '')
    throw new DisksError(
      `${BAD_FILESYSTEM}: filesystem at ${q(fs.device)} is not of the correct type, label, or UUID ` +
        `(found ${found.type}, ${q(found.label)}, ${found.uuid}) and a filesystem wipe was not requested`,
    );
  return { action: 'create' };
}

/** `mkfs.* [options…] <force> [uuid] [label] <dev>`; undefined for `none` (wipe only). */
export function mkfsArgv(fs: Filesystem, dev: string, tools: Tools): string[] | undefined {
  const fmt = fs.format!;
  const args = [...(fs.options ?? [])];
  const uuid = fs.uuid === undefined ? undefined : canonicalUuid(fmt, fs.uuid);
  let cmd: string;
  switch (fmt) {
    case 'btrfs':
      cmd = tools['mkfs.btrfs'];
      args.push('--force');
      if (uuid !== undefined) args.push('-U', uuid);
      if (fs.label !== undefined) args.push('-L', fs.label);
      break;
    case 'ext4':
      cmd = tools['mkfs.ext4'];
      args.push('-F');
      if (uuid !== undefined) args.push('-U', uuid);
      if (fs.label !== undefined) args.push('-L', fs.label);
      break;
    case 'xfs':
      cmd = tools['mkfs.xfs'];
      args.push('-f');
      if (uuid !== undefined) args.push('-m', `uuid=${uuid}`);
      if (fs.label !== undefined) args.push('-L', fs.label);
      break;
    case 'swap':
      cmd = tools.mkswap;
      args.push('-f');
      if (uuid !== undefined) args.push('-U', uuid);
      if (fs.label !== undefined) args.push('-L', fs.label);
      break;
    case 'vfat':
      // mkfs.fat has no force flag: it always overwrites.
      cmd = tools['mkfs.fat'];
      if (uuid !== undefined) args.push('-i', uuid);
      if (fs.label !== undefined) args.push('-n', fs.label);
      break;
    case 'none':
      return undefined;
    default:
      throw new DisksError(`unsupported filesystem format: ${q(fmt)}`);
  }
  return [cmd, ...args, dev];
}

/** Parses `blkid -p -o export` (exit 2 = nothing found is handled by the caller). */
export function parseBlkidExport(out: string): FsProbe {
  const kv = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1));
  }
  return { type: kv.get('TYPE') ?? '', uuid: kv.get('UUID') ?? '', label: kv.get('LABEL') ?? '' };
}

/** `wipefs --no-act --json`: the first signature, used when blkid finds several (ambivalent). */
export function parseWipefsJson(out: string): FsProbe {
  const sig = (JSON.parse(out) as { signatures?: { type?: string; uuid?: string | null; label?: string | null }[] }).signatures?.[0];
  return { type: sig?.type ?? '', uuid: sig?.uuid ?? '', label: sig?.label ?? '' };
}
