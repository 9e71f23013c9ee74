// The platform ids current Ignition accepts (`ignition.platform.id`, `--platform`), as plain data.
// Commands that only check an id (plan, embed) read this list; loading registry.ts would start all
// the providers behind it, which cost every cold plan 1.8 M instructions.
// registry.ts maps each id to its provider, and its type holds it to exactly these ids.
export const PLATFORM_IDS = [
  'akamai',
  'aliyun',
  'applehv',
  'aws',
  'azure',
  'azurestack',
  'brightbox',
  'cloudstack',
  'digitalocean',
  'exoscale',
  'file',
  'gcp',
  'hetzner',
  'hyperv',
  'ibmcloud',
  'kubevirt',
  'metal',
  'nutanix',
  'nvidiabluefield',
  'openstack',
  'oraclecloud',
  'packet',
  'powervs',
  'proxmoxve',
  'qemu',
  'scaleway',
  'upcloud',
  'virtualbox',
  'vmware',
  'vultr',
  'zvm',
] as const;

export type PlatformId = (typeof PLATFORM_IDS)[number];

const known: ReadonlySet<string> = new Set(PLATFORM_IDS);

export function isPlatformId(id: string): id is PlatformId {
  return known.has(id);
}

/** The ids, sorted (the list is kept in order), for usage messages. */
export function platformIds(): string[] {
  return [...PLATFORM_IDS];
}
