// The Butane view of the config model: the Ignition fields of the pair's spec version (from
// src/model, renamed to snake_case) plus Butane's sugar fields, declared here as data with the
// versions and variants that have them. The decoder, the unused-key hints and the editor schemas
// all read this one view.
import { entryReader } from '../../src/model/entries.js';
import { butaneName, objectDef, type TypeRef } from '../../src/model/spec.js';
import { fieldsAt } from '../../src/model/view.js';
import { inRange, type Version } from '../../src/model/versions.js';
import { fcosAtLeast, type VariantSpec } from './variants.js';
import { networkObjects } from './network-fields.js';
import { b, i, list, obj, s, type BType } from './btype.js';

export type { BType } from './btype.js';

export interface BField {
  /** Name in the YAML (snake_case). */
  name: string;
  /** Key in the decoded object: the Ignition JSON name, or the Butane name for sugar. */
  key: string;
  type: BType;
  sugar: boolean;
  /** A field of Kindling's own sections (`variant: kindling` only), which Kindling translates. */
  kindling?: true;
  desc: string;
  enum?: readonly string[];
  /** What Ignition does when unset (editor schemas). */
  default?: boolean | number;
}

export interface BObj {
  name: string;
  fields: Map<string, BField>;
}

/** Where a sugar field exists. All conditions must hold. */
interface Gate {
  /** Ignition spec version of the pair (the "base" layer of Butane). */
  since?: Version;
  /** fcos distro sugar level (fcos and openshift). */
  fcos?: string;
  variants?: string[];
  /** Only in `variant: kindling` configs (Kindling's own sections). */
  kindling?: boolean;
  /** Only where the Ignition object has this field in this use (its `later` table allowing). */
  withField?: string;
}

interface SugarField {
  type: BType;
  desc: string;
  gate?: Gate;
  enum?: readonly string[];
}

const FCOS_LIKE = ['fcos', 'openshift'];

/** Sugar fields added to Ignition objects. */
const SUGAR: Record<string, Record<string, SugarField>> = {
  Config: {
    variant: { type: s, desc: 'The Butane variant (fcos, flatcar, openshift, r4e, fiot), or kindling.' },
    version: { type: s, desc: 'The version of the Butane variant.' },
    boot_device: { type: obj('BootDevice'), desc: 'Boot disk encryption and mirroring.', gate: { fcos: '1.3.0', variants: FCOS_LIKE } },
    grub: { type: obj('Grub'), desc: 'GRUB bootloader settings.', gate: { fcos: '1.5.0', variants: FCOS_LIKE } },
    metadata: { type: obj('Metadata'), desc: 'MachineConfig metadata.', gate: { variants: ['openshift'] } },
    openshift: { type: obj('OpenShift'), desc: 'MachineConfig-specific settings.', gate: { variants: ['openshift'] } },
    base: { type: s, desc: 'The Butane variant and version this Kindling config extends, e.g. `fcos 1.6.0`.', gate: { kindling: true } },
    network: {
      type: obj('Network'),
      desc: 'Network configuration (netplan v2 vocabulary), written as NetworkManager keyfiles or systemd-networkd files.',
      gate: { kindling: true },
    },
  },
  Resource: {
    // fcos 1.0 (spec 3.0) has inline only on file contents: wherever compression exists.
    inline: { type: s, desc: 'Contents of the resource, inline.', gate: { withField: 'compression' } },
    local: { type: s, desc: 'Path of a file under --files-dir whose contents become the resource.', gate: { since: '3.1.0' } },
  },
  Storage: {
    trees: { type: list(obj('Tree')), desc: 'Directory trees under --files-dir copied into the config.', gate: { since: '3.1.0' } },
  },
  Filesystem: {
    with_mount_unit: { type: b, desc: 'Generate a mount (or swap) unit for the filesystem.', gate: { since: '3.1.0' } },
  },
  PasswdUser: {
    ssh_authorized_keys_local: { type: list(s), desc: 'Files under --files-dir holding SSH keys, one per line.', gate: { since: '3.4.0' } },
  },
  Unit: {
    contents_local: { type: s, desc: 'File under --files-dir holding the unit contents.', gate: { since: '3.4.0' } },
  },
  Dropin: {
    contents_local: { type: s, desc: 'File under --files-dir holding the drop-in contents.', gate: { since: '3.4.0' } },
  },
  Systemd: {
    quadlets: { type: list(obj('Quadlet')), desc: 'Podman quadlet files.', gate: { since: '3.7.0-experimental' } },
  },
};

