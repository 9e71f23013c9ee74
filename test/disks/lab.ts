// Test lab for real block devices: sparse images on loop devices, with cleanup that undoes every
// mount, mapping, array and loop device even when a test fails.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
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
// Inside the test VM (test/disks/guest.qemu.test.ts) md and dm-crypt are why the VM exists: a skip there
// would hide a broken guest, so their absence is an error.
if (process.env.KINDLING_IN_VM === '1' && !(canLoop && hasMd && hasDm))
  throw new Error(
    `KINDLING_IN_VM=1 but the guest lacks ${!canLoop ? `loop devices (${loopReason})` : !hasMd ? 'the md driver or mdadm' : 'device-mapper or cryptsetup'}`,
  );
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

  /**
   * Unmounts what is mounted under the lab's directory, deepest first, as a reboot would: also
   * mounts that a killed child process left behind, which no one could register.
   */
  unmountAll(): void {
    const under = readOr('/proc/mounts')
      .split('\n')
      .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
      .filter((m) => m.startsWith(this.dir + '/'));
    for (const m of [...new Set([...this.mounts, ...under])].sort((a, b) => b.length - a.length))
      if (spawnSync('umount', [m], { stdio: 'ignore' }).status !== 0) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
    this.mounts = [];
  }

  cleanup(): void {
    const quiet = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' });
    this.unmountAll();
    for (const m of this.mappings) quiet('cryptsetup', ['close', m]);
    for (const a of this.arrays) quiet('mdadm', ['--stop', a]);
    for (const l of this.loops) {
      quiet('partx', ['-d', l]);
      quiet('losetup', ['-d', l]);
    }
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

/**
 * One `sgdisk --print --info=N…` for several partitions: the numbers in the table, and each asked
 * partition's first and last sector and name (fewer processes: each costs much under TCG).
 */
export function sgdiskTable(
  dev: string,
  numbers: number[],
): { numbers: number[]; info: Record<number, { first: string; last: string; type: string; name: string }> } {
  const out = sh('sgdisk', ['--print', ...numbers.map((n) => `--info=${n}`), dev]);
  const cut = out.indexOf('Partition GUID code:');
  const print = cut < 0 ? out : out.slice(0, cut);
  const blocks = cut < 0 ? [] : out.slice(cut).split(/^(?=Partition GUID code:)/m);
  const get = (b: string, re: RegExp) => re.exec(b)?.[1] ?? '';
  return {
    numbers: [...print.matchAll(/^\s+(\d+)\s+\d+\s+\d+\s/gm)].map((m) => Number(m[1])),
    info: Object.fromEntries(
      blocks.map((b, i) => [
        numbers[i],
        {
          type: get(b, /Partition GUID code: (\S+)/),
          first: get(b, /First sector: (\d+)/),
          last: get(b, /Last sector: (\d+)/),
          name: get(b, /Partition name: '(.*)'/),
        },
      ]),
    ),
  };
}

/** The primary and backup GPT areas of a disk (34 and 33 sectors of 512 bytes), as raw bytes. */
export function gptBytes(dev: string): Buffer {
  const fd = fs.openSync(dev, 'r');
  try {
    const size = Number(fs.readFileSync(`/sys/class/block/${path.basename(dev)}/size`, 'utf8')) * 512;
    const head = Buffer.alloc(34 * 512);
    const tail = Buffer.alloc(33 * 512);
    fs.readSync(fd, head, 0, head.length, 0);
    fs.readSync(fd, tail, 0, tail.length, size - tail.length);
    return Buffer.concat([head, tail]);
  } finally {
    fs.closeSync(fd);
  }
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

/** The kernel's partitions of a disk from sysfs, in 512-byte sectors. */
export function kernelView(dev: string): { number: number; start: number; size: number }[] {
  const name = path.basename(dev);
  return fs
    .readdirSync(`/sys/class/block/${name}`)
    .filter((e) => e.startsWith(name) && fs.existsSync(`/sys/class/block/${name}/${e}/partition`))
    .map((e) => ({ number: Number(fs.readFileSync(`/sys/class/block/${name}/${e}/partition`, 'utf8')), start: sysfs(e, 'start'), size: sysfs(e, 'size') }))
    .sort((a, b) => a.number - b.number);
}

/**
 * The run executed exactly the steps its dry run planned, in order, with the same reasons; in the
 * commands, each `<…>` of the plan stands for one value throughout (a key file's path).
 */
export function expectRunMatchesPlan(dry: { argv: string[]; why: string }[], run: { plan: { argv: string[]; why: string }[]; ran: string[][] }): void {
  const strip = (c: { argv: string[]; why: string }) => ({ argv: c.argv, why: c.why });
  expect(run.plan.map(strip)).toEqual(dry.map(strip));
  const values = new Map<string, string>();
  const expected = dry.map((c, i) =>
    c.argv.map((a, j) => {
      if (!/^<[^<>]+>$/.test(a)) return a;
      if (!values.has(a)) values.set(a, run.ran[i]?.[j] ?? a);
      return values.get(a)!;
    }),
  );
  expect(run.ran).toEqual(expected);
  for (const v of values.values()) expect(v).not.toMatch(/^</);
}

/**
 * A tang server on 127.0.0.1 with fresh keys under `dir`: tangd speaks HTTP on stdin/stdout, one
 * connection per process (as under socket activation). Returns its URL, the signing key's thumbprint
 * and its advertisement.
 */
export async function startTang(dir: string): Promise<{ url: string; thumbprint: string; advertisement: string; close: () => void }> {
  fs.mkdirSync(dir);
  sh('/usr/libexec/tangd-keygen', [dir]);
  const children: ChildProcess[] = [];
  const server = net.createServer((sock) => {
    const c = spawn('/usr/libexec/tangd', [dir], { stdio: ['pipe', 'pipe', 'ignore'] });
    children.push(c);
    sock.pipe(c.stdin!);
    c.stdout!.pipe(sock);
    sock.on('error', () => c.kill());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const advertisement = await (await fetch(`${url}/adv`)).text();
  const sigKey = fs.readdirSync(dir).find((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).key_ops?.includes('verify'))!;
  return {
    url,
    thumbprint: sigKey.replace(/\.jwk$/, ''),
    advertisement,
    close: () => {
      server.close();
      for (const c of children) c.kill();
    },
  };
}
