// kindling plan: the newcomer's `npm start` (check the bundled example, then what a first boot
// would do with it), and the storage description it uses.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/generated/types.js';
import { realHost, type Host } from '../../src/host/host.js';
import { describeStorage, previewFirstBoot } from '../../src/preview/first-boot.js';

const CLI = path.resolve('dist/kindling.cjs');
const plan = (args: string[], input?: string, env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, 'plan', ...args], { encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1', ...env } });

describe('describeStorage', () => {
  it('one line per disk, partition, array, volume and filesystem, each with its config path', () => {
    const config = {
      ignition: { version: '3.5.0' },
      storage: {
        disks: [
          {
            device: '/dev/vdb',
            wipeTable: true,
            partitions: [
              { number: 1, label: 'a', sizeMiB: 100 },
              { label: 'b', startMiB: 200 },
              { number: 3, shouldExist: false },
            ],
          },
        ],
        raid: [{ name: 'md0', level: 'raid1', devices: ['/dev/vdc', '/dev/vdd'], spares: 1 }],
        luks: [{ name: 'secret', device: '/dev/vdb1', keyFile: { source: 'data:,k' }, clevis: { tpm2: true }, wipeVolume: true }],
        filesystems: [{ device: '/dev/mapper/secret', format: 'ext4', label: 'S', path: '/var/s', wipeFilesystem: true }],
      },
    } as Config;
    expect(describeStorage(config).map((s) => `${s.text} @${s.configPath?.join('.')}`)).toEqual([
      'disk /dev/vdb: wipe the partition table @storage.disks.0',
      '  partition 1 "a": at the first free place, 100 MiB @storage.disks.0.partitions.0',
      '  partition (next free) "b": at 200 MiB, the largest free extent @storage.disks.0.partitions.1',
      '  partition 3: delete @storage.disks.0.partitions.2',
      'RAID raid1 /dev/md/md0 from /dev/vdc, /dev/vdd (1 spare) @storage.raid.0',
      'LUKS2 volume secret on /dev/vdb1, unlocked by a key file and the TPM2 (wiped first) @storage.luks.0',
      'ext4 "S" on /dev/mapper/secret (wiped first), mounted at /var/s @storage.filesystems.0',
    ]);
    expect(describeStorage({ ignition: { version: '3.5.0' } } as Config)).toEqual([]);
  });
});

describe('previewFirstBoot', () => {
  it("plans the files stage against a fresh root in memory, touching none of this machine's files", async () => {
    const touched: string[] = [];
    const fsTrap = new Proxy({} as Host['fs'], {
      get: (_, name) => () => {
        touched.push(String(name));
        throw new Error(`fs.${String(name)} called`);
      },
    });
    const host: Host = { ...realHost(), fs: fsTrap };
    const config = {
      ignition: { version: '3.5.0' },
      passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA'] }], groups: [{ name: 'ops' }] },
      storage: {
        files: [{ path: '/etc/motd', contents: { source: 'data:,hi' }, mode: 0o644 }],
        links: [{ path: '/etc/localtime', target: '../usr/share/zoneinfo/UTC' }],
      },
      systemd: { units: [{ name: 'app.service', enabled: true, contents: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n' }] },
    } as Config;
    const files = (await previewFirstBoot(config, { host })).find((s) => s.stage === 'files')!;
    expect(touched).toEqual([]);
    expect(files.errors).toEqual([]);
    const text = files.steps.map((s) => s.text).join('\n');
    // Only root is in the fresh root's account files: the group and the user are new.
    expect(text).toMatch(/groupadd --root \/sysroot .*ops/);
    expect(text).toMatch(/useradd --root \/sysroot .*core/);
    expect(text).toContain('write /etc/motd from data:');
    expect(text).toContain('symlink /etc/localtime -> ../usr/share/zoneinfo/UTC');
    expect(text).toContain('write /etc/systemd/system/app.service');
    expect(text).toContain('write /etc/.ignition-result.json');
  });

  it('plans remote contents and kernel arguments without fetching anything', async () => {
    const config = {
      ignition: { version: '3.5.0' },
      kernelArguments: { shouldExist: ['quiet'], shouldNotExist: ['rhgb'] },
      storage: { files: [{ path: '/etc/app.conf', contents: { source: 'https://example.com/app.conf' } }] },
    } as Config;
    const sections = await previewFirstBoot(config, { host: realHost() });
    expect(sections.flatMap((s) => s.errors)).toEqual([]);
    const steps = (stage: string) => sections.find((s) => s.stage === stage)!.steps.map((s) => s.text);
    expect(steps('fetch-offline')).toEqual(['needs the network: https://example.com/app.conf']);
    expect(steps('kargs').join('\n')).toMatch(/--should-exist quiet --should-not-exist rhgb/);
    expect(steps('files').join('\n')).toContain('write /etc/app.conf from https://example.com/app.conf');
  });
});

describe.skipIf(!fs.existsSync(CLI))('kindling plan', () => {
  it('checks the bundled example and prints every stage of a first boot with the YAML lines', () => {
    const r = plan(['examples/webserver.bu']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^examples\/webserver\.bu: valid Butane YAML, transpiled to Ignition 3\.5\.0$/m);
    const stages = [...r.stdout.matchAll(/^(\S+) +\S/gm)].map((m) => m[1]).filter((s) => /^[a-z-]+$/.test(s));
    expect(stages).toEqual(['fetch-offline', 'kargs', 'disks', 'mount', 'files', 'umount']);
    expect(r.stdout).toMatch(/disk \/dev\/disk\/by-id\/virtio-data: wipe the partition table {2}\[\$\.storage\.disks\.0 \(examples\/webserver\.bu:20:7\)\]/);
    expect(r.stdout).toMatch(/useradd --root \/sysroot .* core {2}\[\$\.passwd\.users\.0 \(examples\/webserver\.bu:7:7\)\]/);
    expect(r.stdout).toMatch(/mount -o '' -t xfs \/dev\/disk\/by-partlabel\/srv \/sysroot\/var\/srv/);
    expect(r.stdout).toContain('umount /sysroot/var/srv');
    expect(r.stdout).not.toMatch(/kindling-plan-/);
  });

  it('leaves nothing in the temporary directory', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-plan-test-'));
    try {
      const r = plan(['examples/webserver.bu'], undefined, { TMPDIR: tmp });
      expect(r.status, r.stderr).toBe(0);
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('takes a platform id Ignition knows for --platform, and lists them for one it does not', () => {
    const aws = plan(['--platform', 'aws', 'examples/webserver.bu']);
    expect(aws.status, aws.stderr).toBe(0);
    expect(aws.stdout).toContain('kernel arguments: ignition.firstboot ignition.platform.id=aws');
    const bad = plan(['--platform', 'constructor', 'examples/webserver.bu']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"constructor" is not a known platform (known: akamai, aliyun,');
    expect(bad.stdout).toBe('');
  });

  it('shows what needs the network (redacted), and stops at an invalid config with its line', () => {
    const net = plan(
      ['-'],
      JSON.stringify({ ignition: { version: '3.4.0' }, storage: { files: [{ path: '/x', contents: { source: 'https://user:pw@example.com/f?sig=abc' } }] } }),
    );
    expect(net.status, net.stderr).toBe(0);
    expect(net.stdout).toMatch(/needs the network: https:\/\/.*example\.com\/f/);
    expect(net.stdout).not.toContain('pw@');
    expect(net.stdout).not.toContain('sig=abc');
    const bad = plan(['-'], 'variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: etc/motd\n');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/<stdin>:5:13: error: path not absolute/);
    expect(bad.stdout).toContain('not a valid config');
  });
});
