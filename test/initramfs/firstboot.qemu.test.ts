// First boots for real: Debian's kernel under QEMU (TCG), the initramfs `npm run build:initramfs`
// makes with dracut and the 30kindling module, a busybox root disk (no kindling in it: its init
// prints what it finds and powers off) and a blank disk. The host checks the images afterwards.
// Boot and stage times come from the console and are printed with each scenario.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gptImage } from '../../initramfs/qemu/images.js';
import { makeRootTree } from '../../initramfs/qemu/rootfs.js';
import { httpServer, type TestServer } from '../fetch/helpers.js';
import {
  BootLab,
  bootUnavailable,
  PARALLEL_GUESTS,
  expectBootWentOn,
  ext4Read,
  ext4Stat,
  extractPartition,
  FIRSTBOOT,
  GUEST_TIMEOUT_MS,
  gptPartitions,
  probeOutput,
  reachedRootInit,
  shown,
} from './harness.js';

const unavailable = bootUnavailable();
if (unavailable) console.warn(`skipping first boots under QEMU: ${unavailable}`);

const CLI = path.resolve('dist/kindling.cjs');
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKindlingTestKeyKindlingTestKeyKindlin test@kindling';
// A scenario may wait for the guests before it (at most PARALLEL_GUESTS run at once).
const TEST_TIMEOUT = Math.ceil(7 / PARALLEL_GUESTS + 1) * GUEST_TIMEOUT_MS + 60_000;
const FW_CFG = 'opt/com.coreos/config';
const dataUrl = (s: string) => `data:,${encodeURIComponent(s)}`;
const kindling = (args: string[]) => execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

