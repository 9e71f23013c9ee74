// boot_device (fcos 1.3+, openshift): root filesystem encryption (TPM2, Tang, CEX) and boot disk
// mirroring, rendered as disks, RAID arrays, a LUKS volume and filesystems in the generated config.
// The partition sizes mirror the OS image layout and must not change.
import type { Ctx } from '../core/context.js';
import type { Butane, Draft, DraftOf, Path } from '../butane/tree.js';
import { fcosAtLeast } from '../butane/variants.js';
import { addEntry, type EntryOf, type ListOf } from '../core/draft.js';

const BIOS_BOOT = '21686148-6449-6E6F-744E-656564454649';
const ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
const PREP = '9E1A2D38-C612-4316-AA26-8B49521E5A8B';
const RESERVED = '8DA63339-0007-60C0-C436-083AC8230908';

const LAYOUTS_OLD = ['aarch64', 'ppc64le', 'x86_64'];
const LAYOUTS = ['aarch64', 'ppc64le', 's390x-eckd', 's390x-virt', 's390x-zfcp', 'x86_64'];
const S390X = ['s390x-eckd', 's390x-zfcp', 's390x-virt'];

/** Validates boot_device and renders it into `sugar` (the generated config). */
export function translateBootDevice(ctx: Ctx, src: Butane.Config, sugar: Draft): void {
  const bd = src.boot_device;
  if (!bd) return;
  const at: Path = ['boot_device'];
  const layouts = fcosAtLeast(ctx.spec, '1.6.0') ? LAYOUTS : LAYOUTS_OLD;
  const layout = bd.layout ?? 'x86_64';
  if (!layouts.includes(layout)) {
    ctx.error('boot-device-layout', `layout must be one of: ${layouts.join(', ')}`, [...at, 'layout']);
    return;
  }
  const luks = bd.luks ?? {};
  const tang = luks.tang ?? [];
  const cex = luks.cex?.enabled === true;
  const wantLuks = luks.tpm2 === true || tang.length > 0 || cex;
  const devices = bd.mirror?.devices ?? [];
  const wantMirror = devices.length > 0;
  let ok = true;

  if (devices.length === 1) {
    ctx.error('boot-device-mirror', 'mirroring requires at least two devices', [...at, 'mirror', 'devices']);
    ok = false;
  }
  if (wantMirror && bd.layout === undefined) {
    const msg = 'a layout must be specified when mirroring the boot device';
    if (fcosAtLeast(ctx.spec, '1.7.0')) {
      ctx.error('boot-device-layout', msg, [...at, 'layout'], `add \`layout: x86_64\` (or one of ${LAYOUTS_OLD.join(', ')})`);
      ok = false;
    } else ctx.warn('boot-device-layout', msg, at, 'x86_64 is assumed');
  }
  if (wantMirror && S390X.includes(layout)) {
    ctx.error('boot-device-mirror', `mirroring not supported on layouts: ${S390X.join(', ')}`, [...at, 'layout']);
    ok = false;
  }
  if (cex) {
    if (!S390X.includes(layout)) {
      ctx.error(
        'boot-device-cex',
        'when using cex the targeted architecture must match s390x',
        bd.layout === undefined ? [...at, 'luks', 'cex'] : [...at, 'layout'],
      );
      ok = false;
    }
    if (luks.tpm2 === true || tang.length > 0) {
      ctx.error('boot-device-cex', 'cex and clevis (tpm2, tang) cannot be used together', [...at, 'luks']);
      ok = false;
    }
  }
  if (layout === 's390x-eckd' || layout === 's390x-zfcp') {
    const re = layout === 's390x-eckd' ? /^\/dev\/dasd[a-z]$/ : /^\/dev\/sd[a-z]$/;
    if (!luks.device) {
      ctx.error(
        'boot-device-luks-device',
        'device is required for layouts: s390x-eckd, s390x-zfcp',
        [...at, 'layout'],
        'set boot_device.luks.device to the whole disk',
      );
      ok = false;
    } else if (!re.test(luks.device)) {
      ctx.error('boot-device-luks-device', 'device name must start with /dev/dasd on s390x-eckd layout or /dev/sd on s390x-zfcp layout', [
        ...at,
        'luks',
        'device',
      ]);
      ok = false;
    }
  }
  // 1.7+: a device needs a method; a tang entry counts when any of its fields is set.
  const tangSet = tang.some((t) => !!t.url || t.thumbprint !== undefined || t.advertisement !== undefined);
  if (luks.device && !(luks.tpm2 === true || tangSet || cex) && fcosAtLeast(ctx.spec, '1.7.0')) {
    ctx.error('boot-device-luks-method', 'no method specified for luks', [...at, 'luks'], 'set tpm2, tang or cex');
    ok = false;
  }
  if (!ok || (!wantLuks && !wantMirror)) return;
  const add = <L extends ListOf<'storage'>>(list: L, entry: EntryOf<'storage', L>, from: Path) =>
    addEntry(sugar, ctx.sugarSources, 'storage', list, entry, from);

  if (wantMirror) {
    devices.forEach((device, n) => {
      const i = n + 1;
      const parts: DraftOf<'Partition'>[] = [];
      if (layout === 'x86_64') parts.push({ label: `bios-${i}`, sizeMiB: 1, typeGuid: BIOS_BOOT }, { label: `esp-${i}`, sizeMiB: 127, typeGuid: ESP });
      else if (layout === 'aarch64') parts.push({ label: `reserved-${i}`, sizeMiB: 1, typeGuid: RESERVED }, { label: `esp-${i}`, sizeMiB: 127, typeGuid: ESP });
      else if (layout === 'ppc64le') parts.push({ label: `prep-${i}`, sizeMiB: 4, typeGuid: PREP }, { label: `reserved-${i}`, sizeMiB: 1, typeGuid: RESERVED });
      parts.push({ label: `boot-${i}`, sizeMiB: 384 }, { label: `root-${i}` });
      add('disks', { device, partitions: parts, wipeTable: true }, [...at, 'mirror', 'devices', n]);
    });
    if (layout !== 'ppc64le') {
      devices.forEach((_, n) => {
        const label = `esp-${n + 1}`;
        add('filesystems', { device: `/dev/disk/by-partlabel/${label}`, format: 'vfat', label, wipeFilesystem: true }, [...at, 'mirror', 'devices', n]);
      });
    }
    const members = (p: string) => devices.map((_, n) => `/dev/disk/by-partlabel/${p}-${n + 1}`);
    add('raid', { devices: members('boot'), level: 'raid1', name: 'md-boot', options: ['--metadata=1.0'] }, [...at, 'mirror']);
    add('raid', { devices: members('root'), level: 'raid1', name: 'md-root' }, [...at, 'mirror']);
    add('filesystems', { device: '/dev/md/md-boot', format: 'ext4', label: 'boot', wipeFilesystem: true }, [...at, 'mirror']);
  }

  if (wantLuks) {
    let device = '/dev/disk/by-partlabel/root';
    if (layout === 's390x-eckd') device = `${luks.device}2`;
    else if (layout === 's390x-zfcp') device = `${luks.device}4`;
    else if (wantMirror) device = '/dev/md/md-root';
    const entry: DraftOf<'Luks'> = {};
    if (cex) entry.cex = { enabled: true };
    else {
      const clevis: DraftOf<'Clevis'> = {};
      if (tang.length) clevis.tang = tang.map((t) => ({ ...t }));
      if (luks.threshold !== undefined) clevis.threshold = luks.threshold;
      if (luks.tpm2 !== undefined) clevis.tpm2 = luks.tpm2;
      entry.clevis = clevis;
    }
    entry.device = device;
    if (luks.discard !== undefined) entry.discard = luks.discard;
    Object.assign(entry, { label: 'luks-root', name: 'root', wipeVolume: true });
    add('luks', entry, [...at, 'luks']);
    add('filesystems', { device: '/dev/mapper/root', format: 'xfs', label: 'root', wipeFilesystem: true }, [...at, 'luks']);
  } else {
    add('filesystems', { device: '/dev/md/md-root', format: 'xfs', label: 'root', wipeFilesystem: true }, [...at, 'mirror']);
  }
}

/** True when boot_device asks for a CEX-encrypted root (openshift needs a kernel argument then). */
export function bootDeviceUsesCex(src: Butane.Config): boolean {
  return src.boot_device?.luks?.cex?.enabled === true;
}
