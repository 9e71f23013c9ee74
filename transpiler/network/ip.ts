// Addresses of the network section: parsing IPv4/IPv6 addresses and prefixes into numbers, so
// subnets can be compared (is the gateway on a subnet of the interface?).

export type Family = 4 | 6;

export interface Cidr {
  family: Family;
  /** The address as written, without the prefix. */
  address: string;
  prefix: number;
  value: bigint;
}

/**
 * 4 or 6 for an address that node:net's isIPv4 or isIPv6 accepts (a test holds the two together),
 * read here: loading node:net for them costs a cold transpile about a seventh of Node's start-up.
 */
export function familyOf(address: string): Family | undefined {
  return isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
}

/** Dotted decimal, four octets of 0 to 255 without leading zeros. */
function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/**
 * Eight groups of one to four hex digits; `::` once for one or more zero groups; the last two
 * groups may be written as an IPv4 address; a zone (`%eth0`) may follow.
 */
function isIPv6(s: string): boolean {
  const pct = s.indexOf('%');
  if (pct >= 0 && !/^[0-9A-Za-z.:-]+$/.test(s.slice(pct + 1))) return false;
  const text = pct >= 0 ? s.slice(0, pct) : s;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  // Only the address's very last group may be dotted (not the one before a trailing `::`).
  const end = groups[groups.length - 1];
  const v4Tail = end.length > 0 && end[end.length - 1].includes('.');
  if (v4Tail && !isIPv4(end[end.length - 1])) return false;
  const all = groups.flat();
  const hex = v4Tail ? all.slice(0, -1) : all;
  if (!hex.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = hex.length + (v4Tail ? 2 : 0);
  return halves.length === 2 ? count <= 7 : count === 8;
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
