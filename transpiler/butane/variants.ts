// Every Butane variant+version pair Kindling accepts, as data: which Ignition spec it produces, which
// "fcos level" of distro sugar it carries, and which Ignition fields the variant forbids. Adding a
// version is one row here; nothing else restates the table (Butane 0.29.0 semantics).
import { parseUrl } from '../../src/config/url.js';
import { compareSemver, type Version } from '../../src/model/versions.js';

/** A field the variant forbids in the translated Ignition config, with Butane's message. */
export interface FieldFilter {
  /** Camel-case path into the Ignition config; `*` matches every list entry. */
  path: string[];
  message: string;
  /** Only when the value is not one of these (e.g. user names other than `core`). */
  unless?: (value: unknown) => boolean;
  /**
   * A check of the generated config rather than a field filter: it runs with --raw too (Butane
   * applies openshift's field filters to the MachineConfig only), and on entries that leave the
   * field unset (the value is then undefined).
   */
  check?: true;
}

export interface OpenShiftOpts {
  /** openshift.fips appends a FIPS cipher to LUKS options (4.8–4.19). */
  fipsCipher: boolean;
  /** cex on the boot device needs `rd.luks.key=/etc/luks/cex.key` in openshift.kernel_arguments (4.19+). */
  cexKarg: boolean;
  /** grub.users' single append is rewritten into contents (4.23-exp). */
  grubAsContents: boolean;
}

export interface VariantSpec {
  variant: string;
  version: string;
  ignition: Version;
  experimental: boolean;
  /** Version of fcos whose distro sugar (boot_device, grub, extra checks) this pair carries, if any. */
  fcos?: string;
  /** Inline/local resources are gzip-compressed when that is shortest. */
  autoCompress: boolean;
  filters: FieldFilter[];
  openshift?: OpenShiftOpts;
  /**
   * Set on a `variant: kindling` config: the Kindling extension version. Everything else is the
   * base pair's, unchanged (the variant, version, Ignition spec, sugar and filters), so a Kindling
   * config is its base config plus the Kindling sections (network).
   */
  kindling?: string;
}

const cannot = (what: string) => `${what} customization is not supported in this spec version`;

// r4e and fiot manage storage and kernel arguments through the image, not Ignition.
let EDGE_FILTERS: FieldFilter[] | undefined;
const edgeFilters = (): FieldFilter[] =>
  (EDGE_FILTERS ??= [
    { path: ['kernelArguments'], message: 'kernel argument customization is not supported in this spec version' },
    { path: ['storage', 'disks'], message: cannot('disk') },
    { path: ['storage', 'filesystems'], message: cannot('filesystem') },
    { path: ['storage', 'luks'], message: 'luks is not supported in this spec version' },
    { path: ['storage', 'raid'], message: 'raid is not supported in this spec version' },
  ]);

