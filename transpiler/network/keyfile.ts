// The network section as NetworkManager keyfiles (Fedora CoreOS, RHCOS, RHEL for Edge, Fedora IoT):
// one connection profile per interface in /etc/NetworkManager/system-connections, mode 0600 owned by
// root (NetworkManager ignores a keyfile that others can read). Bond and bridge members are
// "port" profiles without IP settings; profiles refer to each other by interface name, or by the
// parent profile's UUID when the parent is matched by MAC only. UUIDs are derived from the id, so
// the same YAML always gives the same files.
import { sha1 } from '../encoding/sha1.js';
import type { Cidr } from './ip.js';
import type { Iface, Network, Route } from './interfaces.js';
import { ini, type NetFile, type Section } from './render.js';

export const NM_DIR = '/etc/NetworkManager/system-connections';

const TYPE: Record<Iface['kind'], string> = { ethernet: 'ethernet', vlan: 'vlan', bond: 'bond', bridge: 'bridge' };

/** A name-based UUID (RFC 4122 version 5 layout) for the profile of `id`. */
export function profileUuid(id: string): string {
  const h = Buffer.from(sha1(Buffer.from(`kindling-network\0${id}`, 'utf8')));
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const list = (xs: string[]) => (xs.length ? xs.map((x) => `${x};`).join('') : undefined);
const address = (c: Cidr) => `${c.address}/${c.prefix}`;

function routeLines(routes: Route[]): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  routes.forEach((r, n) => {
    const dest = r.to ? address(r.to) : r.family === 4 ? '0.0.0.0/0' : '::/0';
    const parts = [dest, ...(r.via !== undefined || r.metric !== undefined ? [r.via ?? ''] : []), ...(r.metric !== undefined ? [String(r.metric)] : [])];
    out.push([`route${n + 1}`, parts.join(',')]);
    if (r.onLink) out.push([`route${n + 1}_options`, 'onlink=true']);
  });
  return out;
}

function ipSection(i: Iface, family: 4 | 6): Section {
  const addrs = i.addresses.filter((a) => a.family === family);
  const dhcp = family === 4 ? i.dhcp4 : i.dhcp6;
  // No configuration of a family: IPv4 off, IPv6 link-local only (netplan's default).
  const method = dhcp ? 'auto' : addrs.length ? 'manual' : family === 4 ? 'disabled' : 'link-local';
  const configured = method !== 'disabled' && method !== 'link-local';
  const dns = configured ? i.dns.filter((d) => (family === 4 ? !d.includes(':') : d.includes(':'))) : [];
  // Search domains go with the first family that is configured.
  const searchHere = configured && (family === 4 || !(i.dhcp4 || i.addresses.some((a) => a.family === 4)));
  return [
    family === 4 ? 'ipv4' : 'ipv6',
    [
      ['method', method],
      ...addrs.map((a, n): [string, string] => [`address${n + 1}`, address(a)]),
      ['gateway', family === 4 ? i.gateway4 : i.gateway6],
      ['dns', list(dns)],
      ['dns-search', searchHere ? list(i.search) : undefined],
      ...routeLines(i.routes.filter((r) => r.family === family)),
    ],
  ];
}

/** How a profile names another interface: its name, or its profile's UUID. */
const ref = (i: Iface) => i.name ?? profileUuid(i.id);

export function keyfile(i: Iface): string {
  const port = i.controller;
  const sections: Section[] = [
    [
      'connection',
      [
        ['id', i.id],
        ['uuid', profileUuid(i.id)],
        ['type', TYPE[i.kind]],
        ['interface-name', i.name],
        ['master', port ? ref(port) : undefined],
        ['slave-type', port?.kind],
      ],
    ],
    ['match', [['interface-name', i.nameGlob]]],
    [
      'ethernet',
      [
        ['mac-address', i.mac?.toUpperCase()],
        ['mtu', i.mtu],
      ],
    ],
  ];
  if (i.kind === 'vlan') {
    sections.push([
      'vlan',
      [
        ['id', i.vlanId],
        ['parent', i.parent && ref(i.parent)],
      ],
    ]);
  }
  if (i.kind === 'bond') {
    const b = i.bond;
    sections.push([
      'bond',
      [
        ['mode', b.mode ?? 'balance-rr'],
        ['miimon', b.miimon],
        ['primary', b.primary],
        ['lacp_rate', b.lacpRate],
        ['xmit_hash_policy', b.hashPolicy],
      ],
    ]);
  }
  if (i.kind === 'bridge') {
    const b = i.bridge;
    sections.push([
      'bridge',
      [
        ['stp', b.stp],
        ['priority', b.priority],
        ['forward-delay', b.forwardDelay],
      ],
    ]);
  }
  if (!port) sections.push(ipSection(i, 4), ipSection(i, 6));
  return ini(sections);
}

export function keyfiles(net: Network): NetFile[] {
  return net.interfaces.map((i) => ({ path: `${NM_DIR}/${i.id}.nmconnection`, mode: 0o600, contents: keyfile(i), at: i.at }));
}
