// LUKS2 reuse (wipeVolume false) against a live device-mapper: runs only inside the QEMU guest of
// test/disks/guest.qemu.test.ts (KINDLING_IN_VM=1), where lab.ts turns a missing dm-crypt into an error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config, Luks, Storage } from '../../../src/generated/types.js';
import { runDisks, runMount, runUmount } from '../../../src/disks/index.js';
import { blkid, Lab, sh } from '../lab.js';

const cfg = (storage: Storage): Config => ({ ignition: { version: '3.5.0' }, storage });
const FAST_KDF = ['--pbkdf', 'pbkdf2', '--pbkdf-force-iterations', '1000'];

describe('LUKS2 volumes reused when wipeVolume is false', () => {
  let lab: Lab;
  beforeEach(() => {
    lab = new Lab();
  });
  afterEach(() => lab.cleanup());

  const key = Buffer.from('reuse me, do not reformat me');
  const run = (c: Config, devices: string[], k = key) => runDisks(c, lab.host, { devices, deviceTimeoutMs: 5000, fetch: async () => k });

  it('opens a matching volume without formatting it; data and crypttab survive', async () => {
    const d = lab.disk(48);
    const name = `kindling-reuse-${process.pid}`;
    const luks: Luks = {
      name,
      device: d,
      keyFile: { source: 'data:,x' },
      label: 'vault',
      uuid: '5c1c2d3e-0000-4000-8000-000000000001',
      options: FAST_KDF,
      wipeVolume: true,
    };
    const fsOn = (wipe: boolean) => ({ device: `/dev/mapper/${name}`, format: 'ext4' as const, label: 'inner', path: '/', wipeFilesystem: wipe });
    lab.track('mapping', name);

    const first = await run(cfg({ luks: [luks], filesystems: [fsOn(true)] }), [d]);
    expect(first.ran.map((a) => a.slice(0, 2).join(' '))).toEqual(expect.arrayContaining(['cryptsetup luksFormat', 'cryptsetup luksOpen']));
    const root = path.join(lab.dir, 'root');
    fs.mkdirSync(root);
    const mounted = cfg({ luks: [luks], filesystems: [fsOn(false)] });
    await runMount(mounted, lab.host, { root });
    fs.writeFileSync(path.join(root, 'marker'), 'still here\n');
    await runUmount(mounted, lab.host, { root });
    sh('cryptsetup', ['close', name]);

    const again = await run(cfg({ luks: [{ ...luks, wipeVolume: false }], filesystems: [fsOn(false)] }), [d]);
    const verbs = again.ran.map((a) => `${a[0]} ${a[1]}`);
    expect(verbs.filter((v) => /luksFormat|^wipefs|^mkfs/.test(v))).toEqual([]);
    expect(verbs).toContain('cryptsetup luksOpen');
    expect(fs.existsSync(`/dev/mapper/${name}`)).toBe(true);
    expect(again.crypttab).toEqual(first.crypttab);
    expect(again.crypttab).toEqual([`${name} UUID=${luks.uuid} /etc/luks/${name} luks,x-initrd.attach\n`]);
    expect(again.keyFiles).toEqual([{ name, path: `/etc/luks/${name}`, contents: key, mode: 0o600 }]);
    expect(blkid(`/dev/mapper/${name}`)).toMatchObject({ TYPE: 'ext4', LABEL: 'inner' });
    lab.mount(`/dev/mapper/${name}`, path.join(lab.dir, 'check'), ['-o', 'ro']);
    expect(fs.readFileSync(path.join(lab.dir, 'check/marker'), 'utf8')).toBe('still here\n');
  });

  it('refuses to reuse a volume whose label, key or discard flag differ, and leaves it intact', async () => {
    const d = lab.disk(32);
    const name = `kindling-mismatch-${process.pid}`;
    const luks: Luks = { name, device: d, keyFile: { source: 'data:,x' }, label: 'vault', options: FAST_KDF, wipeVolume: true };
    lab.track('mapping', name);
    await run(cfg({ luks: [luks] }), [d]);
    sh('cryptsetup', ['close', name]);
    const header = sh('cryptsetup', ['luksUUID', d]).trim();
    const prefix = `failed to create luks: volume is not of the correct type: volume wipe was not requested and luks device "${d}" could not be reused: `;

    await expect(run(cfg({ luks: [{ ...luks, wipeVolume: false, label: 'other' }] }), [d])).rejects.toThrow(
      `${prefix}volume label "vault" doesn't match expected label "other"`,
    );
    await expect(run(cfg({ luks: [{ ...luks, wipeVolume: false }] }), [d], Buffer.from('wrong key'))).rejects.toThrow(
      `${prefix}failed to open device using specified keyfile`,
    );
    await expect(run(cfg({ luks: [{ ...luks, wipeVolume: false, discard: true }] }), [d])).rejects.toThrow(
      `${prefix}volume allow-discards flag false doesn't match expected value true`,
    );
    expect(fs.existsSync(`/dev/mapper/${name}`)).toBe(false);
    expect(sh('cryptsetup', ['luksUUID', d]).trim()).toBe(header);
  });
});
