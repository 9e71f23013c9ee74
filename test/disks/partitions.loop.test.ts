// Partitioning on real loop devices: sgdisk, partx and sysfs, checked with `sgdisk -i`.
import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config, Storage } from '../../src/generated/types.js';
import { planDisks, runDisks } from '../../src/disks/index.js';
import { canLoop, Lab, loopReason, sgdiskInfo, sh, sysfs } from './lab.js';

if (!canLoop) console.warn(`skipping loop-device partition tests: ${loopReason}`);

const cfg = (storage: Storage): Config => ({ ignition: { version: '3.5.0' }, storage });
const ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
const LINUX = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';

describe.skipIf(!canLoop)('partitions on loop devices', () => {
  let lab: Lab;
  beforeEach(() => {
    lab = new Lab();
  });
  afterEach(() => lab.cleanup());

  const run = (c: Config, devices: string[]) => runDisks(c, lab.host, { devices, deviceTimeoutMs: 2000 });

  it('creates partitions on an empty disk with labels, type and unique GUIDs', async () => {
    const d = lab.disk(64);
    await run(
      cfg({
        disks: [
          {
            device: d,
            partitions: [
              { number: 1, label: 'EFI-SYSTEM', startMiB: 1, sizeMiB: 8, typeGuid: ESP, guid: '11111111-2222-3333-4444-555555555555' },
              { number: 2, label: 'ROOT', sizeMiB: 0 },
            ],
          },
        ],
      }),
      [d],
    );
    expect(sgdiskInfo(d, 1)).toEqual({
      type: ESP,
      guid: '11111111-2222-3333-4444-555555555555',
      first: '2048',
      last: String(2048 + 16384 - 1),
      name: 'EFI-SYSTEM',
    });
    const p2 = sgdiskInfo(d, 2);
    expect(p2.type).toBe(LINUX);
    expect(p2.name).toBe('ROOT');
    expect(p2.first).toBe('18432');
    // the kernel sees exactly what was written (partx + sysfs verification)
    expect(sysfs(`${d}p1`, 'start')).toBe(2048);
    expect(sysfs(`${d}p2`, 'size')).toBe(Number(p2.last) - 18432 + 1);
    expect(fs.existsSync(`${d}p2`)).toBe(true);
  });

  it('wipes a corrupt table', async () => {
    const d = lab.disk(32);
    sh('sgdisk', ['--new=1:2048:+2048', '--new=2:4096:+2048', d]);
    const fd = fs.openSync(d, 'r+');
    fs.writeSync(fd, Buffer.alloc(1536, 0xa5), 0, 1536, 0);
    fs.closeSync(fd);
    const c = cfg({ disks: [{ device: d, wipeTable: true, partitions: [{ number: 3, label: 'NEW', sizeMiB: 4 }] }] });
    // sgdisk cannot load the table even to --clear it: the dry run asks about a blank image instead
    const plan = await planDisks(c, lab.host, { devices: [d] });
    expect(plan[1].note).toBe(`sgdisk cannot read the current table of ${d}; default starts and sizes computed on a blank image of the same size`);
    const r = await run(c, [d]);
    expect(r.plan.map((p) => p.argv)).toEqual(plan.map((p) => p.argv));
    // the run zaps twice (sgdisk exits 2 after zapping a corrupt table), then does what was planned
    expect(r.ran).toEqual([plan[0].argv, ...plan.map((p) => p.argv)]);
    const print = sh('sgdisk', ['--print', d]);
    expect(print).toMatch(/^\s+3\s+2048\s+10239\s.*NEW$/m);
    expect(print).not.toMatch(/^\s+1\s/m);
  });

  it('appends to an existing table without touching existing entries', async () => {
    const d = lab.disk(32);
    sh('sgdisk', ['--new=1:2048:+4096', '--change-name=1:KEEP', d]);
    const before = sgdiskInfo(d, 1);
    const r = await run(
      cfg({
        disks: [
          {
            device: d,
            partitions: [
              { number: 1, label: 'KEEP' },
              { number: 2, label: 'ADDED', sizeMiB: 2 },
            ],
          },
        ],
      }),
      [d],
    );
    expect(sgdiskInfo(d, 1)).toEqual(before);
    expect(sgdiskInfo(d, 2)).toMatchObject({ name: 'ADDED', first: '6144', last: String(6144 + 4096 - 1) });
    const commit = r.ran.find((a) => a[0] === 'sgdisk' && !a.includes('--pretend') && a.some((x) => x.startsWith('--new')));
    expect(commit).toEqual(['sgdisk', '--new=2:6144:+4096', '--change-name=2:ADDED', expect.stringContaining('dev_aliases')]);
    expect(fs.existsSync(`${d}p1`) && fs.existsSync(`${d}p2`)).toBe(true);
  });

  it('matches existing partitions without writing (no-op)', async () => {
    const d = lab.disk(32);
    sh('sgdisk', ['--new=1:2048:+4096', '--change-name=1:A', '--new=2:0:+0', '--change-name=2:B', d]);
    const before = sh('sgdisk', ['--print', d]).replace(/Disk identifier.*\n/, '');
    const r = await run(
      cfg({
        disks: [
          {
            device: d,
            partitions: [
              { number: 1, label: 'A', startMiB: 1, sizeMiB: 2 },
              { number: 2, label: 'B', startMiB: 0, sizeMiB: 0 },
            ],
          },
        ],
      }),
      [d],
    );
    expect(r.ran.filter((a) => a[0] === 'sgdisk' && !a.includes('--pretend') && !a.includes('--print') && !a.some((x) => x.startsWith('--info')))).toEqual([]);
    expect(sh('sgdisk', ['--print', d]).replace(/Disk identifier.*\n/, '')).toBe(before);
  });

  it('fails on a mismatch with the exact message and leaves the table alone', async () => {
    const d = lab.disk(32);
    sh('sgdisk', ['--new=1:2048:+4096', d]);
    const before = sgdiskInfo(d, 1);
    await expect(run(cfg({ disks: [{ device: d, partitions: [{ number: 1, startMiB: 2 }] }] }), [d])).rejects.toThrow(
      "create partitions failed: partition 1 didn't match: starting sector did not match (specified 4096, got 2048)",
    );
    expect(sgdiskInfo(d, 1)).toEqual(before);
  });

  it('resizes the last partition keeping its start, GUIDs and label', async () => {
    const d = lab.disk(64);
    sh('sgdisk', ['--new=1:2048:+4096', '--new=2:6144:+4096', '--change-name=2:ROOT', d]);
    const before = sgdiskInfo(d, 2);
    await run(cfg({ disks: [{ device: d, partitions: [{ number: 2, sizeMiB: 16, resize: true }] }] }), [d]);
    const after = sgdiskInfo(d, 2);
    expect(after).toEqual({ ...before, last: String(6144 + 32768 - 1) });
    expect(sysfs(`${d}p2`, 'size')).toBe(32768);
  });

  it('deletes a partition with wipePartitionEntry and refuses without it', async () => {
    const d = lab.disk(32);
    sh('sgdisk', ['--new=1:2048:+2048', '--new=2:4096:+2048', d]);
    // Kernels with a GPT parser already re-read the table after sgdisk; others need partx.
    if (!fs.existsSync(`${d}p2`)) sh('partx', ['-a', d]);
    expect(fs.existsSync(`${d}p2`)).toBe(true);
    await expect(run(cfg({ disks: [{ device: d, partitions: [{ number: 2, shouldExist: false }] }] }), [d])).rejects.toThrow(
      'partition 2 exists but is specified as nonexistant and wipePartitionEntry is false',
    );
    await run(cfg({ disks: [{ device: d, partitions: [{ number: 2, shouldExist: false, wipePartitionEntry: true }] }] }), [d]);
    expect(sh('sgdisk', ['--print', d])).not.toMatch(/^\s+2\s/m);
    expect(fs.existsSync(`${d}p2`)).toBe(false);
    expect(fs.existsSync(`${d}p1`)).toBe(true);
  });

  it('gives number 0 the lowest free number', async () => {
    const d = lab.disk(32);
    sh('sgdisk', ['--new=1:2048:+2048', '--new=3:8192:+2048', d]);
    await run(cfg({ disks: [{ device: d, partitions: [{ label: 'FILLER', sizeMiB: 1 }] }] }), [d]);
    // number 2 is free; an unset start means the start of the largest free block (after p3)
    expect(sgdiskInfo(d, 2)).toMatchObject({ name: 'FILLER', first: '10240', last: String(10240 + 2048 - 1) });
  });

  it('start and size 0 take the largest free block', async () => {
    const d = lab.disk(32);
    sh('sgdisk', ['--new=1:2048:+2048', d]);
    await run(cfg({ disks: [{ device: d, partitions: [{ number: 2, startMiB: 0, sizeMiB: 0 }] }] }), [d]);
    const lastUsable = Number(/last usable sector is (\d+)/.exec(sh('sgdisk', ['--print', d]))![1]);
    const p2 = sgdiskInfo(d, 2);
    expect(p2.first).toBe('4096');
    expect(Number(p2.last)).toBeGreaterThan(lastUsable - 2048);
    expect(sysfs(`${d}p2`, 'start')).toBe(4096);
  });

  it('fails on an overlapping partition with sgdisk’s stderr and leaves the next disk untouched', async () => {
    const a = lab.disk(32);
    const b = lab.disk(32);
    sh('sgdisk', ['--new=1:2048:+4096', a]);
    const err = await run(
      cfg({
        disks: [
          { device: a, partitions: [{ number: 2, startMiB: 2, sizeMiB: 2 }] },
          { device: b, partitions: [{ number: 1, sizeMiB: 2 }] },
        ],
      }),
      [a, b],
    ).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^create partitions failed: failed to pretend to create partitions\. Err: exit status \d+\. Stderr: /);
    expect((err as Error).message).toMatch(/Could not create partition 2/);
    expect(sh('sgdisk', ['--print', b])).not.toMatch(/^\s+1\s/m);
  });

  it('times out on a device that never appears, naming it', async () => {
    const t0 = Date.now();
    await expect(
      runDisks(cfg({ disks: [{ device: '/dev/kindling-never', partitions: [{ number: 1 }] }] }), lab.host, { devices: [], deviceTimeoutMs: 300 }),
    ).rejects.toThrow('create partitions failed: failed to wait on disks devs: timed out after 0.3s waiting for device "/dev/kindling-never" to appear');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('refuses a disk that is mounted directly', async () => {
    const d = lab.disk(32);
    sh('mkfs.ext4', ['-q', '-F', d]);
    lab.mount(d, `${lab.dir}/busy`);
    await expect(run(cfg({ disks: [{ device: d, wipeTable: true }] }), [d])).rejects.toThrow(
      `create partitions failed: refusing to operate on directly active disk "${lab.dir}/run/dev_aliases${d}"`,
    );
  });

  it('refuses devices outside the allowed list, and everything without one outside an initramfs', async () => {
    const d = lab.disk(16);
    const other = lab.disk(16);
    await expect(run(cfg({ disks: [{ device: d, wipeTable: true }] }), [other])).rejects.toThrow('is not in the list of devices this run may modify');
    await expect(runDisks(cfg({ disks: [{ device: d, wipeTable: true }] }), lab.host)).rejects.toThrow('refusing to touch block devices outside an initramfs');
  });
});
