// Disks and partitions, RAID arrays.
import { compareVersions } from '../../model/versions.js';
import { empty, rule, type Hit, type Rule } from './rule.js';
import { pathHit } from './paths.js';
import type { UncheckedObject } from '../unchecked.js';
import { utf8Length } from '../../host/utf8.js';

type Partition = UncheckedObject<'Partition'>;

export const diskDevice = rule({
  code: 'disk-device',
  severity: 'error',
  message: 'disk device is required',
  on: 'Disk',
  check: (d) => (empty(d.device) ? { at: ['device'] } : pathHit('device', d.device)),
});

/** Index of the second partition that reuses a non-zero number. */
function numberCollision(parts: Partition[]): number | undefined {
  const seen = new Map<number, number>();
  let first: number | undefined;
  parts.forEach((p, i) => {
    const n = p.number ?? 0;
    if (n === 0) return;
    if (seen.has(n) && first === undefined) first = i;
    seen.set(n, i);
  });
  return first;
}

export const partitionNumbersCollide = rule({
  code: 'partition-numbers-collide',
  severity: 'error',
  message: 'partition numbers collide',
  on: 'Disk',
  check: (d) => {
    if (empty(d.device)) return undefined;
    const i = numberCollision(d.partitions ?? []);
    return i === undefined ? undefined : { at: ['partitions', i] };
  },
});

const end = (p: Partition) => (p.sizeMiB === 0 ? p.startMiB! : p.startMiB! + p.sizeMiB! - 1);

export const partitionsOverlap = rule({
  code: 'partitions-overlap',
  severity: 'error',
  message: 'partitions overlap',
  on: 'Disk',
  check: (d) => {
    if (empty(d.device)) return undefined;
    // Partitions placed by sgdisk (start 0) or without a size can't be checked without the disk.
    const parts = d.partitions ?? [];
    const fixed = (p: Partition) => p.startMiB !== undefined && p.sizeMiB !== undefined && p.startMiB !== 0;
    for (const p of parts) {
      if (!fixed(p)) continue;
      for (let i = 0; i < parts.length; i++) {
        const o = parts[i];
        if (o === p || !fixed(o)) continue;
        const ps = p.startMiB!,
          pe = end(p),
          os = o.startMiB!,
          oe = end(o);
        if ((ps >= os && ps <= oe) || (pe >= os && pe <= oe) || (ps < os && pe > oe)) return { at: ['partitions', i] };
      }
    }
    return undefined;
  },
});

export const partitionLabelsCollide = rule({
  code: 'partition-labels-collide',
  severity: 'error',
  message: 'cannot use the same partition label twice',
  on: 'Disk',
  check: (d) => {
    if (empty(d.device)) return undefined;
    const seen = new Set<string>();
    const parts = d.partitions ?? [];
    for (let i = 0; i < parts.length; i++) {
      const l = parts[i].label;
      if (l === undefined) continue;
      if (seen.has(l)) return { at: ['partitions', i] };
      seen.add(l);
    }
    return undefined;
  },
});

export const zeroesWithShouldNotExist = rule({
  code: 'partition-zeroes-with-should-not-exist',
  severity: 'error',
  message: 'shouldExist is false for a partition and other partition(s) has start or size 0',
  on: 'Disk',
  // Ignition's condition: some partition is to be deleted and some partition has no number.
  check: (d) => {
    if (empty(d.device)) return undefined;
    const parts = d.partitions ?? [];
    const deletes = parts.some((p) => p.shouldExist === false);
    const unnumbered = parts.some((p) => (p.number ?? 0) === 0);
    return deletes && unnumbered && { at: ['partitions'], hint: 'give every partition its number when one of them is deleted' };
  },
});

export const shouldNotExistWithOthers = rule({
  code: 'partition-should-not-exist-with-others',
  severity: 'error',
  message: 'shouldExist specified false with other options also specified',
  on: 'Partition',
  check: (p) =>
    p.shouldExist === false && (p.label !== undefined || !empty(p.typeGuid) || !empty(p.guid) || p.startMiB !== undefined || p.sizeMiB !== undefined),
});

export const partitionNeedsNumberOrLabel = rule({
  code: 'partition-number-or-label',
  severity: 'error',
  message: 'a partition number >= 1 or a label must be specified',
  on: 'Partition',
  check: (p) => (p.number ?? 0) === 0 && p.label === undefined,
});

export const partitionLabel = rule({
  code: 'partition-label',
  severity: 'error',
  message: 'partition labels may not exceed 36 characters',
  on: 'Partition',
  check: (p): Hit | undefined => {
    if (p.label === undefined) return undefined;
    if (utf8Length(p.label) > 36) return { at: ['label'] };
    // sgdisk splits its arguments at colons and has no escape for them.
    if (p.label.includes(':')) return { at: ['label'], message: 'partition label will be truncated to text before the colon' };
    return undefined;
  },
});

const GUID = /^(|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$/;

export const partitionGuids = rule({
  code: 'partition-guid',
  severity: 'error',
  message: 'doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"',
  on: 'Partition',
  check: (p) => (['guid', 'typeGuid'] as const).filter((f) => p[f] !== undefined && !GUID.test(p[f]!)).map((f) => ({ at: [f] })),
});

const RAID_LEVELS: Record<string, boolean> = {
  // level → spares allowed
  linear: false,
  raid0: false,
  '0': false,
  stripe: false,
  raid1: true,
  '1': true,
  mirror: true,
  raid4: true,
  '4': true,
  raid5: true,
  '5': true,
  raid6: true,
  '6': true,
  raid10: true,
  '10': true,
};

export const raidLevel = rule({
  code: 'raid-level',
  severity: 'error',
  message: 'unrecognized raid level',
  on: 'Raid',
  check: (r, ctx): Hit | undefined => {
    // Before spec 3.3.0 the level is a plain string: an empty one is just not a known level.
    if (empty(r.level)) return compareVersions(ctx.version, '3.3.0') >= 0 ? { at: ['level'], message: 'raid level is required' } : { at: ['level'] };
    const sparesOk = RAID_LEVELS[r.level!];
    if (sparesOk === undefined)
      return { at: ['level'], hint: 'accepted values: linear, raid0, raid1, raid4, raid5, raid6, raid10 (or 0, 1, 4, 5, 6, 10, stripe, mirror)' };
    if (!sparesOk && (r.spares ?? 0) !== 0) return { at: ['level'], message: 'spares unsupported for linear and raid0 arrays' };
    return undefined;
  },
});

export const raidDevicesRequired = rule({
  code: 'raid-devices-required',
  severity: 'error',
  message: 'raid devices required',
  on: 'Raid',
  check: (r) => !r.devices?.length && { at: ['devices'] },
});

export const raidDevicePaths = rule({
  code: 'raid-device-path',
  severity: 'error',
  message: 'path not absolute',
  on: 'Raid',
  check: (r) =>
    (r.devices ?? []).flatMap((d, i) => {
      const h = pathHit('x', d);
      return h ? [{ at: ['devices', i], message: h.message }] : [];
    }),
});

/** This module's rules, by name, for the registry (index.ts). */
export const DISK_RULES: readonly Rule[] = [
  diskDevice,
  partitionGuids,
  partitionLabel,
  partitionLabelsCollide,
  partitionNeedsNumberOrLabel,
  partitionNumbersCollide,
  partitionsOverlap,
  raidDevicePaths,
  raidDevicesRequired,
  raidLevel,
  shouldNotExistWithOthers,
  zeroesWithShouldNotExist,
];
