// Filesystems, mount/umount, LUKS, RAID and clevis/tang on real loop devices.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config, Filesystem, Storage } from '../../src/generated/types.js';
import { bindClevisOnly, planDisks, runDisks, runMount, runUmount } from '../../src/disks/index.js';
import { blkid, canLoop, hasDm, hasMd, hasTang, Lab, loopReason, sh, startTang } from './lab.js';

if (!canLoop) console.warn(`skipping loop-device filesystem tests: ${loopReason}`);
if (canLoop && !hasMd) console.warn('skipping RAID test: this kernel has no MD driver (/proc/mdstat missing) or mdadm is not installed');
if (canLoop && !hasDm)
  console.warn('LUKS reopen test skipped: no device-mapper (no device-mapper in /proc/misc); the LUKS test checks the header and the luksOpen failure instead');
if (canLoop && !hasTang) console.warn('skipping tang binding test: tang/clevis/jose not installed (apt-get install tang clevis clevis-luks)');

const cfg = (storage: Storage): Config => ({ ignition: { version: '3.5.0' }, storage });
// Fast key derivation: the default argon2 benchmark takes seconds per format.
const FAST_KDF = ['--pbkdf', 'pbkdf2', '--pbkdf-force-iterations', '1000'];

describe.skipIf(!canLoop)('filesystems, mounts and volumes on loop devices', () => {
  let lab: Lab;
  beforeEach(() => {
    lab = new Lab();
  });
  afterEach(() => lab.cleanup());

  const run = (c: Config, devices: string[], extra = {}) => runDisks(c, lab.host, { devices, deviceTimeoutMs: 5000, ...extra });
  const parts = (sizes: number[]) => sizes.map((sizeMiB, i) => ({ number: i + 1, sizeMiB }));

  it('creates each filesystem type, reuses them on a second run, and refuses a different one', async () => {
    const d = lab.disk(700);
    const p = (n: number) => `${d}p${n}`;
    const fss: Filesystem[] = [
      { device: p(1), format: 'ext4', label: 'root', uuid: '0b1c2d3e-0000-4000-8000-00000000000a' },
      { device: p(2), format: 'xfs', label: 'var', uuid: '0b1c2d3e-0000-4000-8000-00000000000b' },
      { device: p(3), format: 'btrfs', label: 'home', uuid: '0b1c2d3e-0000-4000-8000-00000000000c' },
      { device: p(4), format: 'vfat', label: 'EFI', uuid: 'AB12-CD34' },
      { device: p(5), format: 'swap', label: 'swap', uuid: '0b1c2d3e-0000-4000-8000-00000000000e' },
      { device: p(6), format: 'none' },
    ];
    const config = cfg({ disks: [{ device: d, partitions: parts([64, 320, 128, 32, 16, 8]) }], filesystems: fss });
    const first = await run(config, [d]);
    expect(first.ran.filter((a) => /^mkfs|^mkswap/.test(a[0])).length).toBe(5);
    expect(blkid(p(1))).toMatchObject({ TYPE: 'ext4', LABEL: 'root', UUID: fss[0].uuid });
    expect(blkid(p(2))).toMatchObject({ TYPE: 'xfs', LABEL: 'var', UUID: fss[1].uuid });
    expect(blkid(p(3))).toMatchObject({ TYPE: 'btrfs', LABEL: 'home', UUID: fss[2].uuid });
    expect(blkid(p(4))).toMatchObject({ TYPE: 'vfat', LABEL: 'EFI', UUID: 'AB12-CD34' });
    expect(blkid(p(5))).toMatchObject({ TYPE: 'swap', LABEL: 'swap', UUID: fss[4].uuid });
    expect(blkid(p(6)).TYPE).toBeUndefined();

    const second = await run(config, [d]);
    expect(second.ran.filter((a) => /^mkfs|^mkswap|^wipefs/.test(a[0]))).toEqual([]);

    // each type refused when something else is asked for without wipeFilesystem
    for (const [i, other] of [
      [0, 'xfs'],
      [1, 'ext4'],
      [2, 'ext4'],
      [3, 'ext4'],
      [4, 'ext4'],
    ] as const) {
      const bad = cfg({ filesystems: [{ ...fss[i], format: other, label: undefined, uuid: undefined }] });
      await expect(run(bad, [d])).rejects.toThrow(
        new RegExp(
          `^failed to create filesystems: filesystem is not of the correct type: filesystem at "${fss[i].device}" is not of the correct type, label, or UUID \\(found ${fss[i].format}, `,
        ),
      );
    }
    // format none refuses a signature unless wiped, and then only wipes it
    await expect(run(cfg({ filesystems: [{ device: p(1), format: 'none' }] }), [d])).rejects.toThrow('filesystem is not of the correct type');
    await run(cfg({ filesystems: [{ device: p(1), format: 'none', wipeFilesystem: true }] }), [d]);
    expect(blkid(p(1)).TYPE).toBeUndefined();
    // a label change with wipeFilesystem reformats
    await run(cfg({ filesystems: [{ ...fss[1], label: 'var2', uuid: undefined, wipeFilesystem: true }] }), [d]);
    expect(blkid(p(2))).toMatchObject({ TYPE: 'xfs', LABEL: 'var2' });
  });

  it('reports a failing mkfs with the command and its stderr, other disks keep their data', async () => {
    const a = lab.disk(64);
    const b = lab.disk(64);
    sh('mkfs.ext4', ['-q', '-F', '-L', 'keep', b]);
    const err = await run(cfg({ filesystems: [{ device: a, format: 'ext4', options: ['--no-such-option'] }] }), [a, b]).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /^failed to create filesystems: mkfs failed: exit status 1: Cmd: "mkfs\.ext4" "--no-such-option" "-F" ".*dev_aliases\/dev\/loop\d+" Stdout: .* Stderr: ".*(unrecognized|invalid) option/,
    );
    expect(blkid(b)).toMatchObject({ TYPE: 'ext4', LABEL: 'keep' });
  });

  it('mounts shallowest first with options, creates missing dirs, unmounts deepest first', async () => {
    const d = lab.disk(200);
    const root = path.join(lab.dir, 'sysroot');
    fs.mkdirSync(root);
    const config = cfg({
      disks: [{ device: d, partitions: parts([64, 64]) }],
      filesystems: [
        { device: `${d}p2`, format: 'ext4', path: '/var/lib/data', mountOptions: ['noatime', 'nodev'] },
        { device: `${d}p1`, format: 'ext4', path: '/' },
      ],
    });
    await run(config, [d]);
    const m = await runMount(config, lab.host, { root });
    lab.track('mount', root);
    lab.track('mount', `${root}/var/lib/data`);
    expect(m.ran).toEqual([
      ['mount', '-o', '', '-t', 'ext4', `${d}p1`, root],
      ['mount', '-o', 'noatime,nodev', '-t', 'ext4', `${d}p2`, `${root}/var/lib/data`],
    ]);
    // the directories were created inside the freshly mounted root filesystem
    expect(m.createdDirs).toEqual(['/var', '/var/lib', '/var/lib/data']);
    const line = fs
      .readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .find((l) => l.split(' ')[1] === `${root}/var/lib/data`);
    expect(line?.split(' ')[3].split(',')).toEqual(expect.arrayContaining(['noatime', 'nodev']));
    const u = await runUmount(config, lab.host, { root });
    expect(u.ran.map((a) => a[1])).toEqual([`${root}/var/lib/data`, root]);
    expect(fs.readFileSync('/proc/mounts', 'utf8')).not.toContain(root);
  });

  it('full run: partition, mkfs, mount, write, umount, then the image holds the file', async () => {
    // The files stage is another module; this writes with node:fs where it would run.
    const d = lab.disk(512);
    const root = path.join(lab.dir, 'sysroot');
    fs.mkdirSync(root);
    const config = cfg({
      disks: [
        {
          device: d,
          wipeTable: true,
          partitions: [
            { number: 1, label: 'ROOT', sizeMiB: 64 },
            { number: 2, label: 'VAR', sizeMiB: 0 },
          ],
        },
      ],
      filesystems: [
        { device: `${d}p1`, format: 'ext4', label: 'root', path: '/' },
        { device: `${d}p2`, format: 'xfs', label: 'var', path: '/var' },
      ],
    });
    await run(config, [d]);
    await runMount(config, lab.host, { root });
    lab.track('mount', root);
    lab.track('mount', `${root}/var`);
    fs.mkdirSync(`${root}/etc`);
    fs.writeFileSync(`${root}/etc/hostname`, 'kindling\n');
    fs.writeFileSync(`${root}/var/log.txt`, 'on xfs\n');
    await runUmount(config, lab.host, { root });
    lab.mount(`${d}p2`, path.join(lab.dir, 'check-var'), ['-o', 'ro']);
    lab.mount(`${d}p1`, path.join(lab.dir, 'check-root'), ['-o', 'ro']);
    expect(fs.readFileSync(path.join(lab.dir, 'check-root/etc/hostname'), 'utf8')).toBe('kindling\n');
    expect(fs.readdirSync(path.join(lab.dir, 'check-root/var'))).toEqual([]);
    expect(fs.readFileSync(path.join(lab.dir, 'check-var/log.txt'), 'utf8')).toBe('on xfs\n');
  });

  it('LUKS2 with a key file: header, crypttab line and key file; reopened when device-mapper exists', async () => {
    const d = lab.disk(64);
    const key = Buffer.from('correct horse battery staple');
    const luks = {
      name: `kindling-t${process.pid}`,
      device: d,
      keyFile: { source: 'https://example.invalid/key' },
      label: 'secret',
      uuid: '4b1c2d3e-0000-4000-8000-00000000000f',
      options: FAST_KDF,
      wipeVolume: true,
    };
    const fetched: string[] = [];
    const p = run(cfg({ luks: [luks] }), [d], {
      fetch: async (r: { source?: string }) => {
        fetched.push(r.source ?? '');
        return key;
      },
    });
    if (hasDm) {
      lab.track('mapping', luks.name);
      const res = await p;
      expect(res.crypttab).toEqual([`${luks.name} UUID=${luks.uuid} /etc/luks/${luks.name} luks,x-initrd.attach\n`]);
      expect(res.keyFiles).toEqual([{ name: luks.name, path: `/etc/luks/${luks.name}`, contents: key, mode: 0o600 }]);
      sh('cryptsetup', ['close', luks.name]);
      const kf = path.join(lab.dir, 'k');
      fs.writeFileSync(kf, key);
      sh('cryptsetup', ['open', d, luks.name, '--key-file', kf]);
      expect(fs.existsSync(`/dev/mapper/${luks.name}`)).toBe(true);
    } else {
      // Without device-mapper the format happens for real and luksOpen fails loudly.
      await expect(p).rejects.toThrow(/^failed to create luks: opening luks device: exit status \d+: Cmd: "cryptsetup" "luksOpen" .* Stderr: ".*device-mapper/);
    }
    expect(fetched).toEqual(['https://example.invalid/key']);
    expect(blkid(d)).toMatchObject({ TYPE: 'crypto_LUKS', LABEL: 'secret', UUID: luks.uuid, VERSION: '2' });
    const kf = path.join(lab.dir, 'key');
    fs.writeFileSync(kf, key);
    sh('cryptsetup', ['open', '--test-passphrase', '--key-file', kf, d]);
  });

  it('the LUKS dry run lists every step the run takes: clevis bind, the unlock proof, luksRemoveKey, luksUUID', async () => {
    const d = lab.disk(32);
    const name = `kindling-plan${process.pid}`;
    // an online tang server and no keyFile: the run binds, proves clevis opens the volume, then
    // removes the key it generated
    const tang = { url: 'http://127.0.0.1:9', thumbprint: 'thp' };
    const plan = await planDisks(cfg({ luks: [{ name, device: d, options: FAST_KDF, clevis: { tang: [tang] } }] }), lab.host, { devices: [d] });
    const [a, k] = [`${lab.dir}/run/dev_aliases${d}`, `<key-file:${name}>`];
    expect(plan.map((p) => p.argv)).toEqual([
      ['cryptsetup', 'luksFormat', '--type', 'luks2', '--key-file', k, ...FAST_KDF, a],
      ['cryptsetup', 'luksOpen', a, name, '--key-file', k, '--persistent'],
      ['clevis', 'luks', 'bind', '-f', '-k', k, '-d', a, 'sss', '{"pins":{"tang":[{"url":"http://127.0.0.1:9","thp":"thp"}]},"t":1}'],
      ['cryptsetup', 'luksClose', name],
      ['clevis', 'luks', 'unlock', '-d', a, '-n', name],
      ['cryptsetup', 'luksRemoveKey', a, k],
      ['cryptsetup', 'luksUUID', a],
    ]);
    expect(plan[0].note).toBe(`${k} is a private temporary file that the run makes, holding a random key`);
    expect(blkid(d).TYPE).toBeUndefined();
  });

  it('refuses to format a volume that holds a filesystem unless wipeVolume', async () => {
    const d = lab.disk(32);
    sh('mkfs.ext4', ['-q', '-F', d]);
    await expect(run(cfg({ luks: [{ name: 'x', device: d, options: FAST_KDF }] }), [d])).rejects.toThrow(
      `failed to create luks: volume is not of the correct type: volume at "${d}" is not of the correct type (found ext4) and a volume wipe was not requested`,
    );
    expect(blkid(d).TYPE).toBe('ext4');
  });

  it.skipIf(!hasMd)('RAID1 over two loop disks with a spare', async () => {
    const [a, b, c] = [lab.disk(64), lab.disk(64), lab.disk(64)];
    const name = `kindling${process.pid}`;
    lab.track('array', `/dev/md/${name}`);
    await run(
      cfg({ raid: [{ name, level: 'raid1', devices: [a, b, c], spares: 1 }], filesystems: [{ device: `/dev/md/${name}`, format: 'ext4', label: 'md' }] }),
      [a, b, c],
    );
    const detail = sh('mdadm', ['--detail', `/dev/md/${name}`]);
    expect(detail).toMatch(/Raid Level : raid1/);
    expect(detail).toMatch(/Raid Devices : 2/);
    expect(detail).toMatch(/Spare Devices : 1/);
    expect(blkid(`/dev/md/${name}`)).toMatchObject({ TYPE: 'ext4', LABEL: 'md' });
  });

  describe.skipIf(!hasTang)('clevis tang binding', () => {
    let tang: Awaited<ReturnType<typeof startTang>> | undefined;
    afterEach(() => tang?.close());

    it('binds a LUKS2 volume to a tang server on 127.0.0.1 (offline advertisement)', async () => {
      tang = await startTang(path.join(lab.dir, 'tang'));
      const { url, thumbprint: thp, advertisement: adv } = tang;

      const d = lab.disk(32);
      const kf = path.join(lab.dir, 'key');
      fs.writeFileSync(kf, 'initial-key');
      sh('cryptsetup', ['luksFormat', '-q', '--type', 'luks2', ...FAST_KDF, '--key-file', kf, d]);
      const ran = await bindClevisOnly({ name: 'tangvol', device: d, clevis: { tang: [{ url, thumbprint: thp, advertisement: adv }] } }, lab.host, kf, {
        devices: [d],
        deviceTimeoutMs: 1000,
      });
      expect(ran[0].slice(0, 9)).toEqual(['clevis', 'luks', 'bind', '-f', '-k', kf, '-d', expect.stringContaining('dev_aliases'), 'sss']);
      expect((await lab.host.run(['clevis', 'luks', 'list', '-d', d])).stdout).toMatch(/sss .*tang/);
      // the bound slot decrypts through the live tang server and opens the header
      // (async: the tang server lives in this process, a sync exec would deadlock it)
      const pass = await lab.host.run(['clevis', 'luks', 'pass', '-d', d, '-s', '1']);
      expect(pass.code, pass.stderr).toBe(0);
      const test = await lab.host.run(['cryptsetup', 'open', '--test-passphrase', '--key-file', '-', d], { input: pass.stdout });
      expect(test.code, test.stderr).toBe(0);
      // and a wrong key does not
      expect((await lab.host.run(['cryptsetup', 'open', '--test-passphrase', '--key-file', '-', d], { input: 'nope' })).code).not.toBe(0);
    });
  });
});
