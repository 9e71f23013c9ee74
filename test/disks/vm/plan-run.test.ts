// The run executes its dry run's plan with RAID and LUKS too: only inside the QEMU guest of
// test/disks/guest.qemu.test.ts (KINDLING_IN_VM=1), where lab.ts turns missing md/dm-crypt into an error.
// No clevis here: its luksAddKey benchmarks argon2 and costs minutes under TCG; the host checks the
// clevis steps of the plan (filesystems.loop.test.ts), which the run takes from the same flow.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config, Storage } from '../../../src/generated/types.js';
import { planDisks, runDisks } from '../../../src/disks/index.js';
import { blkid, expectRunMatchesPlan, Lab, sh } from '../lab.js';

const cfg = (storage: Storage): Config => ({ ignition: { version: '3.5.0' }, storage });
const FAST_KDF = ['--pbkdf', 'pbkdf2', '--pbkdf-force-iterations', '1000'];

describe('RAID and LUKS runs execute their dry-run plans', () => {
  let lab: Lab;
  beforeEach(() => {
    lab = new Lab();
  });
  afterEach(() => lab.cleanup());

  it('partitions, RAID1, LUKS2 with a generated key, ext4 inside: run == dry run', async () => {
    const d = lab.disk(96);
    const [md, name] = [`kpr${process.pid}`, `kindling-pr-${process.pid}`];
    lab.track('mapping', name);
    lab.track('array', `/dev/md/${md}`);
    const c = cfg({
      disks: [
        {
          device: d,
          wipeTable: true,
          partitions: [
            { number: 1, sizeMiB: 40 },
            { number: 2, sizeMiB: 40 },
          ],
        },
      ],
      raid: [{ name: md, level: 'raid1', devices: [`${d}p1`, `${d}p2`] }],
      luks: [{ name, device: `/dev/md/${md}`, label: 'vault', options: FAST_KDF }],
      filesystems: [{ device: `/dev/mapper/${name}`, format: 'ext4', label: 'inner' }],
    });

    const plan = await planDisks(c, lab.host, { devices: [d] });
    expect(plan.map((p) => p.argv.slice(0, 2).join(' '))).toEqual([
      'sgdisk --zap-all',
      'sgdisk --new=1:2048:+81920',
      'partx --update',
      'partx --update',
      'mdadm --create',
      'cryptsetup luksFormat',
      'cryptsetup luksOpen',
      'cryptsetup luksUUID',
      'wipefs -a',
      'mkfs.ext4 -F',
    ]);
    // what the dry run could not probe: the array it creates first, and the generated key's file
    expect(plan[5].note).toBe(
      `/dev/md/${md} is created as RAID array ${md} first: assumed to hold nothing, which the run checks first; ` +
        `<key-file:${name}> is a private temporary file that the run makes, holding a random key`,
    );
    expect(plan[5].argv).toContain(`<key-file:${name}>`);

    const res = await runDisks(c, lab.host, { devices: [d], deviceTimeoutMs: 20_000 });
    expectRunMatchesPlan(plan, res);
    const uuid = sh('cryptsetup', ['luksUUID', `/dev/md/${md}`]).trim();
    expect(res.crypttab).toEqual([`${name} UUID=${uuid} /etc/luks/${name} luks,x-initrd.attach\n`]);
    expect(res.keyFiles.map((k) => k.contents.length)).toEqual([8192]);
    expect(blkid(`/dev/mapper/${name}`)).toMatchObject({ TYPE: 'ext4', LABEL: 'inner' });
    expect(sh('mdadm', ['--detail', `/dev/md/${md}`])).toMatch(/Raid Level : raid1/);
  });
});
