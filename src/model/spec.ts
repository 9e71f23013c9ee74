// The Ignition 3.x config model, written once. Every field carries the spec versions it exists in,
// a description, and its Butane (snake_case) name when plain snake-casing gets it wrong. JSON Schemas,
// TypeScript types, the decoder, duplicate detection and merge all read this table; nothing else
// restates the shape of a config.
import type { Version } from './versions.js';
import { entryReader } from './entries.js';

export type Scalar = 'string' | 'integer' | 'boolean';
export type TypeRef = Scalar | { list: TypeRef } | { ref: string };

export interface FieldDef {
  type: TypeRef;
  desc: string;
  since?: Version;
  /** First version without the field. */
  until?: Version;
  /** Ignition requires it (documentation and schema `required`; the rules emit Ignition's own message). */
  required?: boolean;
  /** Butane name when it is not the plain snake_case of the JSON name. */
  butane?: string;
  /** For a `ref` field: fields of the referenced object that appear here only from a later version. */
  later?: Record<string, Version>;
  /** Lists whose entries are concatenated by merge and never checked for duplicates. */
  concat?: boolean;
  /** Lists that share one key space with sibling lists of the same name (files/directories/links). */
  keySpace?: string;
  enum?: readonly string[];
  /** What Ignition does when the field is unset (editor schemas show it). */
  default?: boolean | number;
  /**
   * How Ignition's Go types hold the field, where it shows: a plain string (not a pointer) is
   * written by Butane even when unset (`value`), until the given spec version (if any); an object
   * held by a pointer (`pointer`, until the given version) can be absent rather than empty, so a
   * null there is no empty object. Any other object is a plain value.
   */
  go?: { value: true; until?: Version } | { pointer: true; until: Version };
}

export interface ObjectDef {
  title: string;
  desc: string;
  /** By JSON name, in the model's order. */
  fields: ReadonlyMap<string, FieldDef>;
  /** How list entries of this object are identified for duplicates and merge. */
  key?: string | 'partition';
}

/** An object as the table holds it: its fields as this file writes them, or as the build's pairs. */
type ObjectSource = Omit<ObjectDef, 'fields'> & { fields: Record<string, FieldDef> | [string, FieldDef][] };

const s = 'string' as const;
const i = 'integer' as const;
const b = 'boolean' as const;
const list = (t: TypeRef): TypeRef => ({ list: t });
const ref = (name: string): TypeRef => ({ ref: name });

export const ROOT = 'Config';

