// Bringing the kernel's partition list in line with a table sgdisk has just written, and checking
// it afterwards. Pure: the kernel's view comes in as data (sysfs, read by devices.ts).
import { partitionNode, type KernelPartition } from './devices.js';
import type { Step } from './model.js';
import { q } from './partitions.js';

/** A partition's place on the disk, in logical sectors. */
export interface Extent {
  number: number;
  start: number;
  size: number;
}

const same = (k: KernelPartition, e: Extent | undefined, toKernel: number) => !!e && k.start === e.start * toKernel && k.size === e.size * toKernel;

/**
 * sgdisk only asks the kernel to re-read the whole table (BLKRRPART). Whether that took effect
 * depends on the kernel and on what is open: afterwards the kernel shows the new table, still the
 * old one (a partition was open), or nothing (a kernel without a GPT parser drops every entry). The
 * commands below reach the new table from each of those states, so they are known before anything
 * runs and the dry run prints exactly what will run:
 *  1. `partx --delete` each entry the kernel showed before that the new table lacks or places
 *     elsewhere (deleting an entry that is already gone succeeds), so nothing stale can overlap;
 *  2. `partx --update` each partition of the new table: it (re-)adds the entry, or resizes it to
 *     the same extent when the partition is in use (EBUSY), which only an unchanged one can be.
 * `disk` is the resolved node (/dev/loop0), `before` the kernel's view when the stage started.
 */
export function kernelSyncSteps(before: KernelPartition[], final: Extent[], sectorSize: number, disk: string, partx: string): Step[] {
  const toKernel = sectorSize / 512;
  const want = new Map(final.map((e) => [e.number, e]));
  const steps: Step[] = [];
  for (const k of before)
    if (!same(k, want.get(k.number), toKernel))
      steps.push({
        argv: [partx, '--delete', '--nr', String(k.number), disk],
        why: `drop the kernel's stale entry for ${partitionNode(disk, k.number)}`,
        fail: `partition delete failed`,
      });
  for (const e of final)
    steps.push({
      argv: [partx, '--update', '--nr', String(e.number), disk],
      why: `tell the kernel where ${partitionNode(disk, e.number)} is now`,
      fail: `partition update failed`,
    });
  return steps;
}

/** Ignition's check after partitioning, over the whole new table; undefined when the kernel agrees. */
export function kernelMismatch(after: KernelPartition[], final: Extent[], sectorSize: number, disk: string): string | undefined {
  const toKernel = sectorSize / 512;
  const want = new Map(final.map((e) => [e.number, e]));
  for (const k of after) if (!want.has(k.number)) return `${q(partitionNode(disk, k.number))} unexpectedly exists after partitioning`;
  const have = new Map(after.map((k) => [k.number, k]));
  for (const e of final) {
    const node = partitionNode(disk, e.number);
    const k = have.get(e.number);
    if (!k) return `failed to read start of ${q(node)} from sysfs: the kernel does not know partition ${e.number}`;
    if (k.start !== e.start * toKernel)
      return `kernel partition start for ${q(node)} does not match expected (${k.start} != ${e.start * toKernel} 512-byte sectors)`;
    if (k.size !== e.size * toKernel)
      return `kernel partition size for ${q(node)} does not match expected (${k.size} != ${e.size * toKernel} 512-byte sectors)`;
  }
  return undefined;
}
