// Real config drives for the provider tests: vfat, ISO 9660, UDF and ext4 images with a label, on
// loop devices, exposed through a by-label directory of our own (the seam; no udev here) and, for
// Azure's CD-ROM check, a fake sysfs entry. Everything attached is detached in cleanup().
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from './helpers.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function kernelFilesystems(): Set<string> {
  try {
    return new Set(
      fs
        .readFileSync('/proc/filesystems', 'utf8')
        .split('\n')
        .map((l) => l.split('\t').pop()!.trim())
        .filter(Boolean),
    );
  } catch {
    return new Set();
  }
}

/** Why real config drives cannot be made here, or undefined. Loads the modules it can. */
export function drivesUnavailable(needed: string[]): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  if (spawnSync('losetup', ['-f']).status !== 0) return 'no free loop device';
  const tools: Record<string, string> = { vfat: 'mkfs.vfat', iso9660: 'xorriso', udf: 'mkudffs', ext4: 'mkfs.ext4' };
  for (const f of needed)
    if (!has(tools[f])) return `${tools[f]} missing (apt-get install ${{ vfat: 'dosfstools', iso9660: 'xorriso', udf: 'udftools', ext4: 'e2fsprogs' }[f]})`;
  const modules: Record<string, string> = { vfat: 'vfat', iso9660: 'isofs', udf: 'udf', ext4: 'ext4' };
  let known = kernelFilesystems();
  const missing = needed.filter((f) => !known.has(f));
  if (missing.length) spawnSync('modprobe', ['-a', ...missing.map((f) => modules[f])], { stdio: 'ignore' });
  known = kernelFilesystems();
  const still = needed.filter((f) => !known.has(f));
  return still.length ? `the running kernel cannot mount ${still.join(', ')} (they run in the test VM: test/disks/guest.qemu.test.ts)` : undefined;
}

export type Files = Record<string, string | Buffer | { symlink: string }>;

function populate(root: string, files: Files): void {
  for (const [rel, v] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof v === 'object' && !Buffer.isBuffer(v)) fs.symlinkSync(v.symlink, p);
    else fs.writeFileSync(p, v);
  }
}

export class Drives {
  readonly dir = tmpDir('drives');
  readonly byLabel = path.join(this.dir, 'by-label');
  readonly sys = path.join(this.dir, 'sys');
  private loops: string[] = [];
  private n = 0;

  constructor() {
    fs.mkdirSync(this.byLabel);
    fs.mkdirSync(this.sys);
  }

  private attach(img: string): string {
    const dev = sh('losetup', ['--show', '-f', img]).trim();
    this.loops.push(dev);
    return dev;
  }

  private image(mib: number): string {
    const img = path.join(this.dir, `drive${this.n++}.img`);
    fs.writeFileSync(img, '');
    fs.truncateSync(img, mib * 1048576);
    return img;
  }

  /** Formats with `mkfs`, then writes the files through a read-write mount. */
  private viaMount(img: string, fstype: string, files: Files): string {
    const dev = this.attach(img);
    const mnt = fs.mkdtempSync(path.join(this.dir, 'fill-'));
    sh('mount', ['-t', fstype, dev, mnt]);
    try {
      populate(mnt, files);
    } finally {
      sh('umount', [mnt]);
      fs.rmdirSync(mnt);
    }
    return dev;
  }

  vfat(label: string, files: Files): string {
    const img = this.image(8);
    sh('mkfs.vfat', ['-n', label, img]);
    return this.viaMount(img, 'vfat', files);
  }

  udf(label: string, files: Files): string {
    const img = this.image(8);
    sh('mkudffs', ['--media-type=hd', `--label=${label}`, img]);
    return this.viaMount(img, 'udf', files);
  }

  /** ISO 9660 with Rock Ridge (names, symlinks) and Joliet, as cloud tooling makes them. */
  iso(label: string, files: Files): string {
    const src = fs.mkdtempSync(path.join(this.dir, 'iso-'));
    populate(src, files);
    const img = path.join(this.dir, `drive${this.n++}.iso`);
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-V', label, '-J', '-R', '-o', img, src]);
    return this.attach(img);
  }

  ext4(label: string, files: Files): string {
    const src = fs.mkdtempSync(path.join(this.dir, 'ext4-'));
    populate(src, files);
    const img = this.image(8);
    sh('mkfs.ext4', ['-q', '-F', '-L', label, '-d', src, img]);
    return this.attach(img);
  }

  /** A loop device with no filesystem at all. */
  blank(): string {
    return this.attach(this.image(1));
  }

  /** What udev would do: `<by-label>/<label>` -> the device. */
  link(label: string, dev: string): void {
    fs.symlinkSync(dev, path.join(this.byLabel, label));
  }

  /** Marks the device a CD-ROM (SCSI peripheral type 5) or something else in the fake sysfs. */
  scsiType(dev: string, type: number): void {
    const d = path.join(this.sys, 'class/block', path.basename(dev), 'device');
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'type'), `${type}\n`);
  }

  /** Forgets the by-label links and the fake sysfs entries; the drives stay attached. */
  unlinkAll(): void {
    for (const l of fs.readdirSync(this.byLabel)) fs.unlinkSync(path.join(this.byLabel, l));
    fs.rmSync(path.join(this.sys, 'class'), { recursive: true, force: true });
  }

  /** Detaches every drive, links and sysfs entries too (keeps the directories). */
  detachAll(): void {
    for (const l of this.loops) spawnSync('losetup', ['-d', l], { stdio: 'ignore' });
    this.loops = [];
    this.unlinkAll();
  }

  cleanup(): void {
    this.detachAll();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Config-drive mounts of ours still in the mount table (must be none after every provider call). */
export function leftoverMounts(): string[] {
  return fs
    .readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((l) => l.includes('kindling-configdrive-'));
}
