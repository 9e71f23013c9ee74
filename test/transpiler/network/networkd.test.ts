// The systemd-networkd files of the network section (Flatcar base), read by the real
// systemd-networkd (Debian's systemd) from a root that `kindling apply` wrote them into: its
// parser finds nothing to warn about in them (a control file with a bad key shows that it would),
// and the interfaces that exist in the test's network namespace get configured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kindling } from '../../cli/helpers.js';
import { netnsUnavailable, networkConfig, runInNetns, VETHS, type NetnsRun } from './netns.js';

const skip = netnsUnavailable('networkd');
if (skip) console.log(`systemd-networkd tests skipped: ${skip}`);

const CONFIG = networkConfig('flatcar 1.1.0');

describe.skipIf(!!skip)('network section → systemd-networkd files, read by systemd-networkd', () => {
  let tmp: string;
  let run: NetnsRun;
  const dir = () => path.join(tmp, 'root/etc/systemd/network');

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-networkd-'));
    fs.mkdirSync(path.join(tmp, 'root'));
    fs.writeFileSync(path.join(tmp, 'net.bu'), CONFIG);
    const applied = kindling(['apply', '--root', path.join(tmp, 'root'), path.join(tmp, 'net.bu')]);
    expect(applied.status, applied.stderr).toBe(0);
    fs.writeFileSync(path.join(dir(), '99-control.network'), '[Match]\nName=nothing\n\n[Network]\nBogusKey=1\n');
    run = runInNetns(
      'networkd',
      dir(),
      VETHS,
      ['echo "== addresses"; ip -br addr', 'echo "== links"; ip -o link', 'echo "== routes"; ip route'],
      'ip route | grep -q "^10.0.0.0/8" && ip -br addr show br0 | grep -q 203.0.113.2',
    );
  }, 90_000);
  afterAll(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes a .network per interface and a .netdev per virtual device, mode 0644', () => {
    const names = fs
      .readdirSync(dir())
      .filter((n) => n.startsWith('10-'))
      .sort();
    expect(names).toEqual([
      '10-bond0.netdev',
      '10-bond0.network',
      '10-br0.netdev',
      '10-br0.network',
      '10-eth0.network',
      '10-eth1.network',
      '10-eth2.network',
      '10-eth3.network',
      '10-lan.network',
      '10-vlan10.netdev',
      '10-vlan10.network',
      '10-vlan20.netdev',
      '10-vlan20.network',
      '10-wild.network',
    ]);
    for (const n of names) expect(fs.statSync(path.join(dir(), n)).mode & 0o777, n).toBe(0o644);
  });

  it('parses every generated file without a warning (and warns about the control)', () => {
    const parserLines = run.log.split('\n').filter((l) => /^\/etc\/systemd\/network\/[^:]+:\d+: /.test(l));
    expect(parserLines.filter((l) => l.includes('99-control'))).toHaveLength(1);
    expect(
      parserLines.filter((l) => !l.includes('99-control')),
      run.log,
    ).toEqual([]);
    expect(run.log).not.toMatch(/10-[a-z0-9]+\.(network|netdev).*(ignoring|invalid|Failed to parse)/i);
  });

  it('configures eth0 with its addresses, gateway and routes', () => {
    const addrs = run.out.split('== addresses\n')[1] ?? '';
    expect(addrs, run.log).toMatch(/^eth0@peer0\s+UP\s+192\.0\.2\.10\/24 2001:db8::10\/64/m);
    const routes = run.out.split('== routes\n')[1] ?? '';
    expect(routes).toMatch(/^default via 192\.0\.2\.1 dev eth0/m);
    expect(routes).toMatch(/^10\.0\.0\.0\/8 via 192\.0\.2\.254 dev eth0 proto static metric 100/m);
    expect(routes).toMatch(/^172\.16\.0\.0\/12 via 198\.18\.0\.1 dev eth0 .*onlink/m);
    expect(run.out).toMatch(/eth0@peer0: .*mtu 1400/);
  });

  it('creates the bridge from its .netdev, puts eth3 in it and gives it its address', () => {
    expect(run.out).toMatch(/br0: .*mtu 1450/);
    expect(run.out).toMatch(/eth3@peer3: .* master br0/);
    expect(run.out.split('== addresses\n')[1] ?? '').toMatch(/^br0\s+\S+\s+203\.0\.113\.2\/24/m);
  });
});
