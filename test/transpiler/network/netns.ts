// Running the real NetworkManager and systemd-networkd on generated files, in a network and mount
// namespace of their own (unshare -m -n): they see only the veth pairs and bridges a test creates,
// a private /run, /etc/resolv.conf, hostname and PID namespace, a read-only sysfs of the namespace (so networkd does not wait for udev), and, for
// NetworkManager, a private D-Bus system bus. Nothing touches the machine's own interfaces.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
export const NETWORKD = '/lib/systemd/systemd-networkd';

/** Why the namespace tests cannot run here, or undefined when they can. */
export function netnsUnavailable(daemon: 'NetworkManager' | 'networkd'): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (unshare -m -n)';
  if (!has('unshare') || !has('ip')) return 'needs unshare and ip (util-linux, iproute2)';
  const probe = spawnSync('unshare', [
    '-m',
    '-n',
    '--propagation',
    'private',
    'sh',
    '-c',
    'ip link add kt0 type veth peer name kt1 && mount -t sysfs -o ro sysfs /sys',
  ]);
  if (probe.status !== 0) return `cannot make a network namespace with a veth pair: ${probe.stderr.toString().trim()}`;
  if (daemon === 'NetworkManager') {
    if (!has('NetworkManager') || !has('nmcli') || !has('dbus-daemon')) return 'needs NetworkManager, nmcli and dbus-daemon (Debian network-manager, dbus)';
  } else if (!fs.existsSync(NETWORKD)) return `needs ${NETWORKD} (Debian systemd)`;
  return undefined;
}

export interface NetnsRun {
  /** What the queries printed. */
  out: string;
  /** The daemon's log. */
  log: string;
  status: number | null;
}

/**
 * Runs `setup` (shell lines: veth pairs...), the daemon on the configuration directory `confDir`,
 * waits for it to settle (NetworkManager: startup complete; networkd: the shell condition
 * `settled`), then runs `queries` (shell lines) and returns their output.
 */
export function runInNetns(daemon: 'NetworkManager' | 'networkd', confDir: string, setup: string[], queries: string[], settled = 'false'): NetnsRun {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `kindling-${daemon}-`));
  try {
    const log = path.join(work, 'daemon.log');
    fs.writeFileSync(path.join(work, 'resolv.conf'), '');
    const lines = ['set -u', 'mount -t tmpfs tmpfs /run', 'mount -t sysfs -o ro sysfs /sys', `mount --bind ${work}/resolv.conf /etc/resolv.conf`, ...setup];
    if (daemon === 'NetworkManager') {
      fs.writeFileSync(
        path.join(work, 'bus.conf'),
        `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path=${work}/bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy></busconfig>\n`,
      );
      // NetworkManager writes the machine's /etc/resolv.conf (and may set its hostname) from the
      // connections it activates: with the test's DNS servers that broke name resolution for the
      // whole machine, npm's registry included. It is told to leave both alone, and the namespace
      // gets its own resolv.conf and hostname besides.
      fs.writeFileSync(
        path.join(work, 'nm.conf'),
        `[main]\nplugins=keyfile\nno-auto-default=*\ndns=none\nrc-manager=unmanaged\nhostname-mode=none\n\n[keyfile]\npath=${confDir}\n\n[logging]\nlevel=INFO\n`,
      );
      lines.push(
        'mkdir -p /run/NetworkManager /var/lib/NetworkManager',
        'mount -t tmpfs tmpfs /var/lib/NetworkManager',
        `dbus-daemon --config-file=${work}/bus.conf --nofork & BUS=$!`,
        `for n in $(seq 50); do [ -S ${work}/bus ] && break; sleep 0.1; done`,
        `export DBUS_SYSTEM_BUS_ADDRESS=unix:path=${work}/bus`,
        `NetworkManager --no-daemon --config=${work}/nm.conf >${log} 2>&1 & DAEMON=$!`,
        // Startup is complete once every profile that can activate has been tried.
        'nm-online -s -q -t 20 || true',
        ...queries,
        'kill $DAEMON; wait $DAEMON; kill $BUS; wait $BUS',
      );
    } else {
      lines.push(
        'mkdir -p /etc/systemd/network /run/systemd/netif/links /run/systemd/netif/leases /run/systemd/netif/lldp',
        'chown -R systemd-network: /run/systemd/netif 2>/dev/null || true',
        `mount --bind ${confDir} /etc/systemd/network`,
        `SYSTEMD_LOG_LEVEL=info SYSTEMD_LOG_TARGET=console ${NETWORKD} >${log} 2>&1 & DAEMON=$!`,
        // networkd has no "startup complete": wait for the test's condition (at most 10 s).
        `for n in $(seq 100); do { ${settled}; } && break; sleep 0.1; done; sleep 0.5`,
        ...queries,
        'kill $DAEMON; wait $DAEMON',
      );
    }
    fs.writeFileSync(path.join(work, 'run.sh'), lines.join('\n') + '\n');
    // A PID namespace too: when the script ends (or is killed), every daemon it started goes with it.
    const r = spawnSync(
      'unshare',
      ['-m', '-n', '-u', '-p', '-f', '--kill-child', '--mount-proc', '--propagation', 'private', 'bash', path.join(work, 'run.sh')],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    return { out: r.stdout + r.stderr, log: fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '', status: r.status };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The config both renderers' tests apply: every kind of interface and setting of the section. */
export function networkConfig(base: string): string {
  return `variant: kindling
version: 1.0.0
base: ${base}
network:
  ethernets:
    eth0:
      addresses: [192.0.2.10/24, "2001:db8::10/64"]
      gateway4: 192.0.2.1
      routes:
        - to: 10.0.0.0/8
          via: 192.0.2.254
          metric: 100
        - to: 172.16.0.0/12
          via: 198.18.0.1
          on-link: true
      nameservers:
        addresses: [192.0.2.53, "2001:db8::53"]
        search: [example.com, example.net]
      mtu: 1400
    lan:
      match: {macaddress: "52:54:00:12:34:56"}
      dhcp4: true
      dhcp6: true
    wild:
      match: {name: "enx*"}
      dhcp4: true
    eth1: {}
    eth2: {}
    eth3: {}
  bonds:
    bond0:
      interfaces: [eth1, eth2]
      parameters: {mode: 802.3ad, mii-monitor-interval: 100, lacp-rate: fast, transmit-hash-policy: layer3+4}
      dhcp4: true
      mtu: 9000
  # On interfaces absent from the namespace: this kernel may lack 8021q, and a VLAN that cannot
  # be created fails its parent's configuration.
  vlans:
    vlan10: {id: 10, link: lan, addresses: [198.51.100.5/24]}
    vlan20: {id: 20, link: bond0}
  bridges:
    br0:
      interfaces: [eth3, vlan20]
      parameters: {stp: false, forward-delay: 4, priority: 4096}
      addresses: [203.0.113.2/24]
      mtu: 1450
`;
}

/** The interfaces the tests create: a veth pair for eth0, one for the bridge member eth3. */
export const VETHS = [
  'ip link add eth0 type veth peer name peer0',
  'ip link set peer0 up',
  'ip link add eth3 type veth peer name peer3',
  'ip link set peer3 up',
];