/** Objects that exist only in Butane (besides the network section's, networkObjects). */
const SUGAR_OBJECTS: Record<string, Record<string, SugarField>> = {
  Tree: {
    local: { type: s, desc: 'Directory under --files-dir.' },
    path: { type: s, desc: 'Destination root of the tree (default /).' },
    file_mode: { type: i, desc: 'Mode of the files created from the tree.', gate: { since: '3.6.0' } },
    dir_mode: { type: i, desc: 'Mode of the directories created from the tree.', gate: { since: '3.6.0' } },
    user: { type: obj('NodeUser'), desc: 'Owner of the nodes created from the tree.', gate: { since: '3.6.0' } },
    group: { type: obj('NodeGroup'), desc: 'Group of the nodes created from the tree.', gate: { since: '3.6.0' } },
  },
  Quadlet: {
    name: { type: s, desc: 'Quadlet file name (.container, .volume, .network, .kube, .image, .build, .pod or .artifact).' },
    rootful: { type: b, desc: 'Install for root (/etc/containers/systemd) instead of all users.' },
    contents: { type: s, desc: 'Quadlet file contents.' },
    contents_local: { type: s, desc: 'File under --files-dir holding the contents.' },
    dropins: { type: list(obj('QuadletDropin')), desc: 'Drop-ins for the quadlet.' },
  },
  QuadletDropin: {
    name: { type: s, desc: 'Drop-in name ending in .conf.' },
    contents: { type: s, desc: 'Drop-in contents.' },
    contents_local: { type: s, desc: 'File under --files-dir holding the contents.' },
  },
  BootDevice: {
    layout: {
      type: s,
      desc: 'Boot disk layout.',
      enum: ['x86_64', 'aarch64', 'ppc64le', 's390x-eckd', 's390x-virt', 's390x-zfcp'],
    },
    luks: { type: obj('BootDeviceLuks'), desc: 'Encrypt the root filesystem.' },
    mirror: { type: obj('BootDeviceMirror'), desc: 'Mirror the boot disk.' },
  },
  BootDeviceLuks: {
    cex: { type: obj('Cex'), desc: 'IBM Crypto Express secure key.', gate: { fcos: '1.6.0' } },
    device: { type: s, desc: 'Device of the root partition (s390x).', gate: { fcos: '1.6.0' } },
    discard: { type: b, desc: 'Allow discards.', gate: { fcos: '1.5.0' } },
    tang: { type: list(obj('Tang')), desc: 'Tang servers.' },
    threshold: { type: i, desc: 'How many pins must succeed.' },
    tpm2: { type: b, desc: 'Bind to the TPM2.' },
  },
  BootDeviceMirror: {
    devices: { type: list(s), desc: 'Disks to mirror the boot disk onto.' },
  },
  Grub: {
    users: { type: list(obj('GrubUser')), desc: 'GRUB superusers.' },
  },
  GrubUser: {
    name: { type: s, desc: 'User name.' },
    password_hash: { type: s, desc: 'PBKDF2 hash from grub2-mkpasswd-pbkdf2.' },
  },
  Metadata: {
    name: { type: s, desc: 'MachineConfig name.' },
    labels: { type: { map: s }, desc: 'MachineConfig labels.' },
  },
  OpenShift: {
    kernel_arguments: { type: list(s), desc: 'Kernel arguments.' },
    extensions: { type: list(s), desc: 'RHCOS extensions.' },
    fips: { type: b, desc: 'Enable FIPS mode.' },
    kernel_type: { type: s, desc: 'Kernel type.', enum: ['', 'default', 'realtime'] },
  },
};

// Ignition fields Butane does not take from the user.
const HIDDEN: Record<string, string[]> = { Ignition: ['version'] };

function open(gate: Gate | undefined, v: VariantSpec, ignitionFields: Map<string, unknown>): boolean {
  if (!gate) return true;
  if (gate.withField && !ignitionFields.has(gate.withField)) return false;
  if (gate.variants && !gate.variants.includes(v.variant)) return false;
  if (gate.kindling && v.kindling === undefined) return false;
  if (gate.since && !inRange(v.ignition, gate.since)) return false;
  if (gate.fcos && !fcosAtLeast(v, gate.fcos)) return false;
  return true;
}

function fromIgnition(t: TypeRef, later?: Record<string, Version>): BType {
  if (typeof t === 'string') return t;
  if ('list' in t) return { list: fromIgnition(t.list, later) };
  return later ? { obj: t.ref, later } : { obj: t.ref };
}

/** The tables above, an entry at a time (src/model/entries.ts). */
const sugarOf = entryReader(SUGAR);
const sugarObject = entryReader(SUGAR_OBJECTS);

// Decoding asks for an object's fields at every mapping, so the views are cached by identity: the
// pair, then the `later` table (each comes from one field of the model), then the object's name.
const NO_LATER = {};
const cache = new WeakMap<VariantSpec, WeakMap<object, Map<string, BObj>>>();

/** The fields of `name` as the pair's YAML may spell them. */
export function butaneObject(v: VariantSpec, name: string, later?: Record<string, Version>): BObj {
  let byLater = cache.get(v);
  if (!byLater) cache.set(v, (byLater = new WeakMap()));
  let byName = byLater.get(later ?? NO_LATER);
  if (!byName) byLater.set(later ?? NO_LATER, (byName = new Map()));
  let known = byName.get(name);
  if (!known) byName.set(name, (known = buildObject(v, name, later)));
  return known;
}

/** The view that butaneObject keeps: the Ignition fields of the pair's spec version, then the sugar open to the pair. */
function buildObject(v: VariantSpec, name: string, later: Record<string, Version> | undefined): BObj {
  const fields = new Map<string, BField>();
  const isIgnition = objectDef(name) !== undefined;
  const ignitionFields = isIgnition ? fieldsAt(name, v.ignition, later) : new Map();
  if (isIgnition) {
    const hidden = HIDDEN[name] ?? [];
    ignitionFields.forEach((f, json) => {
      if (hidden.includes(json)) return;
      const bn = butaneName(json, f);
      fields.set(bn, { name: bn, key: json, type: fromIgnition(f.type, f.later), sugar: false, desc: f.desc, enum: f.enum, default: f.default });
    });
  }
  const butaneOnly = isIgnition ? undefined : sugarObject(name);
  const network = isIgnition || butaneOnly ? undefined : networkObjects()[name];
  const sugar: Record<string, SugarField> | undefined = isIgnition ? sugarOf(name) : (butaneOnly ?? network);
  for (const bn in sugar) {
    const f = sugar[bn];
    if (!open(f.gate, v, ignitionFields)) continue;
    const kindling = f.gate?.kindling || network ? { kindling: true as const } : {};
    fields.set(bn, { name: bn, key: bn, type: f.type, sugar: true, ...kindling, desc: f.desc, enum: f.enum });
  }
  return { name, fields };
}

export const ROOT_OBJECT = 'Config';
