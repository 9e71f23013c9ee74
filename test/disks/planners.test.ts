// Pure planners over plain data: no devices, no commands.
import { describe, expect, it } from 'vitest';
import type { Config, Disk } from '../../src/generated/types.js';
import { defaultTools } from '../../src/host/tools.js';
import { decideFilesystem, mkfsArgv, canonicalUuid, parseBlkidExport, parseWipefsJson } from '../../src/disks/filesystems.js';
import { clevisBindArgv, clevisPin, crypttabLine, canProveUnlock, luksFormatArgv, luksOpenArgv, hasClevis } from '../../src/disks/luks.js';
import type { PartitionTable } from '../../src/disks/model.js';
import { planMount } from '../../src/disks/mount.js';
import { decidePartitions, preparePretend, resolveWithPretend, planPartitions } from '../../src/disks/partitions.js';
import { kernelMismatch, kernelSyncSteps } from '../../src/disks/kernel.js';
import { formatPlan, shellWord } from '../../src/disks/plan.js';
import { mdadmArgv, raidDevice } from '../../src/disks/raid.js';
import { parseInfo, parsePretend, parsePrint, tableFromSgdisk } from '../../src/disks/sgdisk.js';

const PRINT = `Disk /dev/loop0: 131072 sectors, 64.0 MiB
Sector size (logical/physical): 512/512 bytes
Disk identifier (GUID): 0D2245FB-98EB-4A81-8218-CE9B1B212CE3
Partition table holds up to 128 entries
Total free space is 2014 sectors (1007.0 KiB)

Number  Start (sector)    End (sector)  Size       Code  Name
   1            2048           22527   10.0 MiB    EF00  ROOT
   3           22528          131038   53.0 MiB    8300  
`;
const INFO = `Partition GUID code: C12A7328-F81F-11D2-BA4B-00A0C93EC93B (EFI system partition)
Partition unique GUID: 11111111-2222-3333-4444-555555555555
First sector: 2048 (at 1024.0 KiB)
Last sector: 22527 (at 11.0 MiB)
Partition size: 20480 sectors (10.0 MiB)
Attribute flags: 0000000000000000
Partition name: 'ROOT'
Partition GUID code: 0fc63daf-8483-4772-8E79-3D69D8477DE4 (Linux filesystem)
Partition unique GUID: 46AF366D-71D4-4740-AFD1-9939A258743E
First sector: 22528 (at 11.0 MiB)
Last sector: 131038 (at 64.0 MiB)
Partition size: 108511 sectors (53.0 MiB)
Attribute flags: 0000000000000000
Partition name: ''
`;
const info = (first: number, last: number) =>
  `Partition GUID code: 0FC63DAF-8483-4772-8E79-3D69D8477DE4 (Linux filesystem)\nFirst sector: ${first} (at 1.0 MiB)\nLast sector: ${last} (at 2.0 MiB)\n`;

const LINUX = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';
const tbl = (...parts: [number, number, number, string?][]): PartitionTable => ({
  sectorSize: 512,
  partitions: parts.map(([number, start, size, label]) => ({
    number,
    start,
    size,
    label: label ?? '',
    typeGuid: LINUX,
    guid: `0000000${number}-0000-0000-0000-000000000000`,
  })),
});
const ctx = { device: '/run/ignition/dev_aliases/dev/vdb' };

