// The network section read into one list of interfaces, checked as a whole: what netplan or the
// renderers would reject, or what would leave a machine off the network, is an error at the YAML
// line that says it (an address without a prefix, a gateway off every subnet, two configs for one
// interface, a bond without members, a VLAN id out of range, a member that does not exist...).
import type { Ctx } from '../core/context.js';
import type { Butane, Path } from '../butane/tree.js';
import { BOND_MODES } from '../butane/network-fields.js';
import { familyOf, inSubnet, parseCidr, type Cidr, type Family } from './ip.js';

export type Kind = 'ethernet' | 'vlan' | 'bond' | 'bridge';

export interface Route {
  /** Undefined for the default route. */
  to?: Cidr;
  family: Family;
  via?: string;
  metric?: number;
  onLink: boolean;
  at: Path;
}

export interface Iface {
  kind: Kind;
  id: string;
  /** Decoded path of the interface's entry. */
  at: Path;
  /** The interface name, when it is known exactly (not a glob, not matched by MAC only). */
  name?: string;
  /** A glob the name must match (match.name with wildcards). */
  nameGlob?: string;
  /** match.macaddress, lowercase. */
  mac?: string;
  dhcp4: boolean;
  dhcp6: boolean;
  addresses: Cidr[];
  gateway4?: string;
  gateway6?: string;
  routes: Route[];
  dns: string[];
  search: string[];
  mtu?: number;
  vlanId?: number;
  /** Id of the interface a VLAN runs on. */
  link?: string;
  /** Ids of the members (bonds, bridges). */
  members: string[];
  bond: { mode?: string; miimon?: number; primary?: string; lacpRate?: string; hashPolicy?: string };
  bridge: { stp?: boolean; priority?: number; forwardDelay?: number };
  /** The bond or bridge this interface is a member of. */
  controller?: Iface;
  /** VLANs running on this interface. */
  vlans: Iface[];
  /** The interface a VLAN runs on (resolved `link`). */
  parent?: Iface;
}

export interface Network {
  interfaces: Iface[];
  byId: Map<string, Iface>;
}

