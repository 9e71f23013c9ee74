// The network section as kernel arguments in dracut's syntax (`ip=`, `nameserver=`, `rd.route=`,
// `vlan=`, `bond=`, `bridge=`), which NetworkManager's initrd generator (Fedora CoreOS, RHCOS) and
// systemd-network-generator (Flatcar) both read: the network the initramfs needs to fetch a config
// before any config is read. Only what that syntax can say exactly is written; everything else is
// a problem with the reason, at its YAML entry, and then no arguments are given at all (a partial
// network is worse than none). Tested by feeding the arguments to both generators.
import type { Path } from '../butane/tree.js';
import { netmask, type Cidr, type Family } from './ip.js';
import { defaultGateway, type Iface, type Network } from './interfaces.js';

export interface KargProblem {
  at: Path;
  message: string;
}

export interface NetworkKargs {
  args: string[];
  problems: KargProblem[];
}

const bracket = (a: string, family: Family) => (family === 6 ? `[${a}]` : a);

/**
 * `initrd` is what reads them: NetworkManager's nm-initrd-generator (Fedora CoreOS, RHCOS...) or
 * systemd-network-generator (Flatcar), which ignores bond= options (systemd 252).
 */
export function networkKargs(net: Network, initrd: 'nm' | 'networkd'): NetworkKargs {
  const defs: string[] = [];
  const ips: string[] = [];
  const routes: string[] = [];
  const dns: string[] = [];
  const problems: KargProblem[] = [];
  const no = (at: Path, message: string) => problems.push({ at, message });

  for (const i of net.interfaces) {
    const name = i.name;
    if (name === undefined) {
      no(
        i.at,
        i.nameGlob
          ? `${i.id}: a name pattern (${i.nameGlob}) cannot be written in kernel arguments, which name one interface each`
          : `${i.id}: an interface matched by MAC address has no name for ip=; ifname= would rename the interface, which this section does not do`,
      );
      continue;
    }
    if (i.controller && i.mtu !== undefined) no([...i.at, 'mtu'], `${i.id}: the MTU of a bond or bridge member has no kernel-argument form`);
    if (i.kind === 'vlan' && i.parent) {
      if (i.parent.name === undefined) continue; // reported with the parent
      defs.push(`vlan=${name}:${i.parent.name}`);
    }
    const ipArg = ipArgument(i, no);
    if (i.kind === 'bond') {
      const b = i.bond;
      if (initrd === 'networkd' && Object.values(b).some((v) => v !== undefined))
        no([...i.at, 'parameters'], `${i.id}: systemd-network-generator ignores the options of bond=, so the bond parameters would be lost`);
      const opts = [
        b.mode && `mode=${b.mode}`,
        b.miimon !== undefined && `miimon=${b.miimon}`,
        b.primary && `primary=${net.byId.get(b.primary)?.name ?? b.primary}`,
        b.lacpRate && `lacp_rate=${b.lacpRate}`,
        b.hashPolicy && `xmit_hash_policy=${b.hashPolicy}`,
      ].filter(Boolean);
      const members = memberNames(i, net);
      // Without an ip= argument the bond's MTU rides on bond= itself.
      const mtu = !ipArg && i.mtu !== undefined ? `:${i.mtu}` : '';
      defs.push(`bond=${name}:${members.join(',')}${opts.length || mtu ? `:${opts.join(',')}` : ''}${mtu}`);
    } else if (i.mtu !== undefined && !i.controller && !(i.dhcp4 || i.dhcp6 || i.addresses.length)) {
      no([...i.at, 'mtu'], `${i.id}: an MTU goes in ip=, which needs an address or DHCP on the interface`);
    }
    if (i.kind === 'bridge') {
      defs.push(`bridge=${name}:${memberNames(i, net).join(',')}`);
      if (Object.values(i.bridge).some((v) => v !== undefined))
        no([...i.at, 'parameters'], `${i.id}: bridge= takes no bridge parameters (stp, priority, forward-delay)`);
    }
    if (ipArg) ips.push(ipArg);
    for (const r of i.routes) {
      if (!r.to) continue; // default routes are the ip= gateway
      if (r.metric !== undefined) no([...r.at, 'metric'], 'rd.route= has no metric');
      if (r.onLink) no([...r.at, 'on-link'], 'rd.route= has no on-link flag');
      const via = r.via === undefined ? '' : bracket(r.via, r.family);
      routes.push(`rd.route=${bracket(r.to.address, r.family)}/${r.to.prefix}:${via}:${name}`);
    }
    for (const d of i.dns) if (!dns.includes(d)) dns.push(d);
    if (i.search.length) no([...i.at, 'nameservers', 'search'], `${i.id}: no kernel argument carries DNS search domains`);
  }
  return problems.length ? { args: [], problems } : { args: [...defs, ...ips, ...routes, ...dns.map((d) => `nameserver=${d}`)], problems };
}

function memberNames(i: Iface, net: Network): string[] {
  return i.members.map((m) => net.byId.get(m)?.name ?? m);
}

/** The one ip= argument of an interface (dracut refuses a second one for the same interface). */
function ipArgument(i: Iface, no: (at: Path, message: string) => void): string | undefined {
  const name = i.name!;
  const mtu = i.mtu !== undefined ? `:${i.mtu}` : '';
  const statics = (f: Family) => i.addresses.filter((a) => a.family === f);
  const v4 = statics(4);
  const v6 = statics(6);
  const extraDefaults = (f: Family) => i.routes.filter((r) => r.family === f && !r.to).length + ((f === 4 ? i.gateway4 : i.gateway6) ? 1 : 0) > 1;
  for (const f of [4, 6] as const) {
    if (extraDefaults(f)) no(i.at, `${i.id}: ip= carries one IPv${f} gateway`);
  }
  if (i.dhcp4 || i.dhcp6) {
    if (v4.length || v6.length) {
      no([...i.at, 'addresses'], `${i.id}: ip= configures an interface by DHCP or with a static address, not both`);
      return undefined;
    }
    for (const f of [4, 6] as const) {
      const gw = defaultGateway(i, f);
      if (gw) no(i.at, `${i.id}: ip= takes a gateway (${gw}) only with a static address`);
    }
    // `on` is both: NetworkManager's initrd generator and systemd-network-generator read it so
    // (the latter, in systemd 252, refuses `dhcp,dhcp6`).
    const how = i.dhcp4 && i.dhcp6 ? 'on' : i.dhcp4 ? 'dhcp' : 'dhcp6';
    return `ip=${name}:${how}${mtu}`;
  }
  if (v4.length + v6.length === 0) return undefined;
  if (v4.length + v6.length > 1) {
    no([...i.at, 'addresses'], `${i.id}: ip= carries one address per interface (this one has ${v4.length + v6.length})`);
    return undefined;
  }
  const a: Cidr = v4[0] ?? v6[0];
  const gw = defaultGateway(i, a.family);
  const mask = a.family === 4 ? netmask(a.prefix) : String(a.prefix);
  return `ip=${bracket(a.address, a.family)}::${gw ? bracket(gw, a.family) : ''}:${mask}::${name}:none${mtu}`;
}
