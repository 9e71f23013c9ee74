// The network section of `variant: kindling`: which configs carry it, the checks that point at the
// YAML line, and the files it becomes (their parsing by the real NetworkManager and
// systemd-networkd is beside this file).
import { describe, expect, it } from 'vitest';
import { transpileButane } from '../../../transpiler/transpile.js';
import { decodeDataUrl } from '../../../src/fetch/dataurl.js';
import { gunzipSync } from 'node:zlib';

const head = (base = 'fcos 1.6.0') => `variant: kindling\nversion: 1.0.0\nbase: ${base}\n`;
const errors = (yaml: string) =>
  transpileButane(yaml, { file: 'n.bu' })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.source?.line}:${d.source?.column} ${d.message}`);

function files(yaml: string): Record<string, { mode: number; text: string }> {
  const r = transpileButane(yaml, { file: 'n.bu' });
  expect(
    r.diagnostics.filter((d) => d.severity !== 'info'),
    JSON.stringify(r.diagnostics),
  ).toEqual([]);
  const out: Record<string, { mode: number; text: string }> = {};
  for (const f of (r.config!.storage as { files: { path: string; mode: number; contents: { source: string; compression?: string } }[] }).files) {
    const data = decodeDataUrl(f.contents.source).data;
    out[f.path] = { mode: f.mode, text: (f.contents.compression === 'gzip' ? gunzipSync(data) : data).toString('utf8') };
  }
  return out;
}

describe('variant: kindling', () => {
  it('is its base config plus the network section: the same output otherwise', () => {
    const body = 'storage:\n  files:\n    - path: /etc/motd\n      contents:\n        inline: hi\n';
    const plain = transpileButane(`variant: fcos\nversion: 1.6.0\n${body}`);
    const kindling = transpileButane(`${head()}${body}`);
    expect(kindling.config).toEqual(plain.config);
    expect(kindling.ignitionVersion).toBe('3.5.0');
  });

  it('keeps its base pair behaviour (flatcar filters, openshift MachineConfig)', () => {
    expect(errors(`${head('flatcar 1.1.0')}storage:\n  luks:\n    - name: a\n      device: /dev/vdb\n      clevis:\n        tpm2: true\n`)).toEqual([
      '9:9 clevis is not supported in this spec version',
    ]);
    const oc = transpileButane(`${head('openshift 4.19.0')}metadata:\n  name: n\n  labels:\n    machineconfiguration.openshift.io/role: worker\n`);
    expect(oc.machineConfig?.kind).toBe('MachineConfig');
  });

  it('needs a known base and version', () => {
    expect(errors('variant: kindling\nversion: 1.0.0\n')).toEqual(['1:10 a kindling config needs `base:`, the Butane variant and version it extends']);
    expect(errors('variant: kindling\nversion: 1.0.0\nbase: fcos\n')).toEqual(['3:7 base must name a Butane variant and its version, not `fcos`']);
    expect(errors('variant: kindling\nversion: 1.0.0\nbase: fcos 1.9.0\n')).toEqual(['3:7 No translator exists for variant fcos with version 1.9.0']);
    expect(errors('variant: kindling\nversion: 9.0.0\nbase: fcos 1.6.0\n')).toEqual(['2:10 No translator exists for variant kindling with version 9.0.0']);
  });

  it('plain Butane variants keep warning about network as an unused key, as Butane does', () => {
    const r = transpileButane('variant: fcos\nversion: 1.6.0\nnetwork:\n  ethernets: {}\n', { strict: true });
    expect(r.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual(['warning: unused key network']);
    expect(r.config).toBeUndefined();
  });
});

describe('network section checks point at the YAML line', () => {
  const net = (body: string) => `${head()}network:\n${body}`;

  it('an address without a prefix', () => {
    expect(errors(net('  ethernets:\n    eth0:\n      addresses:\n        - 192.0.2.10\n'))).toEqual(['8:11 address 192.0.2.10 has no prefix length']);
  });

  it('a gateway outside every address subnet, or without an address', () => {
    expect(errors(net('  ethernets:\n    eth0:\n      addresses: [192.0.2.10/24]\n      gateway4: 198.51.100.1\n'))).toEqual([
      '8:17 gateway 198.51.100.1 is outside every subnet of eth0 (192.0.2.10/24)',
    ]);
    expect(errors(net('  ethernets:\n    eth0:\n      addresses: [192.0.2.10/24]\n      routes:\n        - to: default\n          via: 10.0.0.1\n'))).toEqual([
      '10:16 gateway 10.0.0.1 is outside every subnet of eth0 (192.0.2.10/24)',
    ]);
    expect(errors(net('  ethernets:\n    eth0:\n      gateway6: "2001:db8::1"\n'))).toEqual([
      '7:17 gateway 2001:db8::1 is unreachable: eth0 has no IPv6 address',
    ]);
    // on-link, DHCP and IPv6 link-local gateways are accepted.
    expect(
      errors(net('  ethernets:\n    eth0:\n      addresses: [192.0.2.10/24]\n      routes:\n        - {to: default, via: 10.0.0.1, on-link: true}\n')),
    ).toEqual([]);
    expect(errors(net('  ethernets:\n    eth0:\n      dhcp4: true\n      gateway4: 10.0.0.1\n      gateway6: "fe80::1"\n'))).toEqual([]);
  });

  it('duplicate interface names', () => {
    expect(errors(net('  ethernets:\n    eth0: {dhcp4: true}\n  bonds:\n    eth0:\n      interfaces: [eth1]\n'))).toContain(
      '8:5 interface `eth0` is defined twice (also under network.ethernets)',
    );
    expect(errors(net('  ethernets:\n    eth0: {dhcp4: true}\n    lan:\n      match: {name: eth0}\n      dhcp4: true\n'))).toEqual([
      '8:7 interface name eth0 is configured twice: by eth0 and by lan',
    ]);
    expect(errors(net('  ethernets:\n    eth0: {dhcp4: true}\n    eth0: {dhcp6: true}\n'))).toEqual([
      '7:5 duplicate key `eth0`: it is already defined at line 6 column 5',
    ]);
  });

  it('a bond without members', () => {
    expect(errors(net('  bonds:\n    bond0:\n      dhcp4: true\n'))).toEqual(['6:5 bond bond0 has no members']);
    expect(errors(net('  bonds:\n    bond0:\n      interfaces: []\n'))).toEqual(['7:19 bond bond0 has no members']);
    expect(errors(net('  bonds:\n    bond0:\n      interfaces: [eth9]\n'))).toEqual(['7:20 bond bond0 lists eth9, which is not defined']);
  });

  it('a VLAN id out of range', () => {
    expect(errors(net('  ethernets:\n    eth0: {}\n  vlans:\n    v5:\n      id: 4095\n      link: eth0\n'))).toEqual(['9:11 VLAN id 4095 is out of range']);
    expect(errors(net('  ethernets:\n    eth0: {}\n  vlans:\n    v5:\n      id: -1\n      link: eth0\n'))).toEqual(['9:11 VLAN id -1 is out of range']);
    expect(errors(net('  vlans:\n    v5:\n      id: 5\n      link: eth9\n'))).toEqual(['8:13 VLAN v5 runs on eth9, which is not defined']);
  });

  it('type errors and unknown keys use the Butane decoder', () => {
    const r = transpileButane(net('  ethernets:\n    eth0:\n      dhcp4: maybe\n      dhcp5: true\n'), { file: 'n.bu' });
    expect(r.diagnostics.map((d) => `${d.severity} ${d.source?.line}: ${d.message} ${d.hint ?? ''}`.trim())).toEqual([
      'error 7: dhcp4 must be a boolean, not `maybe` use true or false',
      'warning 8: unused key dhcp5 did you mean `dhcp4`?',
    ]);
  });

  it('the generated files are traced to the interface entry', () => {
    const r = transpileButane(net('  ethernets:\n    eth0:\n      dhcp4: true\n'), { file: 'n.bu' });
    expect(r.sourceOf!(['storage', 'files', 0, 'contents', 'source'])).toMatchObject({ file: 'n.bu', line: 7 });
  });
});

describe('rendering', () => {
  const cfg = `network:
  ethernets:
    eth0:
      addresses: [192.0.2.10/24]
      gateway4: 192.0.2.1
      nameservers: {addresses: [192.0.2.53], search: [example.com]}
    eth1: {}
  bonds:
    bond0:
      interfaces: [eth1]
      parameters: {mode: active-backup, primary: eth1}
      dhcp6: true