const SECTIONS: [keyof Butane.Network & `${string}s`, Kind][] = [
  ['ethernets', 'ethernet'],
  ['vlans', 'vlan'],
  ['bonds', 'bond'],
  ['bridges', 'bridge'],
];
// What Linux, NetworkManager and systemd-networkd accept as an interface name; ids also name files.
const NAME = /^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,15}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const GLOB = /[*?[]/;

/** An entry of any kind: each kind's fields, absent where the kind has none. */
type Def = Butane.NetEthernet & Butane.NetVlan & Butane.NetBond & Butane.NetBridge & { parameters?: Butane.NetBondParameters & Butane.NetBridgeParameters };

/** The network section of the decoded config, checked; undefined when there is none. */
export function readNetwork(ctx: Ctx, src: Butane.Config): Network | undefined {
  const section = src.network;
  if (!section) return undefined;
  const base: Path = ['network'];
  if (section.version !== undefined && section.version !== 2) {
    ctx.error(
      'network-version',
      `network version ${String(section.version)} is not supported`,
      [...base, 'version'],
      'the section uses the netplan v2 vocabulary: write `version: 2` or leave it out',
    );
  }
  const interfaces: Iface[] = [];
  const byId = new Map<string, Iface>();
  for (const [key, kind] of SECTIONS) {
    const entries: Record<string, Def | undefined> = section[key] ?? {};
    for (const [id, raw] of Object.entries(entries)) {
      const at: Path = [...base, key, id];
      const def = raw ?? {};
      if (!NAME.test(id)) {
        ctx.errorOnKey('network-id', `\`${id}\` cannot name an interface`, at, 'use at most 15 letters, digits, `-`, `_` or `.`');
        continue;
      }
      const first = byId.get(id);
      if (first) {
        ctx.errorOnKey(
          'network-duplicate',
          `interface \`${id}\` is defined twice (also under network.${first.at[1]})`,
          at,
          'each interface id may appear once across ethernets, vlans, bonds and bridges',
        );
        continue;
      }
      const iface = readIface(ctx, kind, id, def, at);
      byId.set(id, iface);
      interfaces.push(iface);
    }
  }
  const net = { interfaces, byId };
  checkNames(ctx, net);
  linkUp(ctx, net);
  for (const i of interfaces) checkGateways(ctx, i);
  return net;
}

function readIface(ctx: Ctx, kind: Kind, id: string, def: Def, at: Path): Iface {
  const iface: Iface = {
    kind,
    id,
    at,
    dhcp4: def.dhcp4 === true,
    dhcp6: def.dhcp6 === true,
    addresses: [],
    routes: [],
    dns: [],
    search: def.nameservers?.search ?? [],
    members: def.interfaces ?? [],
    bond: {},
    bridge: {},
    vlans: [],
  };
  if (kind !== 'ethernet' || !def.match) iface.name = id;
  else {
    const m = def.match;
    if (typeof m.name === 'string') GLOB.test(m.name) ? (iface.nameGlob = m.name) : (iface.name = m.name);
    if (typeof m.macaddress === 'string') {
      if (MAC.test(m.macaddress)) iface.mac = m.macaddress.toLowerCase();
      else
        ctx.error(
          'network-mac',
          `\`${m.macaddress}\` is not a MAC address`,
          [...at, 'match', 'macaddress'],
          'write six hexadecimal pairs separated by colons, e.g. 52:54:00:12:34:56',
        );
    }
    if (m.name === undefined && m.macaddress === undefined)
      ctx.error('network-match', 'match needs a name or a macaddress', [...at, 'match'], `or drop match: the id \`${id}\` is then the interface name`);
  }
  (def.addresses ?? []).forEach((text, j) => {
    const c = parseCidr(text);
    const where = [...at, 'addresses', j];
    if (c === 'no-prefix')
      ctx.error(
        'network-address-prefix',
        `address ${text} has no prefix length`,
        where,
        `write it with its prefix, e.g. ${text}/${familyOf(text) === 6 ? 64 : 24}`,
      );
    else if (c === 'bad-prefix')
      ctx.error('network-address', `the prefix length of ${text} is out of range`, where, 'IPv4 prefixes are 0 to 32, IPv6 prefixes 0 to 128');
    else if (c === 'bad-address')
      ctx.error('network-address', `\`${text}\` is not an IP address with a prefix length`, where, 'e.g. 192.0.2.10/24 or 2001:db8::10/64');
    else iface.addresses.push(c);
  });
  for (const [k, family] of [
    ['gateway4', 4],
    ['gateway6', 6],
  ] as const) {
    const g = def[k];
    if (typeof g !== 'string') continue;
    if (familyOf(g) !== family) ctx.error('network-gateway', `${k} \`${g}\` is not an IPv${family} address`, [...at, k]);
    else iface[k] = g;
  }
  (def.routes ?? []).forEach((r, j) => {
    const route = readRoute(ctx, r, [...at, 'routes', j]);
    if (route) iface.routes.push(route);
  });
  (def.nameservers?.addresses ?? []).forEach((a, j) => {
    if (familyOf(a)) iface.dns.push(a);
    else ctx.error('network-dns', `nameserver \`${a}\` is not an IP address`, [...at, 'nameservers', 'addresses', j]);
  });
  if (typeof def.mtu === 'number') {
    if (def.mtu < 68 || def.mtu > 65535)
      ctx.error('network-mtu', `MTU ${def.mtu} is out of range`, [...at, 'mtu'], 'an MTU is 68 to 65535 bytes (IPv6 needs at least 1280)');
    else iface.mtu = def.mtu;
  }
  if (kind === 'vlan') {
    if (typeof def.id !== 'number') ctx.error('network-vlan-id', 'a VLAN needs an id', [...at, 'id'], 'add `id:` with the VLAN id, 0 to 4094');
    else if (def.id < 0 || def.id > 4094) ctx.error('network-vlan-id', `VLAN id ${def.id} is out of range`, [...at, 'id'], 'VLAN ids are 0 to 4094');
    else iface.vlanId = def.id;
    if (typeof def.link !== 'string')
      ctx.error('network-vlan-link', 'a VLAN needs a link', [...at, 'link'], 'add `link:` with the id of the interface the VLAN runs on');
    else iface.link = def.link;
  }
  const params = def.parameters ?? {};
  if (kind === 'bond') {
    if (iface.members.length === 0)
      ctx.error('network-bond-members', `bond ${id} has no members`, [...at, 'interfaces'], 'list the ids of its member ethernets under `interfaces:`');
    const mode = params.mode;
    if (typeof mode === 'string' && !(BOND_MODES as readonly string[]).includes(mode)) {
      ctx.error('network-bond-mode', `unknown bond mode \`${mode}\``, [...at, 'parameters', 'mode'], `accepted values: ${BOND_MODES.join(', ')}`);
    } else if (typeof mode === 'string') iface.bond.mode = mode;
    if (typeof params['mii-monitor-interval'] === 'number') iface.bond.miimon = params['mii-monitor-interval'];
    if (typeof params['lacp-rate'] === 'string') iface.bond.lacpRate = params['lacp-rate'];
    if (typeof params['transmit-hash-policy'] === 'string') iface.bond.hashPolicy = params['transmit-hash-policy'];
    if (typeof params.primary === 'string') {
      if (!iface.members.includes(params.primary))
        ctx.error(
          'network-bond-primary',
          `primary ${params.primary} is not a member of bond ${id}`,
          [...at, 'parameters', 'primary'],
          `members: ${iface.members.join(', ') || 'none'}`,
        );
      else iface.bond.primary = params.primary;
    }
  }
  if (kind === 'bridge') {
    if (typeof params.stp === 'boolean') iface.bridge.stp = params.stp;
    const range = (k: 'priority' | 'forward-delay', lo: number, hi: number): number | undefined => {
      const v = params[k];
      if (typeof v !== 'number') return undefined;
      if (v >= lo && v <= hi) return v;
      ctx.error('network-bridge', `bridge ${k} ${v} is out of range`, [...at, 'parameters', k], `${k} is ${lo} to ${hi}`);
      return undefined;
    };
    iface.bridge.priority = range('priority', 0, 65535);
    iface.bridge.forwardDelay = range('forward-delay', 2, 30);
  }
  return iface;
}

function readRoute(ctx: Ctx, r: Butane.NetRoute, at: Path): Route | undefined {
  const via = r.via;
  const viaFamily = via === undefined ? undefined : familyOf(via);
  if (via !== undefined && !viaFamily) {
    ctx.error('network-route', `route gateway \`${via}\` is not an IP address`, [...at, 'via']);
    return undefined;
  }
  const metric = r.metric;
  if (metric !== undefined && (metric < 0 || metric > 4294967295)) {
    ctx.error('network-route', `route metric ${metric} is out of range`, [...at, 'metric'], 'metrics are 0 to 4294967295');
    return undefined;
  }
  const onLink = r['on-link'] === true;
  if (typeof r.to !== 'string') {
    ctx.error('network-route', 'a route needs `to`', at, 'give the destination with its prefix, or `default`');
    return undefined;
  }
  if (r.to === 'default') {
    if (!viaFamily) {
      ctx.error('network-route', 'a default route needs `via`', at, 'give the gateway address');
      return undefined;
    }
    return { family: viaFamily, via, metric, onLink, at };
  }
  const to = parseCidr(r.to);
  if (typeof to === 'string') {
    const why = to === 'no-prefix' ? `route destination ${r.to} has no prefix length` : `\`${r.to}\` is not a destination with a prefix length`;
    ctx.error('network-route', why, [...at, 'to'], 'write e.g. 10.0.0.0/8, or `default`');
    return undefined;
  }
  if (viaFamily && viaFamily !== to.family) {
    ctx.error('network-route', `route to ${r.to} goes via ${via}, an address of the other IP family`, [...at, 'via']);
    return undefined;
  }
  // 0.0.0.0/0 and ::/0 are the default route.
  return { to: to.prefix === 0 ? undefined : to, family: to.family, via, metric, onLink, at };
}

/** Two entries for one interface: the same exact name, or the same MAC address. */
function checkNames(ctx: Ctx, net: Network): void {
  const names = new Map<string, Iface>();
  const macs = new Map<string, Iface>();
  for (const i of net.interfaces) {
    for (const [seen, key, what] of [
      [names, i.name, 'name'],
      [macs, i.mac, 'MAC address'],
    ] as const) {
      if (key === undefined) continue;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, i);
        continue;
      }
      const where = i.name === key && i.kind === 'ethernet' && i.id !== key ? [...i.at, 'match'] : i.at;
      ctx.errorOnKey(
        'network-duplicate',
        `interface ${what} ${key} is configured twice: by ${first.id} and by ${i.id}`,
        where,
        'merge the two entries into one',
      );
    }
  }
}

