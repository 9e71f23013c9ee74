// fcos partition checks: reserved partition labels at the wrong number (every fcos/openshift
// version, on the translated config), the root partition's size (fcos 1.3+ and the openshift
// versions built on it), and partitions matched only by label (fcos 1.6+), which Ignition cannot
// reuse safely.
import type { Ctx } from '../core/context.js';
import type { Butane, Draft, Path } from '../butane/tree.js';
import { fcosAtLeast } from '../butane/variants.js';
import { childPath } from '../../src/diag/config-path.js';

const RESERVED: Record<string, number> = { 'BIOS-BOOT': 1, 'PowerPC-PReP-boot': 1, 'EFI-SYSTEM': 2, boot: 3, root: 4 };
const BOOT_DISK = '/dev/disk/by-id/coreos-boot-disk';
/** Fedora CoreOS's recommended minimum for the root partition. */
const ROOT_MIN_MIB = 8192;

/**
 * Source-side check (variant fcos, 1.6+): a label-only partition on a disk that keeps its table.
 * openshift's own top-level validation hides this fcos check, so openshift never warns.
 */
export function checkPartitionReuse(ctx: Ctx, src: Butane.Config): void {
  if (ctx.spec.variant !== 'fcos' || !fcosAtLeast(ctx.spec, '1.6.0')) return;
  // boot_device.mirror wipes the tables of its devices.
  const mirrored = new Set(src.boot_device?.mirror?.devices ?? []);
  (src.storage?.disks ?? []).forEach((disk, i) => {
    if (disk.device === BOOT_DISK || disk.wipeTable === true || (disk.device !== undefined && mirrored.has(disk.device))) return;
    (disk.partitions ?? []).forEach((p, j) => {
      if ((p.number === undefined || p.number === 0) && p.label !== undefined) {
        ctx.warn(
          'partition-reuse-by-label',
          'partitions cannot be reused by label; number must be specified except on boot disk (/dev/disk/by-id/coreos-boot-disk) or when wipe_table is true',
          ['storage', 'disks', i, 'partitions', j, 'number'],
          'give the partition its number, or set wipe_table: true to create it',
        );
      }
    });
  });
}

/** Output-side check: reserved labels must keep their numbers. Returns output paths to report. */
export function wrongReservedNumbers(config: Draft): Path[] {
  const out: Path[] = [];
  (config.storage?.disks ?? []).forEach((disk, i) => {
    if (disk.wipeTable === true) return;
    (disk.partitions ?? []).forEach((p, j) => {
      const want = p.label !== undefined && Object.hasOwn(RESERVED, p.label) ? RESERVED[p.label] : undefined;
      if (want !== undefined && (p.number ?? 0) !== want) out.push(['storage', 'disks', i, 'partitions', j, 'label']);
    });
  });
  return out;
}

export interface RootProblem {
  path: Path;
  message: string;
  hint: string;
}

/**
 * Output-side check (fcos 1.3+): a partition labelled `root` smaller than 8 GiB, or one that fills
 * the disk while another partition of the disk is placed automatically (any other partition
 * without a start, before or after it).
 */
export function rootPartitionProblems(config: Draft): RootProblem[] {
  const out: RootProblem[] = [];
  (config.storage?.disks ?? []).forEach((disk, i) => {
    const parts = disk.partitions ?? [];
    parts.forEach((p, j) => {
      if (p.label !== 'root') return;
      const at: Path = ['storage', 'disks', i, 'partitions', j];
      const size = p.sizeMiB ?? 0;
      if (size === 0) {
        if (parts.some((o, k) => k !== j && !o.startMiB)) {
          out.push({
            path: childPath(at, 'label'),
            message: 'root partition cannot expand; it is set to fill available space but is followed by an auto-positioned partition',
            hint: 'give the other partitions of this disk a start_mib, or give root a size_mib',
          });
        }
      } else if (size < ROOT_MIN_MIB) {
        out.push({
          path: childPath(at, 'sizeMiB'),
          message: 'root should have 8GiB of space assigned',
          hint: `size_mib is ${size}; Fedora CoreOS recommends at least ${ROOT_MIN_MIB} for root`,
        });
      }
    });
  });
  return out;
}
