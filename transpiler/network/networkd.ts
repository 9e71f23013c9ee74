// The network section as systemd-networkd files (Flatcar): a `.network` file per interface in
// /etc/systemd/network, plus a `.netdev` for each virtual device (VLAN, bond, bridge), mode 0644.
// The `10-` prefix sorts them before the distribution's catch-all DHCP file (zz-default.network).
import type { Cidr } from './ip.js';
import type { Iface, Network } from './interfaces.js';
import { ini, type NetFile, type Section } from './render.js';

export const NETWORKD_DIR = '/etc/systemd/network';

const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'no');
const address = (c: Cidr) => `${c.address}/${c.prefix}`;

function dhcp(i: Iface): string | undefined {
  if (i.dhcp4 && i.dhcp6) return 'yes';
  if (i.dhcp4) return 'ipv4';
  if (i.dhcp6) return 'ipv6';
  return undefined;
}

/** Repeated keys (Address=, DNS=) as separate entries. */
const each = (key: string, values: string[]): [string, string][] => values.map((v) => [key, v]);

export function networkFile(i: Iface): string {
  const port = i.controller;
  const match: Section = [
    'Match',
    i.kind === 'ethernet' && i.mac && !i.name && !i.nameGlob
      ? [['MACAddress', i.mac]]
      : [
          ['Name', i.name ?? i.nameGlob],
          ['MACAddress', i.kind === 'ethernet' ? i.mac : undefined],
        ],
  ];
  const hasV6 = i.dhcp6 || i.addresses.some((a) => a.family === 6);
  const network: Section = [
    'Network',
    port
      ? [
          [port.kind === 'bond' ? 'Bond' : 'Bridge', port.id],
          ['PrimarySlave', port.bond.primary === i.id ? 'yes' : undefined],
        ]
      : [
          ['DHCP', dhcp(i)],
          // netplan's defaults: IPv6 link-local addressing only, router advertisements only with dhcp6.
          ['LinkLocalAddressing', 'ipv6'],
          ['IPv6AcceptRA', hasV6 && i.dhcp6 ? undefined : 'no'],
          ...each('Address', i.addresses.map(address)),
          ['Gateway', i.gateway4],
          ['Gateway', i.gateway6],
          ...each('DNS', i.dns),
          ['Domains', i.search.length ? i.search.join(' ') : undefined],
        ],
  ];
  const vlans: [string, string][] = i.vlans.map((v) => ['VLAN', v.id]);
  network[1].push(...vlans);
  const routes: Section[] = i.routes.map((r) => [
    'Route',
    [
      ['Destination', r.to ? address(r.to) : undefined],
      ['Gateway', r.via],
      ['GatewayOnLink', r.onLink ? 'yes' : undefined],
      ['Metric', r.metric],
    ],
  ]);
  return ini([match, ['Link', [['MTUBytes', i.mtu]]], network, ...routes]);
}

export function netdevFile(i: Iface): string | undefined {
  if (i.kind === 'ethernet') return undefined;
  const kind = i.kind === 'vlan' ? 'vlan' : i.kind;
  const sections: Section[] = [
    [
      'NetDev',
      [
        ['Name', i.id],
        ['Kind', kind],
      ],
    ],
  ];
  if (i.kind === 'vlan') sections.push(['VLAN', [['Id', i.vlanId]]]);
  if (i.kind === 'bond') {
    const b = i.bond;
    sections.push([
      'Bond',
      [
        ['Mode', b.mode],
        ['MIIMonitorSec', b.miimon === undefined ? undefined : `${b.miimon}ms`],
        ['LACPTransmitRate', b.lacpRate],
        ['TransmitHashPolicy', b.hashPolicy],
      ],
    ]);
  }
  if (i.kind === 'bridge') {
    const b = i.bridge;
    sections.push([
      'Bridge',
      [
        ['STP', yesNo(b.stp)],
        ['Priority', b.priority],
        ['ForwardDelaySec', b.forwardDelay],
      ],
    ]);
  }
  return ini(sections);
}

export function networkdFiles(net: Network): NetFile[] {
  const out: NetFile[] = [];
  for (const i of net.interfaces) {
    const netdev = netdevFile(i);
    if (netdev) out.push({ path: `${NETWORKD_DIR}/10-${i.id}.netdev`, mode: 0o644, contents: netdev, at: i.at });
    out.push({ path: `${NETWORKD_DIR}/10-${i.id}.network`, mode: 0o644, contents: networkFile(i), at: i.at });
  }
  return out;
}