const OBJECTS: Record<string, ObjectSource> = {
  Config: {
    title: 'Config',
    desc: 'An Ignition config.',
    fields: {
      ignition: { type: ref('Ignition'), required: true, desc: 'Metadata about the configuration itself.' },
      kernelArguments: { type: ref('KernelArguments'), since: '3.3.0', desc: 'Kernel arguments that must or must not be present.' },
      passwd: { type: ref('Passwd'), desc: 'Users and groups to create or modify.' },
      storage: { type: ref('Storage'), desc: 'Disks, arrays, encrypted volumes, filesystems and filesystem entries.' },
      systemd: { type: ref('Systemd'), desc: 'systemd units to write, enable, disable or mask.' },
    },
  },
  Ignition: {
    title: 'Ignition',
    desc: 'Metadata about the configuration itself.',
    fields: {
      config: { type: ref('IgnitionConfig'), desc: 'Options related to the configuration.' },
      proxy: { type: ref('Proxy'), since: '3.1.0', desc: 'Proxies used for HTTP(S) fetches.' },
      security: { type: ref('Security'), desc: 'Options related to security.' },
      timeouts: { type: ref('Timeouts'), desc: 'Options related to HTTP timeouts.' },
      version: { type: s, required: true, desc: 'The semantic version of the spec this config is written for.' },
    },
  },
  IgnitionConfig: {
    title: 'IgnitionConfig',
    desc: 'Configs to merge into or replace this one.',
    fields: {
      merge: { type: list(ref('Resource')), later: { compression: '3.1.0' }, desc: 'Configs fetched and merged into this one, in order.' },
      replace: { type: ref('Resource'), later: { compression: '3.1.0' }, desc: 'A config that replaces this one entirely.' },
    },
  },
  Proxy: {
    title: 'Proxy',
    desc: 'Proxies used for HTTP(S) fetches.',
    fields: {
      httpProxy: { type: s, desc: 'Proxy URL for plain HTTP requests.' },
      httpsProxy: { type: s, desc: 'Proxy URL for HTTPS requests.' },
      noProxy: { type: list(s), desc: 'Hosts, domains (".x" for subdomains), IPs and CIDRs reached without a proxy; "*" disables proxying.' },
    },
  },
  Security: {
    title: 'Security',
    desc: 'Options related to security.',
    fields: { tls: { type: ref('TLS'), desc: 'Options related to TLS.' } },
  },
  TLS: {
    title: 'TLS',
    desc: 'Options related to TLS.',
    fields: {
      certificateAuthorities: {
        type: list(ref('Resource')),
        later: { compression: '3.1.0' },
        desc: 'PEM certificate bundles trusted for HTTPS fetches, in addition to the system authorities.',
      },
    },
  },
  Timeouts: {
    title: 'Timeouts',
    desc: 'Options related to HTTP timeouts.',
    fields: {
      httpResponseHeaders: { type: i, default: 10, desc: 'Seconds to wait for response headers (default 10; 0 waits forever).' },
      httpTotal: { type: i, default: 0, desc: 'Seconds a fetch may take in total, retries included (default 0: no limit).' },
    },
  },
  Resource: {
    title: 'Resource',
    desc: 'A remote or inline piece of data.',
    key: 'source',
    fields: {
      compression: { type: s, desc: 'Compression of the data: "" or "gzip".', enum: ['', 'gzip'] },
      httpHeaders: { type: list(ref('HTTPHeader')), since: '3.1.0', desc: 'Extra HTTP headers sent with http(s) requests.' },
      source: { type: s, desc: 'URL of the data (http, https, tftp, s3, arn, gs or data).' },
      verification: { type: ref('Verification'), desc: 'How to verify the fetched data.' },
    },
  },
  HTTPHeader: {
    title: 'HTTPHeader',
    desc: 'An HTTP header.',
    key: 'name',
    fields: {
      name: { type: s, required: true, go: { value: true }, desc: 'Header name.' },
      value: { type: s, desc: 'Header value; in a merged config an entry without a value removes the header.' },
    },
  },
  Verification: {
    title: 'Verification',
    desc: 'How to verify fetched data.',
    fields: { hash: { type: s, desc: 'Hash of the (decompressed) data as <function>-<hex>: sha512 or sha256.' } },
  },
  KernelArguments: {
    title: 'KernelArguments',
    desc: 'Kernel arguments that must or must not be present.',
    fields: {
      shouldExist: { type: list(s), keySpace: 'kernelArgument', desc: 'Arguments added when missing (an entry with spaces is one exact sequence).' },
      shouldNotExist: { type: list(s), keySpace: 'kernelArgument', desc: 'Arguments removed when present.' },
    },
  },
  Passwd: {
    title: 'Passwd',
    desc: 'Users and groups.',
    fields: {
      groups: { type: list(ref('PasswdGroup')), desc: 'Groups to create, modify or delete.' },
      users: { type: list(ref('PasswdUser')), desc: 'Users to create, modify or delete.' },
    },
  },
  PasswdGroup: {
    title: 'PasswdGroup',
    desc: 'A group.',
    key: 'name',
    fields: {
      gid: { type: i, desc: 'Group ID.' },
      name: { type: s, go: { value: true }, desc: 'Group name (Ignition does not check it).' },
      passwordHash: { type: s, desc: 'Hashed group password.' },
      shouldExist: { type: b, default: true, since: '3.2.0', desc: 'false deletes the group.' },
      system: { type: b, default: false, desc: 'Create a system group.' },
    },
  },
  PasswdUser: {
    title: 'PasswdUser',
    desc: 'A user.',
    key: 'name',
    fields: {
      gecos: { type: s, desc: 'GECOS field.' },
      groups: { type: list(s), desc: 'Supplementary groups.' },
      homeDir: { type: s, desc: 'Home directory.' },
      name: { type: s, go: { value: true }, desc: 'User name (Ignition does not check it).' },
      noCreateHome: { type: b, default: false, desc: 'Do not create the home directory.' },
      noLogInit: { type: b, default: false, desc: 'Do not add the user to the lastlog and faillog databases.' },
      noUserGroup: { type: b, default: false, desc: 'Do not create a group with the same name as the user.' },
      passwordHash: { type: s, desc: 'Hashed password (crypt(3) format).' },
      primaryGroup: { type: s, desc: 'Primary group.' },
      shell: { type: s, desc: 'Login shell.' },
      shouldExist: { type: b, default: true, since: '3.2.0', desc: 'false deletes the user.' },
      sshAuthorizedKeys: { type: list(s), desc: "SSH public keys written to the user's authorized keys." },
      system: { type: b, default: false, desc: 'Create a system account.' },
      uid: { type: i, desc: 'User ID.' },
    },
  },
  Storage: {
    title: 'Storage',
    desc: 'Disks, arrays, encrypted volumes, filesystems and filesystem entries.',
    fields: {
      directories: { type: list(ref('Directory')), keySpace: 'node', desc: 'Directories to create.' },
      disks: { type: list(ref('Disk')), desc: 'Disks to partition.' },
      files: { type: list(ref('File')), keySpace: 'node', desc: 'Files to write.' },
      filesystems: { type: list(ref('Filesystem')), desc: 'Filesystems to create and mount.' },
      links: { type: list(ref('Link')), keySpace: 'node', desc: 'Symbolic and hard links to create.' },
      luks: { type: list(ref('Luks')), since: '3.2.0', desc: 'LUKS2 encrypted volumes.' },
      raid: { type: list(ref('Raid')), desc: 'Software RAID arrays.' },
    },
  },
  Disk: {
    title: 'Disk',
    desc: 'A disk to partition.',
    key: 'device',
    fields: {
      device: { type: s, required: true, go: { value: true }, desc: 'Absolute path of the device.' },
      partitions: { type: list(ref('Partition')), desc: 'Partitions on the disk (GPT).' },
      wipeTable: { type: b, default: false, desc: 'Erase the partition table before partitioning.' },
    },
  },
  Partition: {
    title: 'Partition',
    desc: 'A GPT partition.',
    key: 'partition',
    fields: {
      guid: { type: s, desc: 'Unique partition GUID.' },
      label: { type: s, desc: 'Partition name (PARTLABEL), at most 36 characters.' },
      number: { type: i, desc: 'Partition number; 0 takes the lowest free number.' },
      resize: { type: b, default: false, since: '3.2.0', desc: 'Allow resizing an existing partition that differs only in size.' },
      shouldExist: { type: b, default: true, desc: 'false deletes the partition (with wipePartitionEntry).' },
      sizeMiB: { type: i, butane: 'size_mib', desc: 'Size in MiB; 0 fills the largest free block.' },
      startMiB: { type: i, butane: 'start_mib', desc: 'Start in MiB; 0 is the start of the largest free block.' },
      typeGuid: { type: s, desc: 'Partition type GUID.' },
      wipePartitionEntry: { type: b, default: false, desc: 'Allow deleting and recreating a partition that does not match.' },
    },
  },
  Raid: {
    title: 'Raid',
    desc: 'A software RAID array.',
    key: 'name',
    fields: {
      devices: { type: list(s), required: true, desc: 'Member devices.' },
      level: { type: s, required: true, go: { value: true, until: '3.3.0' }, desc: 'RAID level (linear, raid0, raid1, raid4, raid5, raid6, raid10).' },
      name: { type: s, go: { value: true }, desc: 'Array name (/dev/md/<name>); Ignition does not check it.' },
      options: { type: list(s), concat: true, desc: 'Extra mdadm --create arguments.' },
      spares: { type: i, desc: 'Number of spare devices.' },
    },
  },
  Luks: {
    title: 'Luks',
    desc: 'A LUKS2 encrypted volume.',
    key: 'name',
    fields: {
      cex: { type: ref('Cex'), since: '3.5.0', desc: 'IBM Crypto Express (s390x) secure keys.' },
      clevis: { type: ref('Clevis'), go: { pointer: true, until: '3.3.0' }, desc: 'Clevis binding for automatic unlock.' },
      device: { type: s, required: true, desc: 'Absolute path of the underlying device.' },
      discard: { type: b, default: false, since: '3.4.0', desc: 'Allow discards through the mapping.' },
      keyFile: { type: ref('Resource'), desc: 'Key file; a random key is generated when unset.' },
      label: { type: s, desc: 'LUKS label, at most 47 characters.' },
      name: { type: s, required: true, go: { value: true }, desc: 'Mapping name (/dev/mapper/<name>).' },
      openOptions: { type: list(s), since: '3.4.0', desc: 'Extra cryptsetup luksOpen arguments.' },
      options: { type: list(s), concat: true, desc: 'Extra cryptsetup luksFormat arguments.' },
      uuid: { type: s, desc: 'LUKS UUID.' },
      wipeVolume: { type: b, default: false, desc: 'Format even when a LUKS volume already exists.' },
    },
  },
  Cex: {
    title: 'Cex',
    desc: 'IBM Crypto Express secure keys.',
    fields: { enabled: { type: b, default: false, desc: 'Use a CEX secure key.' } },
  },
  Clevis: {
    title: 'Clevis',
    desc: 'Clevis binding.',
    fields: {
      custom: { type: ref('ClevisCustom'), go: { pointer: true, until: '3.3.0' }, desc: 'A custom clevis pin and its configuration.' },
      tang: { type: list(ref('Tang')), desc: 'Tang servers.' },
      threshold: { type: i, desc: 'How many pins must succeed (default 1).' },
      tpm2: { type: b, desc: 'Bind to the TPM2.' },
    },
  },
  ClevisCustom: {
    title: 'ClevisCustom',
    desc: 'A custom clevis pin.',
    fields: {
      config: { type: s, go: { value: true, until: '3.3.0' }, desc: 'Pin configuration (JSON).' },
      needsNetwork: { type: b, default: false, desc: 'The pin needs the network at boot.' },
      pin: { type: s, go: { value: true, until: '3.3.0' }, desc: 'Pin name.' },
    },
  },
  Tang: {
    title: 'Tang',
    desc: 'A tang server.',
    key: 'url',
    fields: {
      advertisement: { type: s, since: '3.4.0', desc: "The server's advertisement (JSON), for binding offline." },
      thumbprint: { type: s, desc: 'Thumbprint of a trusted signing key.' },
      url: { type: s, required: true, desc: 'URL of the tang server.' },
    },
  },
  Filesystem: {
    title: 'Filesystem',
    desc: 'A filesystem.',
    key: 'device',
    fields: {
      device: { type: s, required: true, go: { value: true }, desc: 'Absolute path of the device (a tag for virtiofs).' },
      format: { type: s, desc: 'Filesystem type.' },
      label: { type: s, desc: 'Filesystem label.' },
      mountOptions: { type: list(s), since: '3.1.0', concat: true, desc: 'Options used when mounting during provisioning.' },
      options: { type: list(s), concat: true, desc: 'Extra mkfs arguments.' },
      path: { type: s, desc: 'Mount point during provisioning, relative to the target root.' },
      uuid: { type: s, desc: 'Filesystem UUID.' },
      wipeFilesystem: { type: b, default: false, desc: 'Wipe an existing filesystem instead of reusing it.' },
    },
  },
  NodeUser: {
    title: 'NodeUser',
    desc: 'Owner of a filesystem entry.',
    fields: {
      id: { type: i, desc: 'User ID.' },
      name: { type: s, desc: 'User name, looked up in the target root.' },
    },
  },
  NodeGroup: {
    title: 'NodeGroup',
    desc: 'Group of a filesystem entry.',
    fields: {
      id: { type: i, desc: 'Group ID.' },
      name: { type: s, desc: 'Group name, looked up in the target root.' },
    },
  },
  File: {
    title: 'File',
    desc: 'A regular file.',
    key: 'path',
    fields: {
      append: { type: list(ref('Resource')), concat: true, desc: 'Data appended to the file, in order.' },
      contents: { type: ref('Resource'), desc: 'Contents of the file.' },
      group: { type: ref('NodeGroup'), desc: 'Group owner.' },
      mode: { type: i, default: 420, desc: 'Permission bits (decimal in JSON; default 0644 for new files).' },
      overwrite: { type: b, default: false, desc: 'Replace whatever exists at the path.' },
      path: { type: s, required: true, go: { value: true }, desc: 'Absolute path.' },
      user: { type: ref('NodeUser'), desc: 'Owner.' },
    },
  },
  Directory: {
    title: 'Directory',
    desc: 'A directory.',
    key: 'path',
    fields: {
      group: { type: ref('NodeGroup'), desc: 'Group owner.' },
      mode: { type: i, default: 493, desc: 'Permission bits (decimal in JSON; default 0755 for new directories).' },
      overwrite: { type: b, default: false, desc: 'Replace whatever exists at the path.' },
      path: { type: s, required: true, go: { value: true }, desc: 'Absolute path.' },
      user: { type: ref('NodeUser'), desc: 'Owner.' },
    },
  },
  Link: {
    title: 'Link',
    desc: 'A symbolic or hard link.',
    key: 'path',
    fields: {
      group: { type: ref('NodeGroup'), desc: 'Group owner (ignored for hard links).' },
      hard: { type: b, default: false, desc: 'Create a hard link instead of a symbolic link.' },
      overwrite: { type: b, default: false, desc: 'Replace whatever exists at the path.' },
      path: { type: s, required: true, go: { value: true }, desc: 'Absolute path.' },
      target: { type: s, required: true, go: { value: true, until: '3.3.0' }, desc: 'Link target (for hard links, a path in the target root).' },
      user: { type: ref('NodeUser'), desc: 'Owner (ignored for hard links).' },
    },
  },
  Systemd: {
    title: 'Systemd',
    desc: 'systemd units.',
    fields: { units: { type: list(ref('Unit')), desc: 'Units.' } },
  },
  Unit: {
    title: 'Unit',
    desc: 'A systemd unit.',
    key: 'name',
    fields: {
      contents: { type: s, desc: 'Unit file contents.' },
      dropins: { type: list(ref('Dropin')), desc: 'Drop-in files.' },
      enabled: { type: b, desc: 'Enable (true) or disable (false) through a preset.' },
      mask: { type: b, desc: 'Mask the unit (symlink to /dev/null).' },
      name: { type: s, required: true, go: { value: true }, desc: 'Unit name with its extension.' },
    },
  },
  Dropin: {
    title: 'Dropin',
    desc: 'A systemd drop-in.',
    key: 'name',
    fields: {
      contents: { type: s, desc: 'Drop-in contents.' },
      name: { type: s, required: true, go: { value: true }, desc: 'Drop-in name ending in .conf.' },
    },
  },
};

