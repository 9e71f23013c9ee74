// Filesystems and LUKS volumes.
import { compareVersions } from '../../model/versions.js';
import { parseUrl } from '../url.js';
import { urlProblem } from './resources.js';
import { empty, isTrue, rule, type Hit, type RuleContext, type Rule } from './rule.js';
import { pathHit } from './paths.js';
import type { UncheckedObject } from '../unchecked.js';
import { utf8Length } from '../../host/utf8.js';

type Filesystem = UncheckedObject<'Filesystem'>;
type Luks = UncheckedObject<'Luks'>;

// virtiofs exists in 3.7.0-experimental as Ignition main has it; in Ignition v2.26 (which Butane
// 0.29 validates with) that version is still 3.6.0 by another name.
const hasVirtiofs = (ctx: RuleContext) => ctx.virtiofs !== false && compareVersions(ctx.version, '3.7.0-experimental') >= 0;
const isVirtiofs = (f: Filesystem, ctx: RuleContext) => f.format === 'virtiofs' && hasVirtiofs(ctx);

export const filesystemPath = rule({
  code: 'filesystem-path',
  severity: 'error',
  message: 'path not absolute',
  on: 'Filesystem',
  check: (f) => pathHit('path', f.path, true),
});

export const filesystemDevice = rule({
  code: 'filesystem-device',
  severity: 'error',
  message: 'path not absolute',
  on: 'Filesystem',
  check: (f, ctx): Hit | undefined => {
    if (isVirtiofs(f, ctx)) {
      // virtiofs devices are tags, not paths.
      if (empty(f.device)) return { at: ['device'], message: 'device not specified' };
      if (utf8Length(f.device!) > 36) return { at: ['device'], message: 'virtiofs device tag cannot be longer than 36 bytes' };
      return undefined;
    }
    return pathHit('device', f.device);
  },
});

const FORMATS: { name: string; since: '3.0.0' | '3.3.0' | '3.7.0-experimental'; maxLabel?: number }[] = [
  { name: 'ext4', since: '3.0.0', maxLabel: 16 },
  { name: 'btrfs', since: '3.0.0', maxLabel: 256 },
  { name: 'xfs', since: '3.0.0', maxLabel: 12 },
  { name: 'swap', since: '3.0.0', maxLabel: 15 },
  { name: 'vfat', since: '3.0.0', maxLabel: 11 },
  { name: 'none', since: '3.3.0' },
  { name: 'virtiofs', since: '3.7.0-experimental' },
];

export const filesystemFormat = rule({
  code: 'filesystem-format',
  severity: 'error',
  message: 'invalid filesystem format',
  on: 'Filesystem',
  check: (f, ctx): Hit | undefined => {
    if (empty(f.format)) {
      const others = !empty(f.path) || !empty(f.label) || !empty(f.uuid) || isTrue(f.wipeFilesystem) || !!f.mountOptions?.length || !!f.options?.length;
      return others
        ? { at: ['format'], message: 'format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions is specified' }
        : undefined;
    }
    const has = (x: (typeof FORMATS)[number]) => compareVersions(ctx.version, x.since) >= 0 && (x.name !== 'virtiofs' || hasVirtiofs(ctx));
    const known = FORMATS.find((x) => x.name === f.format);
    if (known && has(known)) return undefined;
    const accepted = FORMATS.filter(has).map((x) => x.name);
    return { at: ['format'], hint: `accepted values for this version: ${accepted.join(', ')}` };
  },
});

export const filesystemLabel = rule({
  code: 'filesystem-label',
  severity: 'error',
  message: 'filesystem must specify format if label is specified',
  on: 'Filesystem',
  check: (f, ctx): Hit | undefined => {
    if (empty(f.label)) return undefined;
    if (empty(f.format)) return { at: ['label'] };
    if (isVirtiofs(f, ctx)) return { at: ['label'], message: 'filesystem labels cannot be set when using virtiofs' };
    const max = FORMATS.find((x) => x.name === f.format)?.maxLabel;
    if (max !== undefined && utf8Length(f.label!) > max)
      return { at: ['label'], message: `filesystem labels cannot be longer than ${max} characters when using ${f.format}` };
    return undefined;
  },
});

export const blockDeviceOnlyFields = rule({
  code: 'filesystem-block-only',
  severity: 'error',
  message: 'filesystem uuid cannot be set for non-block-device filesystems',
  on: 'Filesystem',
  since: '3.7.0-experimental',
  check: (f, ctx) => {
    if (!isVirtiofs(f, ctx)) return undefined;
    const hits: Hit[] = [];
    if (!empty(f.uuid)) hits.push({ at: ['uuid'] });
    if (isTrue(f.wipeFilesystem)) hits.push({ at: ['wipeFilesystem'], message: 'wipeFilesystem cannot be set for non-block-device filesystems' });
    if (f.options?.length) hits.push({ at: ['options'], message: 'filesystem options (mkfs) cannot be set for non-block-device filesystems' });
    return hits;
  },
});

export const luksName = rule({
  code: 'luks-name-slash',
  severity: 'error',
  message: 'device names cannot contain slashes',
  on: 'Luks',
  check: (l) => (l.name ?? '').includes('/') && { at: ['name'] },
});

