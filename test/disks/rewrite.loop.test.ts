// Rewriting a used partition table on loop devices (issue 15): the on-disk table (`sgdisk -i`), the
// kernel's view (sysfs) and, for every scenario, the commands that ran against the dry-run plan.
// Runs on the host's kernel and, through test/disks/guest.qemu.test.ts, on the guest's Debian kernel: one
// re-reads GPT tables itself after sgdisk writes, the other may drop every entry instead.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config, Disk, Storage } from '../../src/generated/types.js';
import { planDisks, runDisks } from '../../src/disks/index.js';
import { blkid, canLoop, expectRunMatchesPlan, gptBytes, kernelView, Lab, loopReason, sgdiskTable, sh } from './lab.js';

if (!canLoop) console.warn(`skipping partition-table rewrite tests: ${loopReason}`);

const cfg = (storage: Storage): Config => ({ ignition: { version: '3.5.0' }, storage });
const MiB = 2048; // 512-byte sectors
const LAST_USABLE_64MIB = 131072 - 34;
type Extent = [number: number, start: number, size: number];

describe.skipIf(!canLoop)('rewriting a used partition table', () => {
  let lab: Lab;
  beforeEach(() => {
    lab = new Lab();
  });
  afterEach(() => lab.cleanup());

  /** A disk with these partitions, known to the kernel (as after a previous boot). */
  const usedDisk = (mib: number, old: Extent[]): string => {
    const d = lab.disk(mib);
    sh('sgdisk', [...old.map(([n, start, size]) => `--new=${n}:${start}:+${size}`), d]);
    // A kernel with a GPT parser already re-read the table (then partx reports them busy).
    spawnSync('partx', ['--add', d]);
    return d;
  };
  const oldThree = (): Extent[] => [
    [1, 1 * MiB, 8 * MiB],
    [2, 9 * MiB, 8 * MiB],
    [3, 17 * MiB, 8 * MiB],
  ];

  /** Dry run, then the run: the same commands, and the disk and the kernel agree with `want`. */
  const planThenRun = async (disk: Disk, want: Extent[]) => {
    const c = cfg({ disks: [disk] });
    const before = gptBytes(disk.device);
    const plan = await planDisks(c, lab.host, { devices: [disk.device] });
    expect(gptBytes(disk.device).equals(before), 'the dry run wrote nothing').toBe(true);
    const res = await runDisks(c, lab.host, { devices: [disk.device], deviceTimeoutMs: 5000 });
    expectRunMatchesPlan(plan, res);
    expectLayout(disk.device, want);
    return plan.map((p) => p.argv.join(' '));
  };

  const expectLayout = (d: string, want: Extent[]) => {
    const table = sgdiskTable(
      d,
      want.map(([n]) => n),
    );
    expect(table.numbers).toEqual(want.map(([n]) => n));
    for (const [n, start, size] of want)
      expect(table.info[n], `partition ${n} on disk`).toMatchObject({ first: String(start), last: String(start + size - 1) });
    expect(kernelView(d), 'the kernel’s view').toEqual(want.map(([number, start, size]) => ({ number, start, size })));
    for (const [n] of want) expect(fs.existsSync(`${d}p${n}`)).toBe(true);
  };

  it('wipes a 3-partition table and creates 2, the new first one over the old second', async () => {
    const d = usedDisk(64, oldThree());
    expect(kernelView(d).map((p) => p.number)).toEqual([1, 2, 3]);
    const rest = LAST_USABLE_64MIB - 13 * MiB + 1;
    const plan = await planThenRun(
      {
        device: d,
        wipeTable: true,
        partitions: [
          { number: 1, label: 'ROOT', sizeMiB: 12 },
          { number: 2, label: 'VAR', sizeMiB: 0 },
        ],
      },
      [
        [1, 1 * MiB, 12 * MiB],
        [2, 13 * MiB, rest],
      ],
    );
    const alias = `${lab.dir}/run/dev_aliases${d}`;
    // every stale entry goes before any new one comes, so old 2 cannot be in the way of new 1
    expect(plan).toEqual([
      `sgdisk --zap-all ${alias}`,
      `sgdisk --new=1:2048:+24576 --change-name=1:ROOT --new=2:26624:+${rest} --change-name=2:VAR ${alias}`,
      `partx --delete --nr 1 ${d}`,
      `partx --delete --nr 2 ${d}`,
      `partx --delete --nr 3 ${d}`,
      `partx --update --nr 1 ${d}`,
      `partx --update --nr 2 ${d}`,
    ]);
    expect(sgdiskTable(d, [1, 2]).info).toMatchObject({ 1: { name: 'ROOT' }, 2: { name: 'VAR' } });
  });

  it('wipes a 3-partition table and creates 4', async () => {
    const d = usedDisk(64, oldThree());
    await planThenRun(
      {
        device: d,
        wipeTable: true,
        partitions: [
          { number: 1, sizeMiB: 6 },
          { number: 2, sizeMiB: 6 },
          { number: 3, sizeMiB: 6 },
          { number: 4, sizeMiB: 0 },
        ],
      },
      [
        [1, 1 * MiB, 6 * MiB],
        [2, 7 * MiB, 6 * MiB],
        [3, 13 * MiB, 6 * MiB],
        [4, 19 * MiB, LAST_USABLE_64MIB - 19 * MiB + 1],
      ],
    );
  });

  it('wipes and creates partitions whose starts shift across the old boundaries (number 0, an unset start)', async () => {
    const d = usedDisk(64, oldThree());
    const plan = await planThenRun(
      {
        device: d,
        wipeTable: true,
        partitions: [
          { number: 1, startMiB: 1, sizeMiB: 4 },
          { label: 'CROSSES-1-2', startMiB: 5, sizeMiB: 10 },
          { number: 3, startMiB: 15, sizeMiB: 12, typeGuid: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B' },
          { label: 'REST', sizeMiB: 0 },
        ],
      },
      [
        [1, 1 * MiB, 4 * MiB],
        [2, 5 * MiB, 10 * MiB],
        [3, 15 * MiB, 12 * MiB],
        [4, 27 * MiB, LAST_USABLE_64MIB - 27 * MiB + 1],
      ],
    );
    // number 0 and an unset start are resolved (sgdisk --pretend) before the commit, which names them
    expect(plan[1]).toContain('--new=2:10240:+20480 --change-name=2:CROSSES-1-2');
    expect(plan[1]).toContain(`--new=4:55296:+${LAST_USABLE_64MIB - 27 * MiB + 1} --change-name=4:REST`);
    expect(sgdiskTable(d, [3]).info[3].type).toBe('C12A7328-F81F-11D2-BA4B-00A0C93EC93B');
  });

  it('wipes to an empty table', async () => {
    const d = usedDisk(64, oldThree());
    const plan = await planThenRun({ device: d, wipeTable: true }, []);
    expect(plan.slice(1)).toEqual([1, 2, 3].map((n) => `partx --delete --nr ${n} ${d}`));
    expect(fs.existsSync(`${d}p1`)).toBe(false);
  });

  it('replaces entries across old boundaries while another partition is open, so the kernel keeps its old table', async () => {
    const d = usedDisk(64, [
      [1, 1 * MiB, 4 * MiB],
      [2, 5 * MiB, 4 * MiB],
      [3, 9 * MiB, 4 * MiB],
    ]);
    // An open partition makes the kernel refuse sgdisk's re-read (EBUSY) on every kernel: the new
    // partition 2 overlaps the old 2 and 3, which must be gone before it is added.
    const fd = fs.openSync(`${d}p1`, 'r');
    try {
      const plan = await planThenRun(
        {
          device: d,
          partitions: [
            { number: 1 },
            { number: 2, startMiB: 6, sizeMiB: 6, wipePartitionEntry: true },
            { number: 3, shouldExist: false, wipePartitionEntry: true },
          ],
        },
        [
          [1, 1 * MiB, 4 * MiB],
          [2, 6 * MiB, 6 * MiB],
        ],
      );
      expect(plan.slice(1)).toEqual([`partx --delete --nr 2 ${d}`, `partx --delete --nr 3 ${d}`, `partx --update --nr 1 ${d}`, `partx --update --nr 2 ${d}`]);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('fails with partx’s stderr when a stale entry is still in use, instead of only logging it', async () => {
    const d = usedDisk(32, oldThree().slice(0, 2));
    const fd = fs.openSync(`${d}p2`, 'r');
    try {
      const err = await runDisks(cfg({ disks: [{ device: d, wipeTable: true, partitions: [{ number: 1, sizeMiB: 12 }] }] }), lab.host, {
        devices: [d],
        deviceTimeoutMs: 5000,
      }).catch((e: Error) => e);
      expect((err as Error).message).toMatch(
        new RegExp(
          `^create partitions failed: partition delete failed: exit status 1: Cmd: "partx" "--delete" "--nr" "2" "${d}" Stdout: "" Stderr: ".*error deleting partition 2`,
        ),
      );
    } finally {
      fs.closeSync(fd);
    }
  });

  it('a run that also formats filesystems runs what its dry run printed', async () => {
    const d = usedDisk(128, oldThree());
    const c = cfg({
      disks: [
        {
          device: d,
          wipeTable: true,
          partitions: [
            { number: 1, label: 'ROOT', sizeMiB: 40 },
            { number: 2, sizeMiB: 40 },
            { number: 3, sizeMiB: 16 },
            { number: 4, sizeMiB: 0 },
          ],
        },
      ],
      filesystems: [
        { device: `${d}p1`, format: 'ext4', label: 'root', path: '/' },
        { device: `${d}p2`, format: 'vfat', label: 'EFI', mountOptions: ['ro'] },
        { device: `${d}p3`, format: 'swap', label: 'swap' },
        { device: `${d}p4`, format: 'none', wipeFilesystem: true },
      ],
    });
    const plan = await planDisks(c, lab.host, { devices: [d] });
    // the partitions do not exist yet: the dry run says what it assumed about them
    expect(plan.find((p) => p.argv[0] === 'wipefs')?.note).toBe(
      `${d}p1 is created by partitioning ${d} first: assumed to hold no filesystem, which the run checks first`,
    );
    const res = await runDisks(c, lab.host, { devices: [d], deviceTimeoutMs: 5000 });
    expectRunMatchesPlan(plan, res);
    expect(res.ran.map((a) => a[0])).toEqual([
      'sgdisk',
      'sgdisk',
      ...Array(7).fill('partx'),
      'wipefs',
      'mkfs.ext4',
      'wipefs',
      'mkfs.fat',
      'wipefs',
      'mkswap',
      'wipefs',
    ]);
    expect(blkid(`${d}p1`)).toMatchObject({ TYPE: 'ext4', LABEL: 'root' });
    expect(blkid(`${d}p2`)).toMatchObject({ TYPE: 'vfat', LABEL: 'EFI' });
    expect(blkid(`${d}p3`)).toMatchObject({ TYPE: 'swap', LABEL: 'swap' });
    // a second dry run now probes the real filesystems: nothing left to do but keep them
    expect(await planDisks({ ...c, storage: { filesystems: c.storage!.filesystems } }, lab.host, { devices: [d] })).toEqual([
      { argv: ['wipefs', '-a', `${lab.dir}/run/dev_aliases${d}p4`], why: `wipe signatures on ${d}p4` },
    ]);
  });
});
