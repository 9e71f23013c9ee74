// md (RAID) and device-mapper (LUKS) tests inside a QEMU guest: the host kernel of CI machines has
// neither, so initramfs/test-vm boots Debian's kernel under TCG with the host's root shared
// read-only over 9p, and the disk tests that need those drivers run there for real (with the
// partition-table rewrite tests again, on a second kernel). The config-drive tests of the
// providers (vfat, ISO 9660, UDF, which the host kernel lacks too) share the boot.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleClosure, parseModulesDep } from '../../initramfs/test-vm/modules.js';
import { parseConsole, runInVm, shellJob, vmUnavailable } from '../../initramfs/test-vm/qemu.js';

const unavailable = process.env.KINDLING_IN_VM ? 'already inside the test VM' : vmUnavailable();
if (unavailable) console.warn(`skipping md/dm-crypt tests in QEMU: ${unavailable}`);

/**
 * Run inside the guest, selected by name (TCG is slow): the tests that need md or device-mapper
 * (the rest of filesystems.loop.test.ts already runs on the host), and the partition-table rewrite
 * scenarios again, on Debian's kernel, which re-reads GPT tables itself. Each must report a pass.
 */
const GUEST_FILES = ['test/disks/vm', 'test/disks/filesystems.loop.test.ts', 'test/disks/rewrite.loop.test.ts', 'test/providers/configdrive.loop.test.ts'];
/** test/providers/configdrive.loop.test.ts, all of it. */
const PROVIDER_TESTS = [
  'openstack: the config-2 ISO drive wins over a failing metadata service',
  'brightbox: a CONFIG-2 vfat drive that appears late',
  'openstack: a drive without user_data means no config',
  'cloudstack: user_data.txt on a config-2 drive (ISO, then vfat), while no DHCP lease exists',
  'kubevirt: NoCloud cidata or ConfigDrive config-2, whichever appears',
  'nutanix (ISO) and powervs (vfat, late): config-2, offline too',
  'ibmcloud: cidata /user-data; no drive within 30 s (scaled) = no config',
  'proxmoxve: skips #cloud-config and empty files, takes vendor-data after user-data',
  'azure: empty IMDS user data, then CustomData.bin of the UDF CD-ROM; a UDF disk that is no CD-ROM is never read',
  'azurestack: an ISO 9660 disc without CustomData.bin = no config',
  'azurestack: a CD without ovf-env.xml is read once, skipped, and the poll goes on',
  'a drive that does not mount is an error, and nothing stays mounted',
  'a symlink on the drive may not lead outside it',
  'without a by-label directory (no udev), blkid finds the label',
];
const MUST_PASS = [
  ...PROVIDER_TESTS,
  'RAID1 over two loop disks with a spare',
  'refuses to format a volume that holds a filesystem unless wipeVolume',
  'LUKS2 with a key file: header, crypttab line and key file; reopened when device-mapper exists',
  'opens a matching volume without formatting it; data and crypttab survive',
  'refuses to reuse a volume whose label, key or discard flag differ, and leaves it intact',
  'encrypted root and data volumes: files land inside, crypttab and /etc/luks keys reopen them',
  'partitions, RAID1, LUKS2 with a generated key, ext4 inside: run == dry run',
  'wipes a 3-partition table and creates 2, the new first one over the old second',
  'wipes a 3-partition table and creates 4',
  'wipes and creates partitions whose starts shift across the old boundaries (number 0, an unset start)',
  'wipes to an empty table',
  'replaces entries across old boundaries while another partition is open, so the kernel keeps its old table',
  'fails with partx’s stderr when a stale entry is still in use, instead of only logging it',
];
// A guard against a hung guest, not a speed limit: on a loaded 2-core machine TCG is several times slower than in CI.
const VM_TIMEOUT_MS = 10 * 60_000;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(!!unavailable)('disk tests inside a QEMU guest with md, dm-crypt and config-drive filesystems', () => {
  it(
    'runs test/disks/vm, the filesystem tests and the config-drive tests in the guest, all passing',
    async () => {
      if (!fs.existsSync('dist/kindling.cjs')) throw new Error('run `npm run build` first (npm test does)');
      const job = shellJob(
        path.resolve('.'),
        {
          KINDLING_IN_VM: '1',
          CI: '1',
          NO_COLOR: '1',
          TMPDIR: '/run/kindling-tmp',
          HOME: '/root',
          PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        },
        // TCG on a shared machine is slow and two test files share the guest's CPUs: no test here
        // measures speed, so the guest's per-test limit is generous
        [
          process.execPath,
          'node_modules/vitest/vitest.mjs',
          'run',
          '--reporter=verbose',
          '--testTimeout=240000',
          '--hookTimeout=240000',
          '-t',
          MUST_PASS.map(escapeRegExp).join('|'),
          ...GUEST_FILES,
        ],
      );
      const r = await runInVm({ job, timeoutMs: VM_TIMEOUT_MS });
      const summary = r.output.split('\n').filter((l) => /^\s*(Tests|Duration)\s/.test(l));
      console.log(`QEMU guest: ready after ${r.bootSeconds ?? '?'} s of guest uptime, ${(r.wallMs / 1000).toFixed(1)} s wall in total\n${summary.join('\n')}`);
      const show = `--- guest console ---\n${r.output}\n--- end of guest console ---`;
      expect(r.timedOut, `guest timed out after ${VM_TIMEOUT_MS} ms\n${show}`).toBe(false);
      expect(r.exit, `inner vitest failed\n${show}`).toBe(0);
      const passed = r.output.split('\n').filter((l) => /^\s*✓ /.test(l));
      for (const name of MUST_PASS)
        expect(
          passed.some((l) => l.includes(name)),
          `${name} did not pass in the guest\n${show}`,
        ).toBe(true);
      // Tests outside MUST_PASS are filtered out by -t (and reported as skipped); nothing may fail.
      expect(r.output, show).toMatch(new RegExp(`Tests\\s+${MUST_PASS.length} passed`));
      expect(r.output, show).not.toMatch(/Tests\s.*failed/);
    },
    VM_TIMEOUT_MS + 60_000,
  );
});

