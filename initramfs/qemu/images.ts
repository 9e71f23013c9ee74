// Disk images for QEMU guests and loop tests, built as plain files (no loop device, no mount):
// sgdisk writes the GPT, mke2fs fills each filesystem from a directory at its partition's offset.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

const SECTOR = 512;

/** A sparse file of `mib` MiB, all zeros. */
export function blankImage(file: string, mib: number): void {
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, mib * 1048576);
}

export interface PartitionSpec {
  /** GPT partition name, also used as the ext4 label. */
  label: string;
  /** Size in MiB; the last partition may omit it to take the rest. */
  mib?: number;
  /** Contents of the ext4 filesystem made on it (omit for an unformatted partition). */
  dir?: string;
}

/** A GPT disk of `mib` MiB with ext4 partitions filled from directories. */
export function gptImage(file: string, mib: number, parts: PartitionSpec[]): void {
  blankImage(file, mib);
  const args: string[] = [];
  parts.forEach((p, i) => args.push(`--new=${i + 1}:0:${p.mib ? `+${p.mib}M` : '0'}`, `--change-name=${i + 1}:${p.label}`));
  execFileSync('sgdisk', [...args, file], { stdio: 'pipe' });
  const printed = execFileSync('sgdisk', ['--print', file], { encoding: 'utf8' });
  parts.forEach((p, i) => {
    if (!p.dir) return;
    const row = new RegExp(`^\\s*${i + 1}\\s+(\\d+)\\s+(\\d+)\\s`, 'm').exec(printed);
    if (!row) throw new Error(`partition ${i + 1} missing from sgdisk --print of ${file}`);
    const [first, last] = [Number(row[1]), Number(row[2])];
    const kib = Math.floor(((last - first + 1) * SECTOR) / 1024);
    mkext4(file, p.label, p.dir, `${kib}k`, first * SECTOR);
  });
}

/** An ext4 filesystem over a whole image file (no partition table). */
export function ext4Image(file: string, mib: number, label: string, dir: string): void {
  blankImage(file, mib);
  mkext4(file, label, dir, `${mib * 1024}k`, 0);
}

function mkext4(file: string, label: string, dir: string, size: string, offset: number): void {
  // 1 KiB blocks and no journal keep small images small; root owns what -d copies.
  execFileSync('mkfs.ext4', ['-q', '-F', '-L', label, '-b', '1024', '-O', '^has_journal', '-E', `offset=${offset},root_owner=0:0`, '-d', dir, file, size], {
    stdio: 'pipe',
  });
}