// Concurrent: the scenarios share one initramfs and the boot slots of the lab.
describe.skipIf(!!unavailable).concurrent('first boots under QEMU with the dracut initramfs', () => {
  // Made in beforeAll, so that a skipped suite leaves no scratch directory behind.
  let lab: BootLab;
  let server: TestServer;
  const requests: string[] = [];
  const served = new Map<string, string>();

  beforeAll(async () => {
    lab = new BootLab();
    const b = lab.build();
    console.log(`initramfs: ${(b.bytes / 1048576).toFixed(1)} MiB, built by dracut in ${b.seconds.toFixed(1)} s for ${b.kernel.version}`);
    server = await httpServer((req, res) => {
      requests.push(req.url ?? '');
      const body = served.get((req.url ?? '').replace(/\?.*/, ''));
      res.writeHead(body === undefined ? 404 : 200).end(body ?? 'not found');
    });
  }, 600_000);

  afterAll(async () => {
    if (lab) console.log(`boot timings (wall clock from QEMU start):\n${lab.timings.join('\n')}`);
    await server?.close();
    lab?.cleanup();
  });

  const scenario = (title: string, fn: () => Promise<void>) => it(title, fn, TEST_TIMEOUT);

  /** The guest reaches the host's 127.0.0.1 server as 10.0.2.2 (QEMU user networking). */
  const guestUrl = (p: string) => `http://10.0.2.2:${server.port}${p}`;

  scenario(
    '1: qemu platform, config through fw_cfg: partitions, a filesystem at a mount path, LUKS2 with a key file, a user with an SSH key, files, a unit with a dropin',
    async () => {
      const dir = lab.scratch('fwcfg');
      const root = lab.rootImage(dir, {
        probe: [
          'echo "mapper: $(ls /dev/mapper | tr "\\n" " ")"',
          'mkdir -p /mnt/s && mount -o ro /dev/mapper/secret /mnt/s && echo "inside-luks: $(cat /mnt/s/inside.txt)"',
        ].join('\n'),
      });
      const blank = lab.blankDisk(dir);
      const key = 'luks-key-file-contents-0123456789';
      const config = {
        ignition: { version: '3.4.0' },
        storage: {
          disks: [
            {
              device: '/dev/vdb',
              wipeTable: true,
              partitions: [
                { number: 1, label: 'data', sizeMiB: 64 },
                { number: 2, label: 'secret', sizeMiB: 64 },
              ],
            },
          ],
          // The options (Ignition passes them to luksFormat) skip cryptsetup's key-derivation benchmark,
          // which under emulation took most of the boot (disks 50-90 s of a 240 s budget).
          luks: [
            {
              name: 'secret',
              device: '/dev/disk/by-partlabel/secret',
              keyFile: { source: dataUrl(key) },
              wipeVolume: true,
              options: ['--pbkdf', 'pbkdf2', '--pbkdf-force-iterations', '1000'],
            },
          ],
          filesystems: [
            { device: '/dev/disk/by-partlabel/data', format: 'ext4', label: 'DATA', path: '/var/data', wipeFilesystem: true },
            { device: '/dev/mapper/secret', format: 'ext4', label: 'SECRET', path: '/var/secret', wipeFilesystem: true },
          ],
          files: [
            { path: '/etc/motd', mode: 0o644, contents: { source: dataUrl('provisioned by kindling\n') } },
            { path: '/var/data/hello.txt', contents: { source: dataUrl('on the data partition\n') } },
            { path: '/var/secret/inside.txt', contents: { source: dataUrl('inside the LUKS volume') } },
          ],
        },
        passwd: { users: [{ name: 'core', sshAuthorizedKeys: [SSH_KEY] }] },
        systemd: {
          units: [
            {
              name: 'hello.service',
              enabled: true,
              contents: '[Unit]\nDescription=Hello\n[Service]\nExecStart=/bin/echo hello\n[Install]\nWantedBy=multi-user.target\n',
              dropins: [{ name: '10-env.conf', contents: '[Service]\nEnvironment=GREETING=hi\n' }],
            },
          ],
        },
      };
      const cfg = path.join(dir, 'config.ign');
      fs.writeFileSync(cfg, JSON.stringify(config));
      const r = await lab.boot('1-fwcfg', { args: FIRSTBOOT('qemu'), disks: [root, blank], fwCfg: [{ name: FW_CFG, file: cfg }] });
      expectBootWentOn(r);

      // Root disk: files, the user and its key, the unit, its dropin and preset, crypttab and key file.
      expect(ext4Read(root, '/etc/motd')?.toString()).toBe('provisioned by kindling\n');
      expect(ext4Read(root, '/etc/passwd')?.toString()).toMatch(/^core:x:1000:\d+::\/home\/core:/m);
      expect(ext4Read(root, '/home/core/.ssh/authorized_keys.d/ignition')?.toString()).toContain(SSH_KEY);
      expect(ext4Stat(root, '/home/core')?.uid).toBe(1000);
      expect(ext4Read(root, '/etc/systemd/system/hello.service')?.toString()).toContain('ExecStart=/bin/echo hello');
      expect(ext4Read(root, '/etc/systemd/system/hello.service.d/10-env.conf')?.toString()).toContain('GREETING=hi');
      expect(ext4Read(root, '/etc/systemd/system-preset/20-ignition.preset')?.toString()).toContain('enable hello.service');
      expect(ext4Read(root, '/etc/crypttab')?.toString()).toMatch(/^secret UUID=[0-9a-f-]+ \/etc\/luks\/secret luks/m);
      expect(ext4Read(root, '/etc/luks/secret')?.toString()).toBe(key);
      expect(ext4Stat(root, '/etc/luks/secret')?.mode).toBe('600');
      expect(ext4Stat(root, '/etc/luks')?.mode).toBe('700');
      expect(ext4Read(root, '/etc/.ignition-result.json')?.toString()).toMatch(/"provisioningDate"/);

      // Blank disk: the two partitions, ext4 with the file on one, LUKS2 opened by the key on the other.
      const parts = gptPartitions(blank);
      expect(parts.map((p) => [p.number, p.name])).toEqual([
        [1, 'data'],
        [2, 'secret'],
      ]);
      const data = extractPartition(blank, parts[0], path.join(dir, 'data.img'));
      expect(ext4Read(data, '/hello.txt')?.toString()).toBe('on the data partition\n');
      const secret = extractPartition(blank, parts[1], path.join(dir, 'secret.img'));
      expect(execFileSync('cryptsetup', ['luksDump', secret], { encoding: 'utf8' })).toMatch(/^Version:\s+2$/m);
      expect(execFileSync('cryptsetup', ['luksDump', secret], { encoding: 'utf8' })).toMatch(/PBKDF:\s+pbkdf2/);
      fs.writeFileSync(path.join(dir, 'key'), key);
      expect(spawnSync('cryptsetup', ['open', '--test-passphrase', '--key-file', path.join(dir, 'key'), secret]).status).toBe(0);
      // Inside the LUKS volume, as the root's init saw it (the host may lack device-mapper).
      expect(probeOutput(r.console)).toContain('inside-luks: inside the LUKS volume');
    },
  );

  scenario(
    '2: metal platform, config from ignition.config.url over the network: merges a remote config, fetches a file verified by sha512; the network comes up only because the config needs it',
    async () => {
      const dir = lab.scratch('network');
      const root = lab.rootImage(dir);
      const payload = 'fetched over HTTP and verified\n';
      served.set('/net/payload.txt', payload);
      served.set(
        '/net/extra.ign',
        JSON.stringify({
          ignition: { version: '3.4.0' },
          storage: { files: [{ path: '/etc/merged.txt', contents: { source: dataUrl('from the merged config\n') } }] },
        }),
      );
      served.set(
        '/net/user.ign',
        JSON.stringify({
          ignition: { version: '3.4.0', config: { merge: [{ source: guestUrl('/net/extra.ign') }] } },
          storage: {
            files: [
              {
                path: '/etc/remote.txt',
                contents: { source: guestUrl('/net/payload.txt'), verification: { hash: `sha512-${createHash('sha512').update(payload).digest('hex')}` } },
              },
            ],
          },
        }),
      );
      // ip= says how to configure the NIC; nothing on the command line asks for networking
      // (no rd.neednet=1): fetch-offline finds the config is remote and touches the neednet flag.
      const r = await lab.boot('2-network', {
        args: [...FIRSTBOOT('metal'), `ignition.config.url=${guestUrl('/net/user.ign')}`, 'ip=dhcp'],
        disks: [root, lab.blankDisk(dir, 16)],
        net: true,
      });
      expectBootWentOn(r);
      expect(r.console).toMatch(/Finished kindling-network\.service/);
      expect(r.console).toMatch(/Finished kindling-fetch\.service/);
      expect(requests.filter((u) => u.startsWith('/net/'))).toEqual(expect.arrayContaining(['/net/user.ign', '/net/extra.ign', '/net/payload.txt']));
      expect(ext4Read(root, '/etc/remote.txt')?.toString()).toBe(payload);
      expect(ext4Read(root, '/etc/merged.txt')?.toString()).toBe('from the merged config\n');
    },
  );

  scenario('3: PXE: the config in an initrd made by kindling initrd wrap, appended to the initramfs', async () => {
    const dir = lab.scratch('pxe');
    const root = lab.rootImage(dir);
    const cfg = path.join(dir, 'pxe.ign');
    fs.writeFileSync(
      cfg,
      JSON.stringify({
        ignition: { version: '3.4.0' },
        storage: { files: [{ path: '/etc/pxe.txt', contents: { source: dataUrl('delivered by PXE\n') } }] },
        passwd: { users: [{ name: 'pxeuser' }] },
      }),
    );
    const wrapped = path.join(dir, 'config.img');
    kindling(['initrd', 'wrap', '-i', cfg, '-o', wrapped]);
    // What a PXE server does with two initrds: one after the other, each 4-byte aligned.
    const base = fs.readFileSync(lab.initramfs!.out);
    const combined = path.join(dir, 'initramfs+config.img');
    fs.writeFileSync(combined, Buffer.concat([base, Buffer.alloc((4 - (base.length % 4)) % 4), fs.readFileSync(wrapped)]));
    expect(kindling(['initrd', 'unwrap', combined])).toBe(fs.readFileSync(cfg, 'utf8'));

    const r = await lab.boot('3-pxe', { args: FIRSTBOOT('metal'), disks: [root, lab.blankDisk(dir, 16)], initrd: combined });
    expectBootWentOn(r);
    expect(r.console).toContain('the config appended to the initramfs (/config.ign)');
    expect(ext4Read(root, '/etc/pxe.txt')?.toString()).toBe('delivered by PXE\n');
    expect(ext4Read(root, '/etc/passwd')?.toString()).toMatch(/^pxeuser:/m);
  });

  scenario('4: installer: the config placed on the boot partition by kindling embed (kernel arguments from its BLS entry)', async () => {
    const dir = lab.scratch('embed');
    const bootTree = path.join(dir, 'boot-tree');
    fs.mkdirSync(path.join(bootTree, 'loader/entries'), { recursive: true });
    fs.writeFileSync(path.join(bootTree, 'loader/entries/test.conf'), 'title Test OS\nlinux /vmlinuz\noptions root=LABEL=root rw ignition.platform.id=qemu\n');
    const rootTree = path.join(dir, 'root-tree');
    makeRootTree(rootTree);
    const disk = path.join(dir, 'os.img');
    gptImage(disk, 96, [
      { label: 'boot', mib: 16, dir: bootTree },
      { label: 'root', dir: rootTree },
    ]);
    const cfg = path.join(dir, 'embedded.bu');
    fs.writeFileSync(
      cfg,
      'variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /etc/embedded.txt\n      contents:\n        inline: embedded by the installer\n',
    );
    kindling(['embed', '--config', cfg, '--platform', 'metal', disk]);

    // The boot loader's part: the options of the entry, plus the first-boot flag.
    const parts = gptPartitions(disk);
    const bootFs = extractPartition(disk, parts[0], path.join(dir, 'boot.img'));
    const options = /^options (.*)$/m.exec(ext4Read(bootFs, '/loader/entries/test.conf')!.toString())![1].split(' ');
    expect(options).toContain('ignition.platform.id=metal');
    const r = await lab.boot('4-embed', { args: ['ignition.firstboot', ...options], disks: [disk, lab.blankDisk(dir, 16)] });
    expectBootWentOn(r);
    expect(r.console).toContain('ignition/config.ign from the boot filesystem');
    const rootFs = extractPartition(disk, parts[1], path.join(dir, 'root-part.img'));
    expect(ext4Read(rootFs, '/etc/embedded.txt')?.toString()).toBe('embedded by the installer');
  });

  scenario(
    '5: failure: a remote file with a wrong hash fails the files stage, emergency.target powers off, the summary shows no secret, the root init never runs',
    async () => {
      const dir = lab.scratch('failure');
      const root = lab.rootImage(dir);
      served.set('/fail/payload', 'the real payload\n');
      const secrets = ['T0PSECRET-query-token', 'HEADERSECRET-bearer', '$6$saltsaltSECRET$'];
      served.set(
        '/fail/user.ign',
        JSON.stringify({
          ignition: { version: '3.4.0' },
          passwd: { users: [{ name: 'core', passwordHash: `${secrets[2]}hashhashhash` }] },
          storage: {
            files: [
              {
                path: '/etc/payload',
                contents: {
                  source: guestUrl(`/fail/payload?token=${secrets[0]}`),
                  httpHeaders: [{ name: 'Authorization', value: `Bearer ${secrets[1]}` }],
                  verification: { hash: `sha512-${'0'.repeat(128)}` },
                },
              },
            ],
          },
        }),
      );
      const r = await lab.boot('5-failure', {
        args: [...FIRSTBOOT('metal'), `ignition.config.url=${guestUrl('/fail/user.ign')}`, 'ip=dhcp'],
        disks: [root, lab.blankDisk(dir, 16)],
        net: true,
      });
      expect(r.timedOut, `the guest must power itself off\n${shown(r)}`).toBe(false);
      expect(r.console, shown(r)).toMatch(/Failed to start kindling-files\.service/);
      expect(r.console).toMatch(/Reached target emergency\.target/);
      expect(reachedRootInit(r), shown(r)).toBe(false);
      const summary = r.console.slice(r.console.indexOf('=== Kindling: first boot failed ==='));
      expect(summary, shown(r)).toMatch(/^Kindling failed in stage files: /m);
      // The operation names the source with its query redacted.
      expect(summary).toMatch(/^ {2}operation +write \/etc\/payload from http:\/\/10\.0\.2\.2:\d+\/fail\/payload\?token=REDACTED/m);
      expect(summary).toMatch(/^ {2}config +\$\.storage\.files\.0\.contents/m);
      expect(summary).toMatch(/hint +the fetched data does not match verification\.hash/);
      for (const s of secrets) expect(r.console, `secret ${s} on the console`).not.toContain(s);
      expect(ext4Read(root, '/etc/payload')).toBeUndefined();
    },
  );

  scenario('6: Butane YAML through fw_cfg is accepted as the user config (with a NIC and ip=dhcp, the network stays down)', async () => {
    const dir = lab.scratch('butane');
    const root = lab.rootImage(dir);
    const bu = path.join(dir, 'config.bu');
    fs.writeFileSync(
      bu,
      'variant: fcos\nversion: 1.5.0\npasswd:\n  users:\n    - name: yamluser\nstorage:\n  files:\n    - path: /etc/from-yaml.txt\n      contents:\n        inline: Butane, read at boot\n',
    );
    const r = await lab.boot('6-butane', {
      args: [...FIRSTBOOT('qemu'), 'ip=dhcp'],
      disks: [root, lab.blankDisk(dir, 16)],
      fwCfg: [{ name: FW_CFG, file: bu }],
      net: true,
    });
    expectBootWentOn(r);
    expect(ext4Read(root, '/etc/from-yaml.txt')?.toString()).toBe('Butane, read at boot');
    expect(ext4Read(root, '/etc/passwd')?.toString()).toMatch(/^yamluser:/m);
    expect(r.console).not.toMatch(/Starting (kindling-network|systemd-networkd)\.service/);
  });

  scenario('7: a later boot (no ignition.firstboot) runs none of the units and goes on', async () => {
    const dir = lab.scratch('second');
    const root = lab.rootImage(dir);
    const blank = lab.blankDisk(dir, 16);
    const config = JSON.stringify({
      ignition: { version: '3.4.0' },
      storage: { disks: [{ device: '/dev/vdb', wipeTable: true }], files: [{ path: '/etc/should-not-exist', contents: { source: 'data:,x' } }] },
    });
    const cfg = path.join(dir, 'config.ign');
    fs.writeFileSync(cfg, config);
    const karg = kindling(['karg', cfg]).trim();
    const r = await lab.boot('7-second-boot', { args: ['ignition.platform.id=metal', karg], disks: [root, blank] });
    expectBootWentOn(r);
    expect(r.console).toMatch(/Reached target kindling-subsequent\.target/);
    expect(r.console).not.toMatch(/Starting kindling-[a-z-]+\.service/);
    expect(ext4Read(root, '/etc/should-not-exist')).toBeUndefined();
    expect(fs.readFileSync(blank).every((b) => b === 0)).toBe(true);
  });
});