const unsupported = (what: string) => `${what} not supported in this spec version`;
/** A URL the MCO fetches itself: anything but a data URL (unparsable ones are Ignition's to report). */
const fetched = (v: unknown) => {
  const u = typeof v === 'string' ? parseUrl(v) : undefined;
  return u !== undefined && u.scheme !== 'data';
};
function openshiftFilters(minor: number): FieldFilter[] {
  const f: FieldFilter[] = [
    { path: ['passwd', 'groups'], message: unsupported('groups are') },
    { path: ['storage', 'directories'], message: unsupported('directories are') },
    { path: ['storage', 'links'], message: 'links are not supported in this spec version' },
    { path: ['storage', 'files', '*', 'append'], message: unsupported('appending to files is') },
    { path: ['storage', 'files', '*', 'contents', 'httpHeaders'], message: unsupported('file HTTP headers are') },
    // What RHCOS and the MCO reject, checked on the generated config (--raw included).
    { path: ['passwd', 'users', '*', 'name'], message: unsupported('users other than "core" are'), unless: (v) => v === 'core', check: true },
    {
      path: ['storage', 'files', '*', 'contents', 'source'],
      message: 'file contents source must be data URL in this spec version',
      unless: (v) => !fetched(v),
      check: true,
    },
    { path: ['storage', 'filesystems', '*', 'format'], message: unsupported('btrfs is'), unless: (v) => v !== 'btrfs', check: true },
  ];
  if (minor >= 10)
    f.push({
      path: ['storage', 'files', '*', 'mode'],
      message: unsupported('special mode bits are'),
      unless: (v) => typeof v !== 'number' || (v & ~0o777) === 0,
      check: true,
    });
  if (minor >= 14)
    f.push({ path: ['storage', 'filesystems', '*', 'format'], message: unsupported('format "none" is'), unless: (v) => v !== 'none', check: true });
  const userFields = ['gecos', 'groups', 'homeDir', 'noCreateHome', 'noLogInit', 'noUserGroup', 'primaryGroup', 'shell', 'shouldExist', 'system', 'uid'];
  if (minor < 13) userFields.push('passwordHash');
  const userMsg =
    minor >= 13
      ? unsupported('fields other than "name", "ssh_authorized_keys", and "password_hash" (4.13.0+) are')
      : unsupported('fields other than "name" and "ssh_authorized_keys" are');
  for (const k of userFields) f.push({ path: ['passwd', 'users', '*', k], message: userMsg });
  if (minor >= 14)
    f.push({
      path: ['kernelArguments'],
      message: 'this section cannot be used for kernel arguments in this spec version; use openshift.kernel_arguments instead',
    });
  if (minor <= 9) f.push({ path: ['storage', 'files', '*', 'contents', 'compression'], message: unsupported('file compression is'), unless: (v) => v === '' });
  return f;
}

function row(variant: string, version: string, ignition: Version, opts: Partial<VariantSpec> = {}): VariantSpec {
  return { variant, version, ignition, experimental: version.includes('-'), autoCompress: true, filters: [], ...opts };
}

/**
 * The pairs, oldest first within a variant: variant, version, Ignition spec, and the fcos level of
 * distro sugar (fcos and openshift). Each becomes a VariantSpec (spec()) only when asked for: a run
 * uses one pair, and building all 33 at start-up cost every transpile 0.5 M instructions.
 */
const PAIRS: readonly (readonly [variant: string, version: string, ignition: Version, fcos?: string])[] = [
  ['fcos', '1.0.0', '3.0.0', '1.0.0'],
  ['fcos', '1.1.0', '3.1.0', '1.1.0'],
  ['fcos', '1.2.0', '3.2.0', '1.2.0'],
  ['fcos', '1.3.0', '3.2.0', '1.3.0'],
  ['fcos', '1.4.0', '3.3.0', '1.4.0'],
  ['fcos', '1.5.0', '3.4.0', '1.5.0'],
  ['fcos', '1.6.0', '3.5.0', '1.6.0'],
  ['fcos', '1.7.0', '3.6.0', '1.7.0'],
  ['fcos', '1.8.0-experimental', '3.7.0-experimental', '1.8.0-experimental'],
  ['flatcar', '1.0.0', '3.3.0'],
  ['flatcar', '1.1.0', '3.4.0'],
  ['flatcar', '1.2.0-experimental', '3.7.0-experimental'],
  ['openshift', '4.8.0', '3.2.0', '1.3.0'],
  ['openshift', '4.9.0', '3.2.0', '1.3.0'],
  ['openshift', '4.10.0', '3.2.0', '1.3.0'],
  ['openshift', '4.11.0', '3.2.0', '1.3.0'],
  ['openshift', '4.12.0', '3.2.0', '1.3.0'],
  ['openshift', '4.13.0', '3.2.0', '1.3.0'],
  ['openshift', '4.14.0', '3.4.0', '1.5.0'],
  ['openshift', '4.15.0', '3.4.0', '1.5.0'],
  ['openshift', '4.16.0', '3.4.0', '1.5.0'],
  ['openshift', '4.17.0', '3.4.0', '1.5.0'],
  ['openshift', '4.18.0', '3.4.0', '1.5.0'],
  ['openshift', '4.19.0', '3.5.0', '1.6.0'],
  ['openshift', '4.20.0', '3.5.0', '1.6.0'],
  ['openshift', '4.21.0', '3.5.0', '1.6.0'],
  ['openshift', '4.22.0', '3.5.0', '1.6.0'],
  ['openshift', '4.23.0-experimental', '3.7.0-experimental', '1.8.0-experimental'],
  ['r4e', '1.0.0', '3.3.0'],
  ['r4e', '1.1.0', '3.4.0'],
  ['r4e', '1.2.0-experimental', '3.7.0-experimental'],
  ['fiot', '1.0.0', '3.4.0'],
  ['fiot', '1.1.0-experimental', '3.7.0-experimental'],
];

