// Test lab for real block devices: sparse images on loop devices, with cleanup that undoes every
// mount, mapping, array and loop device even when a test fails.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { realHost, type Host } from '../../src/host/host.js';

function readOr(p: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export const isRoot = process.getuid?.() === 0;
export const canLoop = isRoot && spawnSync('losetup', ['-f']).status === 0 && has('sgdisk') && has('partx');
export const loopReason = !isRoot ? 'not root' : !has('sgdisk') ? 'sgdisk missing (apt-get install gdisk)' : 'no free loop device (losetup -f failed)';
export const hasMd = fs.existsSync('/proc/mdstat') && has('mdadm');
// /dev/mapper/control can exist without the driver (libdevmapper creates the node): ask the kernel.
export const hasDm = /\bdevice-mapper\b/.test(readOr('/proc/misc')) && has('cryptsetup');
// Inside the test VM (test/disks/qemu.test.ts) md and dm-crypt are why the VM exists: a skip there
// would hide a broken guest, so their absence is an error.
if (process.env.KINDLING_IN_VM === '1' && !(canLoop && hasMd && hasDm))
  throw new Error(`KINDLING_IN_VM=1 but the guest lacks ${!canLoop ? `loop devices (${loopReason})` : !hasMd ? 'the md driver or mdadm' : 'device-mapper or cryptsetup'}`);
export const hasTang = fs.existsSync('/usr/libexec/tangd') && has('clevis') && has('jose') && has('cryptsetup');

export function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export class Lab {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-disks-'));
  readonly host: Host;
  private loops: string[] = [];
  private mounts: string[] = [];
  private mappings: string[] = [];
  private arrays: string[] = [];

  constructor() {
    fs.mkdirSync(path.join(this.dir, 'run'));
    this.host = realHost({ paths: { runDir: path.join(this.dir, 'run'), initrdRelease: path.join(this.dir, 'initrd-release') } });
  }

  /** A fresh sparse image of `mib` MiB on its own loop device (partition scanning on). */
  disk(mib: number): string {
    const img = path.join(this.dir, `disk${this.loops.length}.img`);
    fs.closeSync(fs.openSync(img, 'w'));
    fs.truncateSync(img, mib * 1048576);
    const dev = sh('losetup', ['-P', '--show', '-f', img]).trim();
    this.loops.push(dev);
    return dev;
  }

  mount(dev: string, dir: string, opts: string[] = []): void {
    fs.mkdirSync(dir, { recursive: true });
    sh('mount', [...opts, dev, dir]);
    this.mounts.push(dir);
  }

  /** Registers mounts made by the code under test. */
  track(kind: 'mount' | 'mapping' | 'array' | 'loop', name: string): void {
    ({ mount: this.mounts, mapping: this.mappings, array: this.arrays, loop: this.loops })[kind].push(name);
  }

  cleanup(): void {
    const quiet = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' });
    for (const m of this.mounts.reverse()) if (quiet('umount', [m]).status !== 0) quiet('umount', ['-l', m]);
    for (const m of this.mappings) quiet('cryptsetup', ['close', m]);
    for (const a of this.arrays) quiet('mdadm', ['--stop', a]);
    for (const l of this.loops) {
      quiet('partx', ['-d', l]);
      quiet('losetup', ['-d', l]);
    }
    this.mounts = [];
    this.mappings = [];
    this.arrays = [];
    this.loops = [];
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `sgdisk -i N` read back, for assertions independent of our own parser. */
export function sgdiskInfo(dev: string, n: number): Record<string, string> {
  const out = sh('sgdisk', ['-i', String(n), dev]);
  const get = (re: RegExp) => re.exec(out)?.[1] ?? '';
  return {
    type: get(/Partition GUID code: (\S+)/),
    guid: get(/Partition unique GUID: (\S+)/),
    first: get(/First sector: (\d+)/),
    last: get(/Last sector: (\d+)/),
    name: get(/Partition name: '(.*)'/),
  };
}

export function blkid(dev: string): Record<string, string> {
  const r = spawnSync('blkid', ['-p', '-o', 'export', dev], { encoding: 'utf8' });
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

export function sysfs(node: string, attr: 'start' | 'size'): number {
  return Number(fs.readFileSync(`/sys/class/block/${path.basename(node)}/${attr}`, 'utf8'));
}
