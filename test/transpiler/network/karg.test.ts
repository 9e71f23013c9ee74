// `kindling karg --network`: the network section as dracut-syntax kernel arguments, read back by
// the real generators that turn them into the initramfs network: NetworkManager's
// nm-initrd-generator (Fedora CoreOS, RHCOS) and systemd-network-generator (Flatcar). What they
// make of the arguments must be what the section says.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kindling } from '../../cli/helpers.js';

const NM_GEN = '/usr/lib/NetworkManager/nm-initrd-generator';
const SD_GEN = '/lib/systemd/systemd-network-generator';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-karg-net-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const config = (base: string, bondParameters = '      parameters: {mode: active-backup, mii-monitor-interval: 100}\n') => `variant: kindling
version: 1.0.0
base: ${base}
network:
  ethernets:
    eth0:
      addresses: [192.0.2.10/24]
      gateway4: 192.0.2.1
      routes:
        - {to: 10.0.0.0/8, via: 192.0.2.254}
      nameservers: {addresses: [192.0.2.53, 192.0.2.54]}
      mtu: 1400
    eth1: {}
    eth2: {}
  bonds:
    bond0:
      interfaces: [eth1, eth2]
${bondParameters}      dhcp4: true
      dhcp6: true
  vlans:
    vlan5: {id: 5, link: bond0, addresses: ["2001:db8::5/64"], gateway6: "2001:db8::1"}
`;

function kargs(yaml: string): { status: number | null; args: string[]; stderr: string } {
  const file = path.join(tmp, `c${Math.random().toString(36).slice(2)}.bu`);
  fs.writeFileSync(file, yaml);
  const r = kindling(['karg', '--network', file]);
  return { status: r.status, args: r.stdout.trim().split(' ').filter(Boolean), stderr: r.stderr };
}

describe('karg --network', () => {
  it('prints the arguments', () => {
    const r = kargs(config('fcos 1.6.0'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.args).toEqual([
      'vlan=vlan5:bond0',
      'bond=bond0:eth1,eth2:mode=active-backup,miimon=100',
      'ip=192.0.2.10::192.0.2.1:255.255.255.0::eth0:none:1400',
      'ip=[2001:db8::5]::[2001:db8::1]:64::vlan5:none',
      'ip=bond0:on',
      'rd.route=10.0.0.0/8:192.0.2.254:eth0',
      'nameserver=192.0.2.53',
      'nameserver=192.0.2.54',
    ]);
  });

  it.skipIf(!fs.existsSync(NM_GEN))('nm-initrd-generator makes the same network of them', () => {
    const r = kargs(config('fcos 1.6.0'));
    const gen = spawnSync(NM_GEN, ['-s', '--', ...r.args], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const profiles = new Map<string, string>();
    for (const part of gen.stdout
      .split(/^\*\*\* Connection '([^']+)' \*\*\*$/m)
      .slice(1)
      .reduce<string[][]>((acc, x, n) => (n % 2 ? acc[acc.length - 1].push(x) : acc.push([x]), acc), []))
      profiles.set(part[0], part[1]);
    expect([...profiles.keys()].sort()).toEqual(['bond0', 'eth0', 'eth1', 'eth2', 'vlan5']);
    const eth0 = profiles.get('eth0')!;
    expect(eth0).toMatch(/^address1=192\.0\.2\.10\/24,192\.0\.2\.1$/m);
    expect(eth0).toMatch(/^dns=192\.0\.2\.53;192\.0\.2\.54;$/m);
    expect(eth0).toMatch(/^route1=10\.0\.0\.0\/8,192\.0\.2\.254$/m);
    expect(eth0).toMatch(/^mtu=1400$/m);
    expect(profiles.get('bond0')).toMatch(/\[bond\]\nmiimon=100\nmode=active-backup\n/);
    expect(profiles.get('bond0')).toMatch(/\[ipv4\][^[]*method=auto[^[]*\[ipv6\][^[]*method=auto/);
    for (const m of ['eth1', 'eth2']) expect(profiles.get(m)).toMatch(/^slave-type=bond$/m);
    expect(profiles.get('vlan5')).toMatch(/\[vlan\][^[]*id=5\nparent=bond0/);
    expect(profiles.get('vlan5')).toMatch(/^address1=2001:db8::5\/64,2001:db8::1$/m);
  });

  it.skipIf(!fs.existsSync(SD_GEN))('systemd-network-generator makes the same network of them (flatcar)', () => {
    const r = kargs(config('flatcar 1.1.0', ''));
    expect(r.status, r.stderr).toBe(0);
    const root = path.join(tmp, 'sd');
    const gen = spawnSync(SD_GEN, ['--root', root, '--', ...r.args], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const dir = path.join(root, 'run/systemd/network');
    const read = (n: string) => fs.readFileSync(path.join(dir, n), 'utf8');
    expect(fs.readdirSync(dir).sort()).toEqual([
      '90-bond0.netdev',
      '90-bond0.network',
      '90-eth0.network',
      '90-eth1.network',
      '90-eth2.network',
      '90-vlan5.netdev',
      '90-vlan5.network',
    ]);
    expect(read('90-eth0.network')).toMatch(
      /Address=192\.0\.2\.10\/24[\s\S]*Destination=10\.0\.0\.0\/8\nGateway=192\.0\.2\.254[\s\S]*\[Route\]\nGateway=192\.0\.2\.1/,
    );
    expect(read('90-eth0.network')).toMatch(/^MTUBytes=1400$/m);
    expect(read('90-eth0.network')).toMatch(/^DNS=192\.0\.2\.53\nDNS=192\.0\.2\.54$/m);
    expect(read('90-bond0.network')).toMatch(/^DHCP=yes$/m);
    expect(read('90-bond0.network')).toMatch(/^VLAN=vlan5$/m);
    expect(read('90-eth1.network')).toMatch(/^Bond=bond0$/m);
    expect(read('90-vlan5.netdev')).toMatch(/\[VLAN\]\nId=5/);
    expect(read('90-vlan5.network')).toMatch(/Address=2001:db8::5\/64[\s\S]*Gateway=2001:db8::1/);
  });

  it('says where and why the section does not fit, and prints nothing', () => {
    const flatcar = kargs(config('flatcar 1.1.0'));
    expect(flatcar.status).toBe(1);
    expect(flatcar.args).toEqual([]);
    expect(flatcar.stderr).toContain(':18:19: error: not expressible as kernel arguments: bond0: systemd-network-generator ignores the options of bond=');
    const r = kargs(`variant: kindling
version: 1.0.0
base: fcos 1.6.0
network:
  ethernets:
    lan:
      match: {macaddress: "52:54:00:12:34:56"}
      dhcp4: true
    eth0:
      addresses: [192.0.2.10/24, 192.0.2.11/24]
      nameservers: {search: [example.com]}
      routes:
        - {to: 10.0.0.0/8, via: 192.0.2.254, metric: 5}
`);
    expect(r.status).toBe(1);
    expect(r.args).toEqual([]);
    for (const want of [
      ':7:7: error: not expressible as kernel arguments: lan: an interface matched by MAC address has no name for ip=',
      ':10:18: error: not expressible as kernel arguments: eth0: ip= carries one address per interface (this one has 2)',
      ':11:29: error: not expressible as kernel arguments: eth0: no kernel argument carries DNS search domains',
      ':13:54: error: not expressible as kernel arguments: rd.route= has no metric',
    ])
      expect(r.stderr).toContain(want);
  });

  it('needs a kindling config with a network section', () => {
    const r = kargs('variant: fcos\nversion: 1.6.0\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('has no network section');
  });
});