`;

  it('NetworkManager keyfiles for fcos, rhcos (openshift), r4e and fiot, mode 0600', () => {
    for (const base of ['fcos 1.6.0', 'r4e 1.1.0', 'fiot 1.0.0']) {
      const f = files(head(base) + cfg);
      expect(Object.keys(f).sort()).toEqual(['bond0', 'eth0', 'eth1'].map((n) => `/etc/NetworkManager/system-connections/${n}.nmconnection`));
      for (const x of Object.values(f)) expect(x.mode).toBe(0o600);
    }
    const f = files(head() + cfg);
    expect(f['/etc/NetworkManager/system-connections/eth0.nmconnection'].text).toBe(
      '[connection]\nid=eth0\nuuid=dba0a89e-c9ed-5f4b-995d-6d736343eb30\ntype=ethernet\ninterface-name=eth0\n\n' +
        '[ipv4]\nmethod=manual\naddress1=192.0.2.10/24\ngateway=192.0.2.1\ndns=192.0.2.53;\ndns-search=example.com;\n\n[ipv6]\nmethod=link-local\n',
    );
    expect(f['/etc/NetworkManager/system-connections/eth1.nmconnection'].text).toContain('master=bond0\nslave-type=bond\n');
  });

  it('systemd-networkd files for flatcar, mode 0644', () => {
    const f = files(head('flatcar 1.1.0') + cfg);
    expect(Object.keys(f).sort()).toEqual(
      ['10-bond0.netdev', '10-bond0.network', '10-eth0.network', '10-eth1.network'].map((n) => `/etc/systemd/network/${n}`),
    );
    for (const x of Object.values(f)) expect(x.mode).toBe(0o644);
    expect(f['/etc/systemd/network/10-eth1.network'].text).toBe('[Match]\nName=eth1\n\n[Network]\nBond=bond0\nPrimarySlave=yes\n');
    expect(f['/etc/systemd/network/10-bond0.netdev'].text).toBe('[NetDev]\nName=bond0\nKind=bond\n\n[Bond]\nMode=active-backup\n');
  });

  it('a file the user writes at the same path wins over the generated one', () => {
    const r = transpileButane(
      head() +
        cfg +
        'storage:\n  files:\n    - path: /etc/NetworkManager/system-connections/eth0.nmconnection\n      mode: 0600\n      contents:\n        inline: mine\n',
    );
    const eth0 = (r.config!.storage as { files: { path: string; contents: { source: string } }[] }).files.find((x) => x.path.endsWith('eth0.nmconnection'));
    expect(eth0?.contents.source).toBe('data:,mine');
  });
});

describe('editor schema of the kindling variant', () => {
  it('accepts the network section over its base, rejects typos, and plain Butane schemas reject it', async () => {
    const { default: Ajv } = await import('ajv');
    const { parse } = await import('yaml');
    const { kindlingSchemas, butaneSchemas } = await import('../../../transpiler/butane/schema.js');
    const { networkConfig } = await import('./netns.js');
    const ajv = new Ajv({ allErrors: true, strict: false });
    const v = ajv.compile(kindlingSchemas()['schema/kindling/1.0.0/fcos-1.6.0.json'] as object);
    const doc = parse(networkConfig('fcos 1.6.0')) as Record<string, unknown>;
    expect(v(doc), JSON.stringify(v.errors)).toBe(true);
    const typo = parse(networkConfig('fcos 1.6.0').replace('gateway4:', 'gatway4:'));
    expect(v(typo)).toBe(false);
    expect(v({ ...doc, base: 'flatcar 1.1.0' })).toBe(false);
    const fcos = ajv.compile(butaneSchemas()['schema/butane/fcos-1.6.0.json'] as object);
    expect(fcos({ variant: 'fcos', version: '1.6.0', network: doc.network })).toBe(false);
  });
  it('says what each network field is, offers interface snippets, and is in the catalog', async () => {
    const { kindlingSchemas, schemaCatalog } = await import('../../../transpiler/butane/schema.js');
    type Def = { properties: Record<string, { markdownDescription?: string }>; defaultSnippets?: { label: string }[] };
    const s = kindlingSchemas()['schema/kindling/1.0.0/fcos-1.6.0.json'] as { definitions: Record<string, Def> };
    const d = s.definitions;
    expect(d.Config.properties.base.markdownDescription).toMatch(/^\*\*base\*\*: `fcos 1\.6\.0`/);
    expect(d.NetEthernet.properties.gateway4.markdownDescription).toMatch(/^\*\*gateway4\*\* \(`string`\)[\s\S]*Kindling section/);
    expect(d.Network.properties.ethernets.markdownDescription).toContain('`map of NetEthernet`');
    expect(d.NetEthernet.defaultSnippets?.map((x) => x.label)).toEqual(['ethernet with a static address', 'ethernet by DHCP']);
    const catalog = schemaCatalog(['3.5.0']) as { schemas: { name: string; url: string; versions: Record<string, string> }[] };
    const k = catalog.schemas.find((x) => x.name === 'Kindling 1.0.0');
    expect(k?.url).toBe('https://kindling.dev/schema/kindling/1.0.0/fcos-1.7.0.json');
    expect(k?.versions['flatcar 1.1.0']).toBe('https://kindling.dev/schema/kindling/1.0.0/flatcar-1.1.0.json');
  });
});
