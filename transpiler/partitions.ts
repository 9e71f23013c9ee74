// fcos partition checks: reserved partition labels at the wrong number (every fcos/openshift
// version, on the translated config) and partitions matched only by label (fcos 1.6+), which
// Ignition cannot reuse safely.
import { Ctx, isObj } from './context.js';
import type { Obj, Path } from './decode.js';
import { fcosAtLeast } from './variants.js';

const RESERVED: Record<string, number> = { 'BIOS-BOOT': 1, 'PowerPC-PReP-boot': 1, 'EFI-SYSTEM': 2, boot: 3, root: 4 };
const BOOT_DISK = '/dev/disk/by-id/coreos-boot-disk';

/** Source-side check (fcos 1.6+): a label-only partition on a disk that keeps its table. */
export function checkPartitionReuse(ctx: Ctx, src: Obj): void {
  if (!fcosAtLeast(ctx.spec, '1.6.0')) return;
  const storage = src.storage;
  if (!isObj(storage) || !Array.isArray(storage.disks)) return;
  (storage.disks as Obj[]).forEach((disk, i) => {
    if (disk.device === BOOT_DISK || disk.wipeTable === true || !Array.isArray(disk.partitions)) return;
    (disk.partitions as Obj[]).forEach((p, j) => {
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
export function wrongReservedNumbers(config: Obj): Path[] {
  const out: Path[] = [];
  const storage = config.storage;
  if (!isObj(storage) || !Array.isArray(storage.disks)) return out;
  (storage.disks as Obj[]).forEach((disk, i) => {
    if (disk.wipeTable === true || !Array.isArray(disk.partitions)) return;
    (disk.partitions as Obj[]).forEach((p, j) => {
      const want = typeof p.label === 'string' ? RESERVED[p.label] : undefined;
      if (want !== undefined && (p.number ?? 0) !== want) out.push(['storage', 'disks', i, 'partitions', j, 'label']);
    });
  });
  return out;
}