describe('sgdisk output parsing', () => {
  it('reads sector size, numbers, GUIDs (upper-cased) and names', () => {
    expect(parsePrint(PRINT)).toEqual({ sectorSize: 512, numbers: [1, 3] });
    const t = tableFromSgdisk(PRINT, INFO);
    expect(t.partitions).toEqual([
      { number: 1, start: 2048, size: 20480, typeGuid: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', guid: '11111111-2222-3333-4444-555555555555', label: 'ROOT' },
      { number: 3, start: 22528, size: 108511, typeGuid: LINUX, guid: '46AF366D-71D4-4740-AFD1-9939A258743E', label: '' },
    ]);
    expect(() => parseInfo(INFO, [1])).toThrow('sgdisk had unexpected output');
    expect(parsePrint('Sector size (logical): 4096 bytes\n').sectorSize).toBe(4096);
  });
  it('parses --pretend --info blocks and rejects extra or missing ones', () => {
    expect(parsePretend(info(2048, 4095) + info(4096, 8191), [2, 5])).toEqual(
      new Map([
        [2, { start: 2048, size: 2048 }],
        [5, { start: 4096, size: 4096 }],
      ]),
    );
    expect(() => parsePretend(info(2048, 4095), [2, 5])).toThrow('sgdisk had unexpected output');
    expect(() => parsePretend(info(2048, 4095) + info(1, 2), [2])).toThrow('sgdisk had unexpected output');
    expect(parsePretend('', []).size).toBe(0);
  });
});

describe('partition planner (decision matrix)', () => {
  it('creates on an empty disk: pretend asks only about unset/zero starts and sizes', () => {
    const disk: Disk = {
      device: '/dev/vdb',
      partitions: [
        { number: 1, label: 'BOOT', startMiB: 1, sizeMiB: 64, typeGuid: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B' },
        { number: 2, label: 'ROOT', sizeMiB: 0, guid: 'ab' },
      ],
    };
    const req = preparePretend(disk, tbl());
    expect(req.options).toEqual([
      '--new=1:2048:+131072',
      '--typecode=1:C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
      '--new=2:0:+0',
      '--partition-guid=2:ab',
      '--info=2',
    ]);
    const plan = decidePartitions(tbl(), resolveWithPretend(req, info(133120, 200000)), ctx);
    expect(plan.commit).toEqual([
      '--new=1:2048:+131072',
      '--change-name=1:BOOT',
      '--typecode=1:C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
      '--new=2:133120:+66881',
      '--change-name=2:ROOT',
      '--partition-guid=2:ab',
    ]);
    expect(plan.added).toEqual([1, 2]);
    expect(plan.final).toEqual([
      { number: 1, start: 2048, size: 131072 },
      { number: 2, start: 133120, size: 66881 },
    ]);
  });

  it('matches existing partitions (no-op) and keeps unspecified start/size', () => {
    const t = tbl([1, 2048, 2048, 'A']);
    const plan = planPartitions({ device: '/dev/vdb', partitions: [{ number: 1, label: 'A' }] }, t, '', ctx);
    expect(plan.commit).toEqual([]);
    expect(plan.notes).toEqual(['partition 1 found with correct specifications']);
  });

  it('reports each mismatch with Ignition’s exact words', () => {
    const t = tbl([1, 2048, 2048, 'A']);
    const run = (p: object) => () => planPartitions({ device: '/dev/vdb', partitions: [{ number: 1, ...p }] }, t, '', ctx);
    expect(run({ startMiB: 2 })).toThrow("partition 1 didn't match: starting sector did not match (specified 4096, got 2048)");
    expect(run({ sizeMiB: 2 })).toThrow("partition 1 didn't match: size did not match (specified 4096, got 2048)");
    expect(run({ label: 'B' })).toThrow(`partition 1 didn't match: label did not match (specified "B", got "A")`);
    expect(run({ guid: 'aaaaaaaa-0000-0000-0000-000000000000' })).toThrow(
      `partition 1 didn't match: GUID did not match (specified "aaaaaaaa-0000-0000-0000-000000000000", got "00000001-0000-0000-0000-000000000000")`,
    );
    expect(run({ typeGuid: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B' })).toThrow(
      `type GUID did not match (specified "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", got "${LINUX}")`,
    );
    // GUIDs compare case-insensitively
    expect(run({ typeGuid: LINUX.toLowerCase() })().commit).toEqual([]);
  });

  it('start/size 0 compare against what sgdisk would compute', () => {
    const t = tbl([1, 2048, 4096]);
    const disk: Disk = { device: '/dev/vdb', partitions: [{ number: 1, startMiB: 0, sizeMiB: 0 }] };
    const req = preparePretend(disk, t);
    expect(req.options).toEqual(['--delete=1', '--new=1:0:+0', '--info=1']);
    expect(decidePartitions(t, resolveWithPretend(req, info(2048, 6143)), ctx).commit).toEqual([]);
    expect(() => decidePartitions(t, resolveWithPretend(req, info(2048, 9999)), ctx)).toThrow('size did not match (specified 7952, got 4096)');
  });

  it('resize grows the last partition keeping start, GUIDs and label', () => {
    const t = tbl([1, 2048, 2048, 'A'], [2, 4096, 2048, 'ROOT']);
    const plan = planPartitions({ device: '/dev/vdb', partitions: [{ number: 2, sizeMiB: 3, resize: true }] }, t, '', ctx);
    expect(plan.commit).toEqual([
      '--delete=2',
      '--new=2:4096:+6144',
      '--change-name=2:ROOT',
      `--typecode=2:${LINUX}`,
      '--partition-guid=2:00000002-0000-0000-0000-000000000000',
    ]);
    expect(plan.updated).toEqual([2]);
    // resize does not excuse other mismatches
    expect(() => planPartitions({ device: '/dev/vdb', partitions: [{ number: 2, sizeMiB: 3, label: 'X', resize: true }] }, t, '', ctx)).toThrow(
      `label did not match (specified "X", got "ROOT")`,
    );
  });

  it('wipePartitionEntry recreates a mismatching entry; shouldExist false deletes or refuses', () => {
    const t = tbl([1, 2048, 2048], [2, 4096, 2048]);
    const p = planPartitions({ device: '/dev/vdb', partitions: [{ number: 1, sizeMiB: 2, startMiB: 1, wipePartitionEntry: true }] }, t, '', ctx);
    expect(p.commit).toEqual(['--delete=1', '--new=1:2048:+4096']);
    expect(() => planPartitions({ device: '/dev/vdb', partitions: [{ number: 2, shouldExist: false }] }, t, '', ctx)).toThrow(
      'partition 2 exists but is specified as nonexistant and wipePartitionEntry is false',
    );
    const del = planPartitions({ device: '/dev/vdb', partitions: [{ number: 2, shouldExist: false, wipePartitionEntry: true }] }, t, '', ctx);
    expect(del.commit).toEqual(['--delete=2']);
    expect(del.deleted).toEqual([2]);
    expect(del.final).toEqual([{ number: 1, start: 2048, size: 2048 }]);
    const none = planPartitions({ device: '/dev/vdb', partitions: [{ number: 7, shouldExist: false }] }, t, '', ctx);
    expect(none.notes).toEqual(['partition 7 specified as nonexistant and no partition was found. Success.']);
  });

  it('number 0 takes the lowest free number, after numbered entries', () => {
    const t = tbl([1, 2048, 2048], [3, 8192, 2048]);
    const disk: Disk = {
      device: '/dev/vdb',
      partitions: [
        { label: 'X', sizeMiB: 1 },
        { number: 4, sizeMiB: 1 },
      ],
    };
    const req = preparePretend(disk, t);
    expect(req.options).toEqual(['--new=4:0:+2048', '--new=0:0:+2048', '--info=4', '--info=2']);
    const plan = decidePartitions(t, resolveWithPretend(req, info(10240, 12287) + info(4096, 6143)), ctx);
    expect(plan.added).toEqual([4, 2]);
    expect(plan.commit).toContain('--change-name=2:X');
  });

  it('refuses to modify an active partition', () => {
    const t = tbl([1, 2048, 2048]);
    expect(() =>
      planPartitions({ device: '/dev/vdb', partitions: [{ number: 1, startMiB: 1, sizeMiB: 2, wipePartitionEntry: true }] }, t, '', {
        ...ctx,
        active: new Set([1]),
      }),
    ).toThrow(`refusing to modify active partition 1 on "${ctx.device}"`);
  });
});

describe('filesystem planner', () => {
  const none = { type: '', uuid: '', label: '' };
  it('builds the exact mkfs argv per format', () => {
    const d = '/a/dev';
    expect(mkfsArgv({ device: d, format: 'ext4', options: ['-b', '4096'], uuid: 'ABC', label: 'root' }, d, defaultTools)).toEqual([
      'mkfs.ext4',
      '-b',
      '4096',
      '-F',
      '-U',
      'abc',
      '-L',
      'root',
      d,
    ]);
    expect(mkfsArgv({ device: d, format: 'btrfs', label: 'b' }, d, defaultTools)).toEqual(['mkfs.btrfs', '--force', '-L', 'b', d]);
    expect(mkfsArgv({ device: d, format: 'xfs', uuid: 'u' }, d, defaultTools)).toEqual(['mkfs.xfs', '-f', '-m', 'uuid=u', d]);
    expect(mkfsArgv({ device: d, format: 'swap', label: 's' }, d, defaultTools)).toEqual(['mkswap', '-f', '-L', 's', d]);
    expect(mkfsArgv({ device: d, format: 'vfat', uuid: 'AB12-CD34', label: 'EFI' }, d, defaultTools)).toEqual(['mkfs.fat', '-i', 'ab12cd34', '-n', 'EFI', d]);
    expect(mkfsArgv({ device: d, format: 'none' }, d, defaultTools)).toBeUndefined();
  });
  it('reuses matching filesystems, refuses others, creates on blank devices', () => {
    const ext4 = { type: 'ext4', uuid: '0b8c1e2a-0000-4000-8000-000000000001', label: 'root' };
    expect(decideFilesystem({ device: '/d', format: 'ext4', label: 'root', uuid: ext4.uuid.toUpperCase() }, ext4).action).toBe('skip');
    expect(decideFilesystem({ device: '/d', format: 'ext4' }, none).action).toBe('create');
    expect(decideFilesystem({ device: '/d', format: 'xfs', wipeFilesystem: true }, ext4).action).toBe('create');
    expect(() => decideFilesystem({ device: '/d', format: 'xfs' }, ext4)).toThrow(
      `filesystem is not of the correct type: filesystem at "/d" is not of the correct type, label, or UUID (found ext4, "root", ${ext4.uuid}) and a filesystem wipe was not requested`,
    );
    expect(() => decideFilesystem({ device: '/d', format: 'ext4', label: 'other' }, ext4)).toThrow('not of the correct type');
    expect(decideFilesystem({ device: '/d', format: 'none' }, none).action).toBe('skip');
    expect(() => decideFilesystem({ device: '/d', format: 'none' }, ext4)).toThrow('not of the correct type');
    expect(decideFilesystem({ device: '/d', format: 'vfat', uuid: 'ab12-cd34' }, { type: 'vfat', uuid: 'AB12-CD34', label: '' }).action).toBe('skip');
    expect(canonicalUuid('vfat', 'AB12CD34')).toBe('ab12cd34');
  });
  it('parses blkid and wipefs output', () => {
    expect(parseBlkidExport('DEVNAME=/dev/x\nUUID=u\nLABEL=a=b\nTYPE=ext4\nPART_ENTRY_UUID=p\n')).toEqual({ type: 'ext4', uuid: 'u', label: 'a=b' });
    expect(parseWipefsJson('{"signatures":[{"type":"xfs","uuid":"u","label":null}]}')).toEqual({ type: 'xfs', uuid: 'u', label: '' });
  });
});

describe('RAID and LUKS argv', () => {
  it('mdadm --create with spares and options', () => {
    const r = { name: 'data', level: 'raid1', devices: ['/dev/a', '/dev/b', '/dev/c'], spares: 1, options: ['--assume-clean'] };
    expect(mdadmArgv(r, ['A', 'B', 'C'], 'mdadm')).toEqual([
      'mdadm',
      '--create',
      'data',
      '--force',
      '--run',
      '--homehost',
      'any',
      '--level',
      'raid1',
      '--raid-devices',
      '2',
      '--spare-devices',
      '1',
      '--assume-clean',
      'A',
      'B',
      'C',
    ]);
    expect(raidDevice(r)).toBe('/dev/md/data');
    expect(raidDevice({ ...r, name: '/dev/md0' })).toBe('/dev/md0');
    expect(mdadmArgv({ ...r, spares: undefined, options: undefined }, ['A', 'B'], 'mdadm')).not.toContain('--spare-devices');
  });
  it('luksFormat/luksOpen/clevis bind argv and crypttab lines', () => {
    const l = {
      name: 'data',
      device: '/dev/x',
      label: 'L',
      uuid: 'U',
      options: ['--pbkdf', 'pbkdf2'],
      discard: true,
      openOptions: ['--perf-no_read_workqueue'],
    };
    expect(luksFormatArgv(l, 'D', 'K', defaultTools)).toEqual([
      'cryptsetup',
      'luksFormat',
      '--type',
      'luks2',
      '--key-file',
      'K',
      '--label',
      'L',
      '--uuid',
      'U',
      '--pbkdf',
      'pbkdf2',
      'D',
    ]);
    expect(luksOpenArgv(l, 'D', 'K', defaultTools)).toEqual([
      'cryptsetup',
      'luksOpen',
      'D',
      'data',
      '--key-file',
      'K',
      '--persistent',
      '--allow-discards',
      '--perf-no_read_workqueue',
    ]);
    expect(crypttabLine(l, 'u-1', '/etc/luks')).toBe('data UUID=u-1 /etc/luks/data luks,x-initrd.attach\n');
    const tang = { ...l, clevis: { tang: [{ url: 'http://t', thumbprint: 'TP' }], threshold: 1 } };
    expect(hasClevis(tang)).toBe(true);
    expect(crypttabLine(tang, 'u-1', '/etc/luks')).toBe('data UUID=u-1 none luks,_netdev,x-initrd.attach\n');
    expect(clevisPin(tang)).toEqual({ pin: 'sss', config: '{"pins":{"tang":[{"url":"http://t","thp":"TP"}]},"t":1}' });
    expect(clevisPin({ ...l, clevis: { tpm2: true } }).config).toBe('{"pins":{"tpm2":{}},"t":1}');
    expect(clevisPin({ ...l, clevis: { tang: [{ url: 'http://t', thumbprint: 'TP', advertisement: '{"a":1}' }], tpm2: true, threshold: 2 } }).config).toBe(
      '{"pins":{"tang":[{"url":"http://t","thp":"TP","adv":{"a":1}}],"tpm2":{}},"t":2}',
    );
    expect(clevisBindArgv({ ...l, clevis: { custom: { pin: 'tpm2', config: '{}' } } }, 'D', 'K', defaultTools)).toEqual([
      'clevis',
      'luks',
      'bind',
      '-f',
      '-k',
      'K',
      '-d',
      'D',
      'tpm2',
      '{}',
    ]);
    expect(canProveUnlock(tang)).toBe(true);
    expect(canProveUnlock({ ...l, clevis: { tang: [{ url: 'u', thumbprint: 't', advertisement: '{}' }] } })).toBe(false);
    expect(hasClevis({ ...l, clevis: { threshold: 0 } })).toBe(false);
  });
});

describe('kernel sync after a table rewrite', () => {
  const k = (number: number, start: number, size: number) => ({ number, node: `/dev/vdb${number}`, start, size });
  const argv = (before: ReturnType<typeof k>[], final: { number: number; start: number; size: number }[], sectorSize = 512) =>
    kernelSyncSteps(before, final, sectorSize, '/dev/vdb', 'partx').map((s) => s.argv.slice(1, 4).join(' '));

  it('drops every stale entry before it adds or updates any, so nothing can overlap', () => {
    // the issue: 3 old partitions, 2 new ones, new 1 overlapping old 2
    const before = [k(1, 2048, 8192), k(2, 10240, 8192), k(3, 18432, 8192)];
    const final = [
      { number: 1, start: 2048, size: 16384 },
      { number: 2, start: 18432, size: 16384 },
    ];
    expect(argv(before, final)).toEqual(['--delete --nr 1', '--delete --nr 2', '--delete --nr 3', '--update --nr 1', '--update --nr 2']);
  });

  it('keeps entries whose extent is unchanged and updates every partition of the new table', () => {
    const before = [k(1, 2048, 4096)];
    expect(
      argv(before, [
        { number: 1, start: 2048, size: 4096 },
        { number: 2, start: 6144, size: 4096 },
      ]),
    ).toEqual(['--update --nr 1', '--update --nr 2']);
    // 4096-byte sectors: the kernel counts in 512-byte units
    expect(argv([k(1, 2048, 4096)], [{ number: 1, start: 256, size: 512 }], 4096)).toEqual(['--update --nr 1']);
    // an empty new table: only deletes
    expect(argv(before, [])).toEqual(['--delete --nr 1']);
    expect(kernelSyncSteps(before, [], 512, '/dev/vdb', 'partx')[0]).toMatchObject({
      argv: ['partx', '--delete', '--nr', '1', '/dev/vdb'],
      fail: 'partition delete failed',
    });
  });

  it('checks the kernel’s view against the whole new table with Ignition’s messages', () => {
    const final = [{ number: 1, start: 2048, size: 4096 }];
    expect(kernelMismatch([k(1, 2048, 4096)], final, 512, '/dev/vdb')).toBeUndefined();
    expect(kernelMismatch([], final, 512, '/dev/vdb')).toBe('failed to read start of "/dev/vdb1" from sysfs: the kernel does not know partition 1');
    expect(kernelMismatch([k(1, 4096, 4096)], final, 512, '/dev/vdb')).toBe(
      'kernel partition start for "/dev/vdb1" does not match expected (4096 != 2048 512-byte sectors)',
    );
    expect(kernelMismatch([k(1, 2048, 1)], final, 512, '/dev/vdb')).toBe(
      'kernel partition size for "/dev/vdb1" does not match expected (1 != 4096 512-byte sectors)',
    );
    expect(kernelMismatch([k(1, 2048, 4096), k(3, 9000, 1)], final, 512, '/dev/vdb')).toBe('"/dev/vdb3" unexpectedly exists after partitioning');
  });
});

describe('dry-run output and mount order', () => {
  it('prints each argument as a shell reads it back; run-time values stay visible', () => {
    expect(shellWord('')).toBe("''");
    expect(shellWord('--new=1:2048:+4096')).toBe('--new=1:2048:+4096');
    expect(shellWord('{"pins":{}}')).toBe(`'{"pins":{}}'`);
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord('<key-file:data>')).toBe('<key-file:data>');
    expect(shellWord('<a')).toBe("'<a'");
    expect(
      formatPlan([
        { argv: ['mount', '-o', '', '-t', 'ext4', '/dev/vdb1', '/sysroot'], why: 'mount /dev/vdb1 at /' },
        { argv: ['x'], why: 'y', note: 'z' },
      ]),
    ).toBe("   1. mount -o '' -t ext4 /dev/vdb1 /sysroot  # mount /dev/vdb1 at /\n   2. x  # y [z]\n");
  });

  it('mounts shallowest first, unmounts deepest first; Ignition passes -o "" when there are no options', () => {
    const config: Config = {
      ignition: { version: '3.4.0' },
      storage: {
        filesystems: [
          { device: '/dev/vdb1', format: 'xfs', label: 'root', path: '/' },
          { device: '/dev/vdb2', format: 'ext4', path: '/var' },
        ],
      },
    };
    const m = planMount(config, '/sysroot', defaultTools);
    expect(m.mount.map((c) => c.argv)).toEqual([
      ['mount', '-o', '', '-t', 'xfs', '/dev/vdb1', '/sysroot'],
      ['mount', '-o', '', '-t', 'ext4', '/dev/vdb2', '/sysroot/var'],
    ]);
    expect(m.umount.map((c) => c.argv[1])).toEqual(['/sysroot/var', '/sysroot']);
  });
});
