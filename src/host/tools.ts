// The one table of external programs and system paths the engine uses (like Ignition's `distro`
// package). Tests and distro builds override entries with `withTools`; nothing else names a binary.

export interface Tools {
  // disks
  sgdisk: string;
  partx: string;
  udevadm: string;
  wipefs: string;
  blkid: string;
  lsblk: string;
  mdadm: string;
  cryptsetup: string;
  clevis: string;
  dmsetup: string;
  mount: string;
  umount: string;
  'mkfs.ext4': string;
  'mkfs.xfs': string;
  'mkfs.btrfs': string;
  'mkfs.fat': string;
  mkswap: string;
  // files
  groupadd: string;
  groupmod: string;
  groupdel: string;
  useradd: string;
  usermod: string;
  userdel: string;
  systemctl: string;
  setfiles: string;
  kargsHelper: string;
  // platform providers
  modprobe: string;
  vmur: string;
  chccwdev: string;
  cio_ignore: string;
  'vmware-rpctool': string;
  VBoxControl: string;
  /** applehv: Node has no AF_VSOCK, so the HTTP exchange with the host goes through socat. */
  socat: string;
  // delivery (kindling initrd/embed, on the installing machine)
  xz: string;
  zstd: string;
  losetup: string;
  xorriso: string;
}

export interface Paths {
  /** Runtime dir for device aliases (`<runDir>/dev_aliases`), the state file and the neednet flag. */
  runDir: string;
  configCache: string;
  stateFile: string;
  needNet: string;
  resultFile: string;
  presetFile: string;
  systemdUnitDir: string;
  luksKeyDir: string;
  authorizedKeysFragment: string;
  initrdRelease: string;
  /** Kernel views the disks stage reads (overridable so unit tests can fake them). */
  sysBlock: string;
  procMounts: string;
  /** Present when udevd runs; without it `udevadm trigger --settle` would wait forever. */
  udevControl: string;
}

export const defaultTools: Tools = {
  sgdisk: 'sgdisk',
  partx: 'partx',
  udevadm: 'udevadm',
  wipefs: 'wipefs',
  blkid: 'blkid',
  lsblk: 'lsblk',
  mdadm: 'mdadm',
  cryptsetup: 'cryptsetup',
  clevis: 'clevis',
  dmsetup: 'dmsetup',
  mount: 'mount',
  umount: 'umount',
  'mkfs.ext4': 'mkfs.ext4',
  'mkfs.xfs': 'mkfs.xfs',
  'mkfs.btrfs': 'mkfs.btrfs',
  'mkfs.fat': 'mkfs.fat',
  mkswap: 'mkswap',
  groupadd: 'groupadd',
  groupmod: 'groupmod',
  groupdel: 'groupdel',
  useradd: 'useradd',
  usermod: 'usermod',
  userdel: 'userdel',
  systemctl: 'systemctl',
  setfiles: 'setfiles',
  kargsHelper: 'ignition-kargs-helper',
  modprobe: 'modprobe',
  vmur: 'vmur',
  chccwdev: 'chccwdev',
  cio_ignore: 'cio_ignore',
  'vmware-rpctool': 'vmware-rpctool',
  VBoxControl: 'VBoxControl',
  socat: 'socat',
  xz: 'xz',
  zstd: 'zstd',
  losetup: 'losetup',
  xorriso: 'xorriso',
};

/** Paths inside the initramfs (runDir, cache, state) or inside the target root (the rest). */
export const defaultPaths: Paths = {
  runDir: '/run/ignition',
  configCache: '/run/ignition.json',
  stateFile: '/run/ignition/state',
  needNet: '/run/ignition/neednet',
  resultFile: '/etc/.ignition-result.json',
  presetFile: '/etc/systemd/system-preset/20-ignition.preset',
  systemdUnitDir: '/etc/systemd/system',
  luksKeyDir: '/etc/luks',
  authorizedKeysFragment: '.ssh/authorized_keys.d/ignition',
  initrdRelease: '/etc/initrd-release',
  sysBlock: '/sys/class/block',
  procMounts: '/proc/mounts',
  udevControl: '/run/udev/control',
};

export function withTools(overrides: Partial<Tools> = {}): Tools {
  return { ...defaultTools, ...overrides };
}

export function withPaths(overrides: Partial<Paths> = {}): Paths {
  return { ...defaultPaths, ...overrides };
}

/**
 * Path overrides from the environment, as Ignition's distro package reads them:
 * IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT=false writes SSH keys to `.ssh/authorized_keys` (stock
 * sshd reads only that) instead of the `authorized_keys.d/ignition` fragment; KINDLING_RUN_DIR
 * moves /run/ignition (device aliases) elsewhere, for tests.
 */
export function pathsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<Paths> {
  const out: Partial<Paths> = {};
  const frag = env.IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT;
  if (frag === 'false' || frag === '0') out.authorizedKeysFragment = '.ssh/authorized_keys';
  if (env.KINDLING_RUN_DIR) out.runDir = env.KINDLING_RUN_DIR;
  return out;
}
