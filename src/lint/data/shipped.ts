// What a variant's OS image is known to ship, for the checks that depend on it. Each list is kept
// short on purpose: only entries whose presence is certain, with the package that installs them,
// because a wrong entry would make lint warn about a correct config.

/** Variants built with rpm-ostree from Fedora or RHEL packages (fcos, RHCOS, RHEL for Edge, Fedora IoT). */
const RPM_OSTREE = new Set(['fcos', 'openshift', 'r4e', 'fiot']);

/**
 * Regular files in /etc of every rpm-ostree image. Ignition refuses to replace an existing file
 * unless `overwrite: true` ("A file exists there already and overwrite is false"), failing the boot.
 */
const RPM_OSTREE_FILES: Record<string, string> = {
  // package `setup`: the base /etc of every Fedora and RHEL system
  '/etc/passwd': 'setup',
  '/etc/group': 'setup',
  '/etc/shadow': 'setup',
  '/etc/gshadow': 'setup',
  '/etc/hosts': 'setup',
  '/etc/services': 'setup',
  '/etc/protocols': 'setup',
  '/etc/profile': 'setup',
  '/etc/bashrc': 'setup',
  '/etc/motd': 'setup',
  '/etc/shells': 'setup',
  '/etc/environment': 'setup',
  '/etc/fstab': 'setup',
  // network, time, login and containers, all part of every image
  '/etc/ssh/sshd_config': 'openssh-server',
  '/etc/ssh/ssh_config': 'openssh-clients',
  '/etc/chrony.conf': 'chrony',
  '/etc/sudoers': 'sudo',
  '/etc/login.defs': 'shadow-utils',
  '/etc/NetworkManager/NetworkManager.conf': 'NetworkManager',
  '/etc/selinux/config': 'selinux-policy',
  '/etc/containers/policy.json': 'containers-common',
  '/etc/containers/registries.conf': 'containers-common',
};

/** Symbolic links in /etc of every rpm-ostree image: a link elsewhere fails unless `overwrite: true`. */
const RPM_OSTREE_LINKS: Record<string, string> = {
  '/etc/localtime': 'the image (links to UTC)',
  '/etc/os-release': 'the image (links to ../usr/lib/os-release)',
  '/etc/mtab': 'the image (links to ../proc/self/mounts)',
};

/** The package that ships `path` as a file (or link) in this variant's image, if known. */
export function shippedBy(variant: string, kind: 'files' | 'links', path: string): string | undefined {
  if (!RPM_OSTREE.has(variant)) return undefined;
  return (kind === 'files' ? RPM_OSTREE_FILES : RPM_OSTREE_LINKS)[path];
}

/**
 * Units whose names are certain in every image of the variant: systemd's own, plus what the
 * distribution documents drop-ins for. Only used to tell a typo ("sshd.servce") from a unit the
 * image may ship; a unit missing here is never reported for that alone.
 */
const SYSTEMD_UNITS = [
  'systemd-journald.service',
  'systemd-logind.service',
  'systemd-udevd.service',
  'systemd-networkd.service',
  'systemd-resolved.service',
  'systemd-timesyncd.service',
  'systemd-tmpfiles-setup.service',
  'systemd-sysctl.service',
  'systemd-modules-load.service',
  'systemd-fsck@.service',
  'systemd-networkd-wait-online.service',
  'getty@.service',
  'serial-getty@.service',
  'multi-user.target',
  'network-online.target',
  'network.target',
  'default.target',
  'basic.target',
  'timers.target',
  'sockets.target',
  'local-fs.target',
  'remote-fs.target',
];

const DISTRO_UNITS: Record<string, string[]> = {
  fcos: [
    'sshd.service',
    'zincati.service',
    'NetworkManager.service',
    'NetworkManager-wait-online.service',
    'chronyd.service',
    'docker.service',
    'docker.socket',
    'containerd.service',
    'podman.service',
    'podman.socket',
    'rpm-ostreed.service',
    'afterburn.service',
    'afterburn-sshkeys@.service',
    'coreos-ignition-firstboot-complete.service',
  ],
  flatcar: [
    'sshd.service',
    'sshd.socket',
    'docker.service',
    'docker.socket',
    'containerd.service',
    'update-engine.service',
    'locksmithd.service',
    'systemd-networkd.service',
    'coreos-metadata.service',
    'coreos-metadata-sshkeys@.service',
  ],
  openshift: [
    'sshd.service',
    'kubelet.service',
    'crio.service',
    'NetworkManager.service',
    'chronyd.service',
    'machine-config-daemon-firstboot.service',
    'ovs-vswitchd.service',
    'openvswitch.service',
  ],
  r4e: ['sshd.service', 'NetworkManager.service', 'chronyd.service', 'podman.service', 'podman.socket', 'rpm-ostreed.service', 'greenboot-healthcheck.service'],
  fiot: [
    'sshd.service',
    'NetworkManager.service',
    'chronyd.service',
    'podman.service',
    'podman.socket',
    'rpm-ostreed.service',
    'greenboot-healthcheck.service',
  ],
};

export function knownUnits(variant: string): string[] {
  return [...SYSTEMD_UNITS, ...(DISTRO_UNITS[variant] ?? [])];
}
