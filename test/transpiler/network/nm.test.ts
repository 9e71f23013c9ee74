// The keyfiles of the network section, loaded by the real NetworkManager (Debian's network-manager)
// from a root that `kindling apply` wrote them into: every profile loads with the properties the
// YAML asked for, NetworkManager logs no keyfile warning, and the interfaces that exist in the
// test's network namespace (a veth pair, a bridge) really get their addresses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kindling } from '../../cli/helpers.js';
import { netnsUnavailable, networkConfig, runInNetns, VETHS, type NetnsRun } from './netns.js';

const skip = netnsUnavailable('NetworkManager');
if (skip) console.log(`NetworkManager tests skipped: ${skip}`);

const CONFIG = networkConfig('fcos 1.6.0');

const PROFILES = ['eth0', 'lan', 'wild', 'eth1', 'eth2', 'eth3', 'bond0', 'vlan10', 'vlan20', 'br0'];

describe.skipIf(!!skip)('network section → NetworkManager keyfiles, loaded by NetworkManager', () => {
  let tmp: string;
  let run: NetnsRun;
  const props = new Map<string, Map<string, string>>();
  const dir = () => path.join(tmp, 'root/etc/NetworkManager/system-connections');
  // What NetworkManager would change on the machine itself if the namespace let it.
  const hostNaming = () => ({
    resolv: fs.readFileSync('/etc/resolv.conf', 'utf8'),
    resolvTime: fs.statSync('/etc/resolv.conf').mtimeMs,
    hostname: os.hostname(),
  });
  let hostBefore: ReturnType<typeof hostNaming>;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-nm-'));
    fs.writeFileSync(path.join(tmp, 'net.bu'), CONFIG);
    fs.mkdirSync(path.join(tmp, 'root'));
    const applied = kindling(['apply', '--root', path.join(tmp, 'root'), path.join(tmp, 'net.bu')]);
    expect(applied.status, applied.stderr).toBe(0);
    // A control: the same profile readable by others must be ignored, as NetworkManager does.
    fs.copyFileSync(path.join(dir(), 'eth0.nmconnection'), path.join(dir(), 'open.nmconnection'));
    fs.writeFileSync(
      path.join(dir(), 'open.nmconnection'),
      fs
        .readFileSync(path.join(dir(), 'eth0.nmconnection'), 'utf8')
        .replace('id=eth0', 'id=open')
        .replace(/uuid=.*/, 'uuid=9b0f7c6e-0000-4000-8000-000000000001'),
    );
    fs.chmodSync(path.join(dir(), 'open.nmconnection'), 0o644);
    hostBefore = hostNaming();
    run = runInNetns('NetworkManager', dir(), VETHS, [
      'echo "== profiles"; nmcli -t -f NAME connection show',
      ...PROFILES.map((p) => `echo "== ${p}"; nmcli -t -f all connection show ${p}`),
      'echo "== addresses"; ip -br addr',
      'echo "== links"; ip -o link',
    ]);
    let current = '';
    for (const line of run.out.split('\n')) {
      const head = /^== (\S+)$/.exec(line);
      if (head) {
        current = head[1];
        props.set(current, new Map());
        continue;
      }
      const kv = /^([a-z0-9-]+\.[a-z0-9-]+(?:\[\d+\])?):(.*)$/.exec(line);
      if (kv && current) props.get(current)!.set(kv[1], kv[2]);
    }
  }, 90_000);
  afterAll(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  it("leaves the machine's /etc/resolv.conf and hostname alone", () => {
    // It once wrote the test's DNS servers (192.0.2.53) into the machine's resolv.conf: every name
    // lookup on the machine failed from then on, npm's registry included.
    expect(hostNaming()).toEqual(hostBefore);
  });

  const prop = (profile: string, name: string) => props.get(profile)?.get(name);

  it('writes one keyfile per interface, mode 0600', () => {
    for (const p of PROFILES) {
      const st = fs.statSync(path.join(dir(), `${p}.nmconnection`));
      expect(st.mode & 0o777, p).toBe(0o600);
      expect(st.uid).toBe(0);
    }
  });

  it('loads every profile, with no keyfile warning, and ignores the world-readable control', () => {
    const names = run.out.split('== profiles\n')[1]?.split('\n==')[0].split('\n').filter(Boolean) ?? [];
    expect(names.sort(), run.out + run.log).toEqual(expect.arrayContaining(PROFILES));
    expect(names).not.toContain('open');
    const warnings = run.log.split('\n').filter((l) => /<warn>/.test(l) && /keyfile|nmconnection/i.test(l) && !/open\.nmconnection/.test(l));
    expect(warnings).toEqual([]);
  });

  it('reads static addresses, gateway, routes, DNS and MTU as written', () => {
    expect(prop('eth0', 'connection.interface-name')).toBe('eth0');
    expect(prop('eth0', 'ipv4.method')).toBe('manual');
    expect(prop('eth0', 'ipv4.addresses')).toBe('192.0.2.10/24');
    expect(prop('eth0', 'ipv4.gateway')).toBe('192.0.2.1');
    expect(prop('eth0', 'ipv4.dns')).toBe('192.0.2.53');
    expect(prop('eth0', 'ipv4.dns-search')).toBe('example.com,example.net');
    expect(prop('eth0', 'ipv4.routes')).toBe('10.0.0.0/8 192.0.2.254 100, 172.16.0.0/12 198.18.0.1 onlink=true');
    expect(prop('eth0', 'ipv6.method')).toBe('manual');
    expect(prop('eth0', 'ipv6.addresses')).toBe('2001:db8::10/64');
    expect(prop('eth0', 'ipv6.dns')).toBe('2001:db8::53');
    expect(prop('eth0', '802-3-ethernet.mtu')).toBe('1400');
  });

  it('matches by MAC address and by name glob, with DHCP', () => {
    expect(prop('lan', '802-3-ethernet.mac-address')).toBe('52:54:00:12:34:56');
    expect(prop('lan', 'connection.interface-name')).toBe('');
    expect(prop('lan', 'ipv4.method')).toBe('auto');
    expect(prop('lan', 'ipv6.method')).toBe('auto');
    expect(prop('wild', 'match.interface-name')).toBe('enx*');
  });

  it('reads bonds, bridges and VLANs with their members and parents', () => {
    expect(prop('bond0', 'bond.options')).toBe('mode=802.3ad,lacp_rate=fast,miimon=100,xmit_hash_policy=layer3+4');
    expect(prop('bond0', '802-3-ethernet.mtu')).toBe('9000');
    for (const m of ['eth1', 'eth2']) {
      expect(prop(m, 'connection.master')).toBe('bond0');
      expect(prop(m, 'connection.slave-type')).toBe('bond');
    }
    expect(prop('eth3', 'connection.master')).toBe('br0');
    expect(prop('br0', 'bridge.stp')).toBe('no');
    expect(prop('br0', 'bridge.forward-delay')).toBe('4');
    expect(prop('br0', 'bridge.priority')).toBe('4096');
    expect(prop('vlan10', 'vlan.id')).toBe('10');
    // A parent matched by MAC only is referred to by its profile's UUID, others by name.
    expect(prop('vlan10', 'vlan.parent')).toBe(prop('lan', 'connection.uuid'));
    expect(prop('vlan20', 'vlan.parent')).toBe('bond0');
    expect(prop('vlan20', 'connection.master')).toBe('br0');
    expect(prop('vlan20', 'connection.slave-type')).toBe('bridge');
  });

  it('configures the interfaces that exist: eth0 and the bridge with eth3 in it', () => {
    const addrs = run.out.split('== addresses\n')[1] ?? '';
    expect(addrs).toMatch(/^eth0@peer0\s+UP\s+192\.0\.2\.10\/24 2001:db8::10\/64/m);
    expect(addrs).toMatch(/^br0\s+\S+\s+203\.0\.113\.2\/24/m);
    expect(run.out).toMatch(/eth3@peer3: .* master br0/);
    expect(run.out).toMatch(/br0: .*mtu 1450/);
    expect(run.out).toMatch(/eth0@peer0: .*mtu 1400/);
  });
});