/** Resolves members and VLAN links, and checks what may be a member of what. */
function linkUp(ctx: Ctx, net: Network): void {
  for (const c of net.interfaces) {
    c.members.forEach((m, j) => {
      const where = [...c.at, 'interfaces', j];
      const member = net.byId.get(m);
      if (!member) {
        ctx.error(
          'network-member',
          `${c.kind} ${c.id} lists ${m}, which is not defined`,
          where,
          `define ${m} under network.ethernets${c.kind === 'bridge' ? ' (or bonds or vlans)' : ''}`,
        );
        return;
      }
      if (member === c || (c.kind === 'bond' && member.kind !== 'ethernet') || (c.kind === 'bridge' && member.kind === 'bridge')) {
        ctx.error(
          'network-member',
          `${member.kind} ${m} cannot be a member of ${c.kind} ${c.id}`,
          where,
          c.kind === 'bond' ? 'bond members are ethernets' : 'bridge members are ethernets, bonds or vlans',
        );
        return;
      }
      if (member.controller) {
        ctx.error(
          'network-member',
          `${m} is already a member of ${member.controller.kind} ${member.controller.id}`,
          where,
          'an interface can be a member of one bond or bridge',
        );
        return;
      }
      if (member.dhcp4 || member.dhcp6 || member.addresses.length || member.routes.length || member.gateway4 || member.gateway6 || member.dns.length) {
        ctx.errorOnKey(
          'network-member',
          `${m} is a member of ${c.kind} ${c.id} and cannot have IP settings of its own`,
          member.at,
          `move its addresses, DHCP, routes and nameservers to ${c.id}`,
        );
      }
      if (member.name === undefined) {
        ctx.errorOnKey(
          'network-member',
          `${m} is a member of ${c.kind} ${c.id} but its interface name is not known`,
          member.at,
          'match it by an exact name (a MAC match can name it with the id only through a rename, which this section does not do)',
        );
      }
      member.controller = c;
    });
  }
  for (const v of net.interfaces) {
    if (v.kind !== 'vlan' || v.link === undefined) continue;
    const parent = net.byId.get(v.link);
    if (!parent || parent.kind === 'vlan') {
      ctx.error(
        'network-vlan-link',
        parent ? `VLAN ${v.id} cannot run on VLAN ${v.link}` : `VLAN ${v.id} runs on ${v.link}, which is not defined`,
        [...v.at, 'link'],
        'link names an ethernet, bond or bridge of this section',
      );
      continue;
    }
    parent.vlans.push(v);
    v.parent = parent;
  }
}