export const luksLabel = rule({
  code: 'luks-label',
  severity: 'error',
  message: 'luks device labels cannot be longer than 47 characters',
  on: 'Luks',
  check: (l) => !empty(l.label) && utf8Length(l.label!) > 47 && { at: ['label'] },
});

export const luksDevice = rule({
  code: 'luks-device',
  severity: 'error',
  message: 'disk device is required',
  on: 'Luks',
  check: (l) => (empty(l.device) ? { at: ['device'] } : pathHit('device', l.device)),
});

const clevisOthers = (c: NonNullable<Luks['clevis']>) => !!c.tang?.length || isTrue(c.tpm2) || (c.threshold ?? 0) !== 0;

export const clevisCustomWithOthers = rule({
  code: 'clevis-custom-with-others',
  severity: 'error',
  message: 'cannot use custom clevis config with tpm2, tang, or threshold',
  on: 'Luks',
  check: (l, ctx) => {
    const c = l.clevis;
    if (!c) return undefined;
    // In 3.2 `custom` was a pointer: any custom object counts; later only a pin does.
    const custom = ctx.version === '3.2.0' ? c.custom !== undefined : !empty(c.custom?.pin);
    return custom && clevisOthers(c) && { at: ['clevis'] };
  },
});

export const luksKeyFile = rule({
  code: 'luks-key-file',
  severity: 'error',
  message: 'invalid key-file source',
  on: 'Luks',
  check: (l, ctx) => !empty(l.keyFile?.source) && urlProblem(l.keyFile!.source!, ctx.version) !== undefined && { at: ['keys'] },
});

const clevisPresent = (l: Luks) => !!l.clevis && (!empty(l.clevis.custom?.pin) || clevisOthers(l.clevis));

export const cexWithClevis = rule({
  code: 'cex-with-clevis',
  severity: 'error',
  message: 'cannot use cex with clevis',
  on: 'Luks',
  since: '3.5.0',
  check: (l) => isTrue(l.cex?.enabled) && clevisPresent(l) && { at: ['cex'] },
});

export const cexWithKeyFile = rule({
  code: 'cex-with-key-file',
  severity: 'error',
  message: 'cannot use key file with cex',
  on: 'Luks',
  since: '3.5.0',
  check: (l) => isTrue(l.cex?.enabled) && !empty(l.keyFile?.source) && { at: ['cex'] },
});

export const clevisCustomFields = rule({
  code: 'clevis-custom-fields',
  severity: 'error',
  message: 'missing required custom clevis pin',
  on: 'ClevisCustom',
  check: (c, ctx) => {
    if (ctx.version === '3.2.0') {
      // 3.2.0: pin and config are plain strings, needsNetwork does not count, and an empty pin
      // is just not one of the known pins.
      if (empty(c.pin) && empty(c.config)) return undefined;
      const hits: Hit[] = [];
      if (!['tpm2', 'tang', 'sss'].includes(c.pin ?? '')) hits.push({ at: ['pin'], message: 'unsupported clevis pin' });
      if (empty(c.config)) hits.push({ at: ['config'], message: 'missing required custom clevis config' });
      return hits;
    }
    if (empty(c.pin) && empty(c.config) && !isTrue(c.needsNetwork)) return undefined;
    const hits: Hit[] = [];
    if (empty(c.pin)) hits.push({ at: ['pin'] });
    else if (compareVersions(ctx.version, '3.6.0') < 0 && !['tpm2', 'tang', 'sss'].includes(c.pin!))
      hits.push({ at: ['pin'], message: 'unsupported clevis pin' });
    if (empty(c.config)) hits.push({ at: ['config'], message: 'missing required custom clevis config' });
    return hits;
  },
});

export const tangUrl = rule({
  code: 'tang-url',
  severity: 'error',
  message: 'invalid url scheme',
  on: 'Tang',
  check: (t): Hit | undefined => {
    const u = parseUrl(t.url ?? '');
    if (!u) return { at: ['url'], message: 'unable to parse url' };
    return u.scheme === 'http' || u.scheme === 'https' ? undefined : { at: ['url'] };
  },
});

export const tangThumbprint = rule({
  code: 'tang-thumbprint',
  severity: 'error',
  message: 'thumbprint is required',
  on: 'Tang',
  check: (t) => empty(t.thumbprint) && { at: ['thumbprint'] },
});

export const tangAdvertisement = rule({
  code: 'tang-advertisement',
  severity: 'error',
  message: 'advertisement is not valid JSON',
  on: 'Tang',
  since: '3.4.0',
  check: (t) => {
    if (empty(t.advertisement)) return undefined;
    try {
      JSON.parse(t.advertisement!);
      return undefined;
    } catch {
      return { at: ['advertisement'] };
    }
  },
});

/** This module's rules, by name, for the registry (index.ts). */
export const FILESYSTEM_RULES: readonly Rule[] = [
  blockDeviceOnlyFields,
  cexWithClevis,
  cexWithKeyFile,
  clevisCustomFields,
  clevisCustomWithOthers,
  filesystemDevice,
  filesystemFormat,
  filesystemLabel,
  filesystemPath,
  luksDevice,
  luksKeyFile,
  luksLabel,
  luksName,
  tangAdvertisement,
  tangThumbprint,
  tangUrl,
];