describe('test VM helpers', () => {
  const dep = parseModulesDep(
    [
      'kernel/fs/9p/9p.ko: kernel/net/9p/9pnet.ko kernel/fs/fscache/fscache.ko kernel/fs/netfs/netfs.ko',
      'kernel/fs/fscache/fscache.ko: kernel/fs/netfs/netfs.ko',
      'kernel/fs/netfs/netfs.ko:',
      'kernel/net/9p/9pnet.ko:',
      'kernel/net/9p/9pnet_virtio.ko: kernel/net/9p/9pnet.ko kernel/drivers/virtio/virtio_ring.ko',
      'kernel/drivers/virtio/virtio_ring.ko:',
      'kernel/drivers/md/dm-crypt.ko: kernel/drivers/md/dm-mod.ko',
      'kernel/drivers/md/dm-mod.ko:',
    ].join('\n'),
  );

  it('orders modules after their dependencies, each once, folding - and _', () => {
    const order = moduleClosure(dep, ['9p', '9pnet_virtio', 'dm_crypt']);
    expect(order).toEqual([
      'kernel/net/9p/9pnet.ko',
      'kernel/fs/netfs/netfs.ko',
      'kernel/fs/fscache/fscache.ko',
      'kernel/fs/9p/9p.ko',
      'kernel/drivers/virtio/virtio_ring.ko',
      'kernel/net/9p/9pnet_virtio.ko',
      'kernel/drivers/md/dm-mod.ko',
      'kernel/drivers/md/dm-crypt.ko',
    ]);
  });

  it('skips built-in modules and names a missing one with its dependent', () => {
    expect(moduleClosure(dep, ['virtio_pci', 'dm-mod'], new Set(['virtio_pci']))).toEqual(['kernel/drivers/md/dm-mod.ko']);
    const broken = parseModulesDep('kernel/a.ko: kernel/b.ko\n');
    expect(() => moduleClosure(broken, ['a'])).toThrow('kernel module b not found in modules.dep (needed by a)');
  });

  it('reads the exit status and readiness from the console markers', () => {
    expect(parseConsole('noise\n@@KINDLING-VM-READY 9.31@@\nout\n@@KINDLING-VM-EXIT 3@@\n[ 1.0] reboot')).toEqual({ exit: 3, bootSeconds: 9.31 });
    expect(parseConsole('Kernel panic - not syncing')).toEqual({ exit: undefined, bootSeconds: undefined });
  });

  it('quotes every word of the job', () => {
    expect(shellJob("/w/it's", { A: 'x y' }, ['node', '$HOME'])).toBe(`cd '/w/it'\\''s' && exec env 'A=x y' 'node' '$HOME'\n`);
  });
});