/** Every gateway must be reachable: on the subnet of a static address of its family (or on-link). */
function checkGateways(ctx: Ctx, i: Iface): void {
  const check = (gw: string, family: Family, at: Path, onLink: boolean) => {
    if (onLink) return;
    const nets = i.addresses.filter((a) => a.family === family);
    const dhcp = family === 4 ? i.dhcp4 : i.dhcp6;
    // IPv6 gateways are often link-local (fe80::/10): reachable on any link.
    if (family === 6 && /^fe[89ab]/i.test(gw)) return;
    if (nets.length === 0) {
      if (!dhcp)
        ctx.error(
          'network-gateway',
          `gateway ${gw} is unreachable: ${i.id} has no IPv${family} address`,
          at,
          `add an IPv${family} address (or dhcp${family}: true) to ${i.id}`,
        );
      return;
    }
    if (nets.some((n) => inSubnet(gw, n))) return;
    const list = nets.map((n) => `${n.address}/${n.prefix}`).join(', ');
    ctx.error(
      'network-gateway',
      `gateway ${gw} is outside every subnet of ${i.id} (${list})`,
      at,
      'fix the address or the prefix length, or set `on-link: true` on a route whose gateway is reachable on the link anyway',
    );
  };
  if (i.gateway4) check(i.gateway4, 4, [...i.at, 'gateway4'], false);
  if (i.gateway6) check(i.gateway6, 6, [...i.at, 'gateway6'], false);
  for (const r of i.routes) if (r.via) check(r.via, r.family, [...r.at, 'via'], r.onLink);
}

/** The default gateway of a family: gatewayN, else the first default route. */
export function defaultGateway(i: Iface, family: Family): string | undefined {
  return (family === 4 ? i.gateway4 : i.gateway6) ?? i.routes.find((r) => r.family === family && !r.to)?.via;
}
