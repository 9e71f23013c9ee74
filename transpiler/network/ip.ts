// Addresses of the network section: parsing IPv4/IPv6 addresses and prefixes into numbers, so
// subnets can be compared (is the gateway on a subnet of the interface?).
import net from 'node:net';

export type Family = 4 | 6;

export interface Cidr {
  family: Family;
  /** The address as written, without the prefix. */
  address: string;
  prefix: number;
  value: bigint;
}

export function familyOf(address: string): Family | undefined {
  return net.isIPv4(address) ? 4 : net.isIPv6(address) ? 6 : undefined;
}

/** The address as a number (undefined when it is not an IP address). */
export function ipValue(address: string): bigint | undefined {
  const family = familyOf(address);
  if (family === 4) return address.split('.').reduce((n, o) => (n << 8n) | BigInt(Number(o)), 0n);
  if (family !== 6) return undefined;
  let text = address;
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipValue(v4[1])!;
    text = text.slice(0, v4.index) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export type CidrProblem = 'no-prefix' | 'bad-address' | 'bad-prefix';

/** `192.0.2.10/24` → its parts, or what is wrong with it. */
export function parseCidr(text: string): Cidr | CidrProblem {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const value = ipValue(address);
  if (value === undefined) return 'bad-address';
  if (slash < 0) return 'no-prefix';
  const family = familyOf(address)!;
  const p = text.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(p) ? Number(p) : NaN;
  if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) return 'bad-prefix';
  return { family, address, prefix, value };
}

/** True when `address` lies in the subnet of `net`. */
export function inSubnet(address: string, net: Cidr): boolean {
  const v = ipValue(address);
  if (v === undefined || familyOf(address) !== net.family) return false;
  const bits = BigInt(net.family === 4 ? 32 : 128);
  const shift = bits - BigInt(net.prefix);
  return v >> shift === net.value >> shift;
}

/** The dotted netmask of an IPv4 prefix length (24 → 255.255.255.0). */
export function netmask(prefix: number): string {
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 255).join('.');
}