/** The variant's own settings and filters for one pair of PAIRS. */
function build([variant, version, ignition, fcos]: (typeof PAIRS)[number]): VariantSpec {
  switch (variant) {
    case 'fcos':
      return row(variant, version, ignition, { fcos });
    case 'flatcar':
      return row(variant, version, ignition, {
        // clevis is supported from 1.2.0-experimental on; cex is not.
        filters:
          compareSemver(version, '1.2.0-experimental') >= 0
            ? [{ path: ['storage', 'luks', '*', 'cex'], message: 'cex is not currently supported on the target platform' }]
            : [{ path: ['storage', 'luks', '*', 'clevis'], message: 'clevis is not supported in this spec version' }],
      });
    case 'openshift': {
      const minor = Number(version.split('.')[1]);
      const spec = row(variant, version, ignition, {
        fcos,
        autoCompress: minor > 9,
        openshift: { fipsCipher: minor <= 19, cexKarg: minor >= 19, grubAsContents: minor >= 23 },
      });
      // Made when a config asks: some 25 filters and their tests, of use only to a config that breaks one.
      let filters: FieldFilter[] | undefined;
      return Object.defineProperty(spec, 'filters', { enumerable: true, get: () => (filters ??= openshiftFilters(minor)) });
    }
    default: // r4e, fiot
      return row(variant, version, ignition, { filters: edgeFilters() });
  }
}

// One VariantSpec per pair, made at the first request: callers key caches on its identity.
const built: VariantSpec[] = [];
const spec = (i: number): VariantSpec => (built[i] ??= build(PAIRS[i]));

/** Every pair Kindling accepts, in PAIRS' order. */
export function allVariants(): readonly VariantSpec[] {
  return PAIRS.map((_, i) => spec(i));
}

export function findVariant(variant: string, version: string): VariantSpec | undefined {
  const i = PAIRS.findIndex((p) => p[0] === variant && p[1] === version);
  return i < 0 ? undefined : spec(i);
}

/** Versions a variant accepts, oldest first. */
export function versionsOf(variant: string): VariantSpec[] {
  const out: VariantSpec[] = [];
  PAIRS.forEach((p, i) => {
    if (p[0] === variant) out.push(spec(i));
  });
  return out;
}

/** The variants' names, each once. */
export function variantNames(): string[] {
  return [...new Set(PAIRS.map((p) => p[0]))];
}

/** Versions of the Kindling extension vocabulary (`variant: kindling`, `version:`). */
export const KINDLING_VERSIONS: readonly string[] = ['1.0.0'];
export const KINDLING = 'kindling';

/** The pair a Kindling config of `version` over `base` is translated as. */
export function kindlingSpec(base: VariantSpec, version: string): VariantSpec {
  return { ...base, kindling: version };
}

/** Every Kindling version over every Butane pair. */
export function kindlingSpecs(): VariantSpec[] {
  return KINDLING_VERSIONS.flatMap((k) => allVariants().map((base) => kindlingSpec(base, k)));
}

/** Butane's error for the removed rhcos variant. */
export const RHCOS_REMOVED = 'rhcos variant has been removed; use openshift variant instead: https://coreos.github.io/butane/upgrading-openshift/';

/** True when the pair carries fcos distro sugar of at least `min`. */
export function fcosAtLeast(v: VariantSpec, min: string): boolean {
  return v.fcos !== undefined && compareSemver(v.fcos, min) >= 0;
}