/**
 * The model's object `name` (undefined for a name that is none), parsed at its first use in the
 * programs (src/model/entries.ts): a boot stage on a config with no sections reads 2 of the 32
 * objects, a config that writes files, users and units about half. The build stores an object's
 * fields as [name, field] pairs (scripts/build.mjs): JSON.parse then makes no hidden class for the
 * set of names of each object, which cost a cold start a runtime call a name.
 */
export const objectDef = entryReader<ObjectSource, ObjectDef>(OBJECTS, (o) => ({
  ...o,
  fields: new Map(Array.isArray(o.fields) ? o.fields : Object.entries(o.fields)),
}));

/** The names of the model's objects, in the model's order. */
export function objectNames(): string[] {
  return Object.keys(OBJECTS);
}

/**
 * Plain snake_case of a camelCase JSON name, unless the field says otherwise: an underscore before
 * each capital that follows a lower-case letter or a digit. A loop, not a global replace with
 * groups: that goes through V8's runtime at every call, and a decode names every field it meets.
 */
export function butaneName(jsonName: string, field?: FieldDef): string {
  if (field?.butane !== undefined) return field.butane;
  let out = '';
  let from = 0;
  for (let i = 1; i < jsonName.length; i++) {
    const c = jsonName.charCodeAt(i);
    if (c < 65 || c > 90) continue;
    const p = jsonName.charCodeAt(i - 1);
    if ((p >= 97 && p <= 122) || (p >= 48 && p <= 57)) {
      out += jsonName.slice(from, i) + '_';
      from = i;
    }
  }
  return (from === 0 ? jsonName : out + jsonName.slice(from)).toLowerCase();
}
