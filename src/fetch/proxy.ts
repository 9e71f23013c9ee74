// Proxy selection with the semantics of Go's golang.org/x/net/http/httpproxy (what Ignition uses):
// httpProxy for http URLs, httpsProxy for https, never for localhost/loopback; noProxy entries are
// `*`, CIDRs, IPs (optionally with :port), and domains: `example.com` matches the host and its
// subdomains, `.example.com` (or `*.example.com`) subdomains only; `name:port` restricts to a port.
// Pure.
import net from 'node:net';
import type { ProxyConfig } from './types.js';

type Matcher =
  | { kind: 'all' }
  | { kind: 'cidr'; list: net.BlockList }
  | { kind: 'ip'; ip: string; family: number; port: string }
  | { kind: 'domain'; suffix: string; matchHost: boolean; port: string };

function splitHostPort(s: string): { host: string; port: string } | null {
  const m = /^\[([^\]]*)\]:(\d*)$/.exec(s) ?? /^([^:]*):(\d*)$/.exec(s);
  return m ? { host: m[1], port: m[2] } : null;
}

function normalizeIp(ip: string): string {
  // ::ffff:a.b.c.d and a.b.c.d are the same address for matching purposes (Go's net.IP.Equal).
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip.toLowerCase();
}

export function parseNoProxy(entries: readonly string[] | null | undefined): Matcher[] {
  const out: Matcher[] = [];
  for (const raw of entries ?? []) {
    const p = raw.trim().toLowerCase();
    if (!p) continue;
    if (p === '*') return [{ kind: 'all' }];
    const cidr = /^(.+)\/(\d{1,3})$/.exec(p);
    if (cidr && net.isIP(cidr[1])) {
      const family = net.isIP(cidr[1]) === 4 ? 'ipv4' : 'ipv6';
      const prefix = Number(cidr[2]);
      if (prefix <= (family === 'ipv4' ? 32 : 128)) {
        const list = new net.BlockList();
        list.addSubnet(cidr[1], prefix, family);
        out.push({ kind: 'cidr', list });
        continue;
      }
    }
    let host = p;
    let port = '';
    const hp = splitHostPort(p);
    if (hp) {
      if (!hp.host) continue;
      host = hp.host;
      port = hp.port;
    }
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    const fam = net.isIP(host);
    if (fam) {
      out.push({ kind: 'ip', ip: normalizeIp(host), family: fam, port });
      continue;
    }
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    out.push({ kind: 'domain', suffix: matchHost ? `.${host}` : host, matchHost, port });
  }
  return out;
}

// Made at the first check: a BlockList loads node:net, which a stage that fetches nothing never needs.
let loopback: net.BlockList | undefined;
function isLoopback(ip: string, family: 'ipv4' | 'ipv6'): boolean {
  if (!loopback) {
    loopback = new net.BlockList();
    loopback.addSubnet('127.0.0.0', 8, 'ipv4');
    loopback.addAddress('::1', 'ipv6');
  }
  return loopback.check(ip, family);
}

/** True when a request to host:port should go through a proxy (given noProxy matchers). */
export function useProxy(hostname: string, port: string, matchers: Matcher[]): boolean {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === 'localhost') return false;
  const fam = net.isIP(host);
  const ip = fam ? normalizeIp(host) : null;
  const ipFam = ip ? (net.isIP(ip) === 4 ? 'ipv4' : 'ipv6') : null;
  if (ip && isLoopback(ip, ipFam!)) return false;
  for (const m of matchers) {
    switch (m.kind) {
      case 'all':
        return false;
      case 'cidr':
        if (ip && m.list.check(ip, ipFam!)) return false;
        break;
      case 'ip':
        if (ip && m.ip === ip && (m.port === '' || m.port === port)) return false;
        break;
      case 'domain':
        if ((host.endsWith(m.suffix) || (m.matchHost && host === m.suffix.slice(1))) && (m.port === '' || m.port === port)) return false;
        break;
    }
  }
  return true;
}

/** The proxy URL to use for `url`, or null for a direct connection. */
export function proxyFor(url: URL, cfg: ProxyConfig | null | undefined): string | null {
  if (!cfg) return null;
  const raw = url.protocol === 'https:' ? cfg.httpsProxy : url.protocol === 'http:' ? cfg.httpProxy : null;
  if (!raw) return null;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (!useProxy(url.hostname, port, parseNoProxy(cfg.noProxy))) return null;
  // Go accepts a bare host:port and assumes http://
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
}
