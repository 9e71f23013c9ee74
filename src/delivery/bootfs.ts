// Finding and mounting the filesystem labelled `boot` on a disk image or a block device, for the
// installer-side commands. A device is refused while it, or any partition of it, is mounted, used
// as swap, or held by device-mapper/md; an image while a loop device already has it attached.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandError, type Host } from '../host/host.js';

export const BOOT_LABEL = 'boot';

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export type Target = { kind: 'image'; path: string } | { kind: 'device'; path: string } | { kind: 'iso'; path: string };

/** What the path names: an ISO 9660 image, another regular file (a disk image), or a block device. */
export function classify(p: string): Target {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch (e) {
    throw new DeliveryError(`cannot open ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or device' : (e as Error).message}`);
  }
  if (st.isBlockDevice()) return { kind: 'device', path: p };
  if (!st.isFile()) throw new DeliveryError(`${p} is neither a disk image file nor a block device`);
  return isIso9660(p) ? { kind: 'iso', path: p } : { kind: 'image', path: p };
}

/** ISO 9660: the primary volume descriptor's "CD001" at byte 32769. */
export function isIso9660(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(5);
    return fs.readSync(fd, b, 0, 5, 32769) === 5 && b.toString('latin1') === 'CD001';
  } finally {
    fs.closeSync(fd);
  }
}

async function must(host: Host, argv: string[], what: string): Promise<string> {
  const r = await host.run(argv);
  if (r.code !== 0) throw new DeliveryError(`${what}: ${r.code === 127 ? `${argv[0]} is not installed` : commandError(argv, r)}`);
  return r.stdout;
}

/** The kernel name (`sda`, `loop3`) and its partitions' names, from sysfs. */
function partitionsOf(dev: string): { name: string; parts: string[] } {
  const name = path.basename(fs.realpathSync(dev));
  const dir = `/sys/class/block/${name}`;
  if (!fs.existsSync(dir)) throw new DeliveryError(`${dev}: not found in /sys/class/block`);
  if (fs.existsSync(`${dir}/partition`)) throw new DeliveryError(`${dev} is a partition: name the whole disk`, `e.g. ${dev.replace(/p?\d+$/, '')}`);
  const parts = fs.readdirSync(dir).filter((e) => e.startsWith(name) && fs.existsSync(`${dir}/${e}/partition`));
  return { name, parts };
}

/** Why the disk (or one of its partitions) is busy, or undefined when it is free. */
export function busyReason(dev: string): string | undefined {
  const { name, parts } = partitionsOf(dev);
  const nodes = [name, ...parts];
  const devNumbers = new Map(nodes.map((n) => [fs.readFileSync(`/sys/class/block/${n}/dev`, 'utf8').trim(), n]));
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = line.split(' ');
    const n = devNumbers.get(f[2]);
    if (n) return `/dev/${n} is mounted at ${f[4]}`;
  }
  for (const line of fs.readFileSync('/proc/swaps', 'utf8').split('\n').slice(1)) {
    const p = line.split(/\s+/)[0];
    if (p && nodes.includes(path.basename(p))) return `/dev/${path.basename(p)} is in use as swap`;
  }
  for (const n of nodes) {
    const holders = fs.readdirSync(`/sys/class/block/${n}/holders`);
    if (holders.length) return `/dev/${n} is held by ${holders.map((h) => `/dev/${h}`).join(', ')} (device-mapper or md)`;
  }
  // Last word from the kernel: an exclusive open fails while anything else claims the device.
  try {
    fs.closeSync(fs.openSync(dev, fs.constants.O_RDONLY | fs.constants.O_EXCL));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EBUSY') return `${dev} is in use (exclusive open failed: EBUSY)`;
    throw e;
  }
  return undefined;
}

/** A disk made available as a block device for one operation; `release` undoes what `open` did. */
export interface OpenedDisk {
  dev: string;
  release(): Promise<void>;
}

export async function openDisk(host: Host, target: Target, readOnly: boolean): Promise<OpenedDisk> {
  if (target.kind === 'device') {
    const busy = busyReason(target.path);
    if (busy) throw new DeliveryError(`refusing to modify ${target.path}: ${busy}`, 'unmount it (and close any LUKS/RAID on it) first');
    return { dev: target.path, release: async () => {} };
  }
  const attached = (
    await must(host, [host.tools.losetup, '--associated', target.path, '--noheadings', '--output', 'NAME'], `checking loop devices for ${target.path}`)
  ).trim();
  if (attached)
    throw new DeliveryError(
      `refusing to modify ${target.path}: it is attached to ${attached.split('\n').join(', ')}`,
      `detach it first (losetup -d ${attached.split('\n')[0]})`,
    );
  const dev = (
    await must(
      host,
      [host.tools.losetup, ...(readOnly ? ['--read-only'] : []), '--partscan', '--find', '--show', target.path],
      `attaching ${target.path} to a loop device`,
    )
  ).trim();
  const release = async () => {
    await host.run([host.tools.partx, '-d', dev]);
    await host.run([host.tools.losetup, '--detach', dev]);
  };
  try {
    // Some kernels and containers do not scan loop devices for partitions; partx adds them.
    if (partitionsOf(dev).parts.length === 0) await host.run([host.tools.partx, '-a', dev]);
  } catch (e) {
    await release();
    throw e;
  }
  return { dev, release };
}

/** The node holding the filesystem labelled `boot`: a partition of `dev`, or `dev` itself. */
export async function findBootFs(host: Host, dev: string, shown: string): Promise<{ node: string; type: string }> {
  const { parts } = partitionsOf(dev);
  const candidates = parts.length ? parts.map((p) => `/dev/${p}`) : [dev];
  const found: { node: string; type: string }[] = [];
  const labels: string[] = [];
  for (const node of candidates) {
    const r = await host.run([host.tools.blkid, '-p', '-o', 'export', node]);
    const vars = Object.fromEntries(
      r.stdout
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    if (vars.LABEL) labels.push(`${path.basename(node)}: ${vars.TYPE ?? '?'} "${vars.LABEL}"`);
    if (vars.LABEL === BOOT_LABEL && vars.TYPE) found.push({ node, type: vars.TYPE });
  }
  if (found.length === 0)
    throw new DeliveryError(
      `${shown} has no filesystem labelled "${BOOT_LABEL}"${labels.length ? ` (found ${labels.join(', ')})` : ' (no labelled filesystem at all)'}`,
      'the config goes to ignition/config.ign on the boot filesystem an OS image ships; is this the right disk?',
    );
  if (found.length > 1)
    throw new DeliveryError(`${shown} has ${found.length} filesystems labelled "${BOOT_LABEL}" (${found.map((f) => f.node).join(', ')}); refusing to guess`);
  return found[0];
}

/** Mounts the boot filesystem on a fresh directory, runs `fn`, and always unmounts. */
export async function withMounted<T>(host: Host, fsNode: { node: string; type: string }, readOnly: boolean, fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-boot-'));
  try {
    await must(host, [host.tools.mount, '-t', fsNode.type, '-o', readOnly ? 'ro' : 'rw', fsNode.node, dir], `mounting ${fsNode.node}`);
    try {
      return await fn(dir);
    } finally {
      await must(host, [host.tools.umount, dir], `unmounting ${fsNode.node}`);
    }
  } finally {
    // Best effort: after a failed unmount the directory is busy and the error above matters more.
    try {
      fs.rmdirSync(dir);
    } catch {}
  }
}
