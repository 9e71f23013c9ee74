// Block-device plumbing through the Host: waiting for nodes, aliases, "in use" checks, the kernel's
// partition view in sysfs and udev synchronisation. No systemd D-Bus: we poll the node, which also
// works in a plain initramfs or a container.
import path from 'node:path';
import { commandError, type Host } from '../host/host.js';
import { DisksError } from './model.js';

export function aliasPath(runDir: string, dev: string): string {
  return path.join(runDir, 'dev_aliases', path.normalize(dev));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function udevActive(host: Host): boolean {
  return host.fs.existsSync(host.paths.udevControl);
}

/** Polls until every node exists (symlinks followed); the error names the devices still missing. */
export async function waitForDevices(host: Host, devs: string[], ctxt: string, timeoutMs: number): Promise<void> {
  if (devs.length === 0) return;
  await udevSettle(host);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = devs.filter((d) => !host.fs.existsSync(d));
    if (missing.length === 0) return;
    if (Date.now() >= deadline) {
      const list = missing.map((d) => JSON.stringify(d)).join(', ');
      throw new DisksError(`failed to wait on ${ctxt} devs: timed out after ${timeoutMs / 1000}s waiting for device ${list} to appear`);
    }
    await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
  }
}

/** `<runDir>/dev_aliases/<dev>` → the resolved node; later commands use the alias. */
export function createAlias(host: Host, dev: string): { alias: string; target: string } {
  const target = host.fs.realpathSync(dev);
  const alias = aliasPath(host.paths.runDir, dev);
  host.fs.rmSync(alias, { force: true });
  host.fs.mkdirSync(path.dirname(alias), { recursive: true, mode: 0o750 });
  host.fs.symlinkSync(target, alias);
  host.log.info(`created device alias for ${JSON.stringify(dev)}: ${JSON.stringify(alias)} -> ${JSON.stringify(target)}`);
  return { alias, target };
}

/** `/dev/loop0` + 1 → `/dev/loop0p1`; `/dev/sda` + 1 → `/dev/sda1`. */
export function partitionNode(disk: string, n: number): string {
  return `${disk}${/\d$/.test(disk) ? 'p' : ''}${n}`;
}

function readTrim(host: Host, p: string): string | undefined {
  try {
    return host.fs.readFileSync(p, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Resolved sources of every mount in /proc/mounts. */
function mountedSources(host: Host): Set<string> {
  const out = new Set<string>();
  for (const line of host.fs.readFileSync(host.paths.procMounts, 'utf8').split('\n')) {
    const src = line.split(' ')[0];
    if (!src?.startsWith('/')) continue;
    try {
      out.add(host.fs.realpathSync(src));
    } catch {
      // A source that no longer exists cannot be our device.
    }
  }
  return out;
}

export interface KernelPartition {
  number: number;
  node: string;
  /** 512-byte sectors, as sysfs reports them. */
  start: number;
  size: number;
}

/** The partitions the kernel currently knows for a resolved disk node. */
export function kernelPartitions(host: Host, disk: string): KernelPartition[] {
  const name = path.basename(disk);
  const dir = path.join(host.paths.sysBlock, name);
  const res: KernelPartition[] = [];
  let entries: string[];
  try {
    entries = host.fs.readdirSync(dir);
  } catch {
    return res;
  }
  for (const e of entries) {
    if (!e.startsWith(name)) continue;
    const n = readTrim(host, path.join(dir, e, 'partition'));
    if (n === undefined) continue;
    res.push({
      number: Number(n),
      node: `/dev/${e}`,
      start: Number(readTrim(host, path.join(dir, e, 'start'))),
      size: Number(readTrim(host, path.join(dir, e, 'size'))),
    });
  }
  return res.sort((a, b) => a.number - b.number);
}

function held(host: Host, node: string): boolean {
  try {
    return host.fs.readdirSync(path.join(host.paths.sysBlock, path.basename(node), 'holders')).length > 0;
  } catch {
    return false;
  }
}

/** Ignition's usage check: the disk itself held or mounted, and which partitions are. */
export function diskUsage(host: Host, disk: string): { direct: boolean; activePartitions: number[] } {
  const mounted = mountedSources(host);
  const direct = held(host, disk) || mounted.has(disk);
  const activePartitions = kernelPartitions(host, disk)
    .filter((p) => held(host, p.node) || mounted.has(p.node))
    .map((p) => p.number);
  return { direct, activePartitions };
}

/** The disk's size in 512-byte sectors from sysfs, undefined when unreadable. */
export function diskSectors(host: Host, disk: string): number | undefined {
  const n = Number(readTrim(host, path.join(host.paths.sysBlock, path.basename(disk), 'size')));
  return n > 0 ? n : undefined;
}

/** `/dev/loop0p2` of `/dev/loop0`, `/dev/sda2` of `/dev/sda`. */
export function isPartitionOf(node: string, disk: string): boolean {
  return node.startsWith(disk) && /^p?\d+$/.test(node.slice(disk.length));
}

/** The disk's logical sector size from sysfs (what sgdisk counts in), undefined when unreadable. */
export function logicalSectorSize(host: Host, disk: string): number | undefined {
  const n = Number(readTrim(host, path.join(host.paths.sysBlock, path.basename(disk), 'queue', 'logical_block_size')));
  return n > 0 ? n : undefined;
}

/** With udevd running, wait until it has processed every queued event (failures only delay). */
export async function udevSettle(host: Host): Promise<void> {
  if (udevActive(host)) await host.run([host.tools.udevadm, 'settle']);
}

/** With udevd running, trigger an event for the node and wait until udev processed it. */
export async function settle(host: Host, node: string): Promise<void> {
  if (!udevActive(host)) return;
  const argv = [host.tools.udevadm, 'trigger', '--settle', node];
  const r = await host.run(argv);
  if (r.code !== 0) throw new DisksError(`udevadm trigger failed: ${commandError(argv, r)}`);
}
