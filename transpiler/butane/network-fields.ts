// The `network` section of `variant: kindling` configs, as data for the Butane view (model.ts): the
// netplan v2 vocabulary that cloud-init users know (ethernets matched by name or MAC, DHCP, static
// addresses, routes, DNS, VLANs, bonds, bridges, MTU), with netplan's spelling of every key.
import { b, i, list, obj, s, type BType } from './btype.js';

interface Field {
  type: BType;
  desc: string;
  enum?: readonly string[];
}

const byId = (name: string): BType => ({ map: obj(name) });

export const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'] as const;

let built: Record<string, Record<string, Field>> | undefined;

/**
 * The network section's objects, made at the first call: only a `variant: kindling` config with a
 * `network` section asks. Built at every transpiler start they cost the others 0.6 M instructions
 * and 24 KB of the young generation, which was then one collection more (3 M) for the example.
 */
export function networkObjects(): Record<string, Record<string, Field>> {
  if (built) return built;
  /** What every interface kind can carry: its IP configuration and MTU. */
  const COMMON: Record<string, Field> = {
    dhcp4: { type: b, desc: 'Get an IPv4 address by DHCP.' },
    dhcp6: { type: b, desc: 'Get IPv6 configuration by DHCPv6 and router advertisements.' },
    addresses: { type: list(s), desc: 'Static addresses with their prefix length, e.g. 192.0.2.10/24 or 2001:db8::10/64.' },
    gateway4: { type: s, desc: 'Default IPv4 gateway (netplan spelling; a `to: default` route says the same).' },
    gateway6: { type: s, desc: 'Default IPv6 gateway.' },
    routes: { type: list(obj('NetRoute')), desc: 'Static routes.' },
    nameservers: { type: obj('NetNameservers'), desc: 'DNS servers and search domains.' },
    mtu: { type: i, desc: 'MTU of the interface in bytes.' },
  };
  built = {
    Network: {
      version: { type: i, desc: 'The netplan format version; only 2 is accepted.' },
      ethernets: { type: byId('NetEthernet'), desc: 'Physical interfaces, by id (the interface name unless `match` says otherwise).' },
      vlans: { type: byId('NetVlan'), desc: 'VLAN interfaces, by interface name.' },
      bonds: { type: byId('NetBond'), desc: 'Bonds, by interface name.' },
      bridges: { type: byId('NetBridge'), desc: 'Bridges, by interface name.' },
    },
    NetEthernet: {
      match: { type: obj('NetMatch'), desc: 'Which interface this is, when the id is not its name.' },
      ...COMMON,
    },
    NetMatch: {
      name: { type: s, desc: 'Interface name; may be a glob such as en*.' },
      macaddress: { type: s, desc: 'Permanent MAC address, e.g. 52:54:00:12:34:56.' },
    },
    NetVlan: {
      id: { type: i, desc: 'VLAN id, 0 to 4094.' },
      link: { type: s, desc: 'Id of the interface the VLAN runs on.' },
      ...COMMON,
    },
    NetBond: {
      interfaces: { type: list(s), desc: 'Ids of the member interfaces.' },
      parameters: { type: obj('NetBondParameters'), desc: 'Bonding options.' },
      ...COMMON,
    },
    NetBondParameters: {
      mode: { type: s, desc: 'Bonding mode.', enum: BOND_MODES },
      'mii-monitor-interval': { type: i, desc: 'Link monitoring interval in milliseconds.' },
      primary: { type: s, desc: 'Id of the preferred member (active-backup, balance-tlb, balance-alb).' },
      'lacp-rate': { type: s, desc: 'LACPDU rate in 802.3ad mode.', enum: ['slow', 'fast'] },
      'transmit-hash-policy': { type: s, desc: 'Member selection hash.', enum: ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4'] },
    },
    NetBridge: {
      interfaces: { type: list(s), desc: 'Ids of the member interfaces.' },
      parameters: { type: obj('NetBridgeParameters'), desc: 'Bridge options.' },
      ...COMMON,
    },
    NetBridgeParameters: {
      stp: { type: b, desc: 'Run the spanning tree protocol.' },
      priority: { type: i, desc: 'Bridge priority, 0 to 65535.' },
      'forward-delay': { type: i, desc: 'Forward delay in seconds, 2 to 30.' },
    },
    NetRoute: {
      to: { type: s, desc: 'Destination with prefix length, or `default`.' },
      via: { type: s, desc: 'Gateway address.' },
      metric: { type: i, desc: 'Route metric.' },
      'on-link': { type: b, desc: 'The gateway is reachable on the link even outside every address subnet.' },
    },
    NetNameservers: {
      addresses: { type: list(s), desc: 'DNS server addresses.' },
      search: { type: list(s), desc: 'Search domains.' },
    },
  };
  return built;
}
