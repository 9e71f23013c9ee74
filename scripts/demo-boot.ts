// npm run demo:boot [CONFIG]: a first boot of the example (or CONFIG) in QEMU, live on this
// terminal. Builds dist/initramfs/initramfs.img with dracut, makes a small busybox root disk and a
// blank data disk (serial "data": /dev/disk/by-id/virtio-data, as the example expects) in
// dist/demo/, passes the config through fw_cfg (platform qemu), and shows what the new root holds.
// Needs root (the kernel and dracut) and: qemu-system-x86 linux-image-amd64 dracut dracut-network
// busybox-static e2fsprogs gdisk xfsprogs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildInitramfs, dracutUnavailable } from '../initramfs/build.js';
import { GUEST_ARGS, qemuUnavailable, runGuest, timingReport } from '../initramfs/qemu/guest.js';
import { blankImage, ext4Image } from '../initramfs/qemu/images.js';
import { makeRootTree, ROOT_INIT_MARKER } from '../initramfs/qemu/rootfs.js';

const config = process.argv[2] ?? 'examples/webserver.bu';
const dir = path.resolve('dist/demo');

// What the root's init prints once the first boot is over (busybox sh).
const PROBE = `
echo "--- what the first boot left on the root disk ---"
echo "hostname: $(cat /etc/hostname 2>/dev/null)"
grep -E '^(core|deploy):' /etc/passwd
echo "ssh keys of core: $(cat /home/core/.ssh/authorized_keys.d/ignition 2>/dev/null | wc -l)"
ls -l /etc/systemd/system /etc/systemd/system-preset 2>/dev/null
echo "--- filesystems by label ---"
ls /dev/disk/by-label 2>/dev/null
`;

async function main(): Promise<number> {
  const why = dracutUnavailable() ?? qemuUnavailable() ?? (!fs.existsSync('/bin/busybox') ? 'busybox missing (apt-get install busybox-static)' : undefined);
  if (why) {
    console.error(`demo:boot: cannot run here: ${why}`);
    return 1;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  console.log('demo:boot: building the initramfs with dracut...');
  const b = buildInitramfs();
  console.log(`demo:boot: ${path.relative('.', b.out)}: ${(b.bytes / 1048576).toFixed(1)} MiB in ${b.seconds.toFixed(1)} s (kernel ${b.kernel.version})`);

  const tree = path.join(dir, 'root-tree');
  makeRootTree(tree, { probe: PROBE, groups: ['wheel'] });
  const root = path.join(dir, 'root.img');
  ext4Image(root, 64, 'root', tree);
  fs.rmSync(tree, { recursive: true });
  const data = path.join(dir, 'data.img');
  blankImage(data, 512);

  // The journal goes to the console too: Kindling's own log lines, and the guest clock for the
  // stage times (systemd's copies of its status lines are not shown twice).
  const append = [...GUEST_ARGS, 'ignition.firstboot', 'ignition.platform.id=qemu'].join(' ');
  console.log(`demo:boot: booting with ${config} in fw_cfg (opt/com.coreos/config); kernel arguments: ${append}\n`);
  const r = await runGuest({
    kernel: b.kernel.vmlinuz,
    initrd: b.out,
    append,
    disks: [root, { file: data, serial: 'data' }],
    fwCfg: [{ name: 'opt/com.coreos/config', file: path.resolve(config) }],
    timeoutMs: 600_000,
    // systemd's spinner for long jobs is one line per frame here; the rest is the boot as it goes.
    onLine: (line) => /Job \S+ running \(|^\[\s*[\d.]+\] systemd\[1\]: /.test(line) || process.stdout.write(`${line}\n`),
  });
  console.log(`\n${timingReport('demo:boot', r)}`);
  if (r.timedOut) console.log('demo:boot: the guest did not power off within 10 minutes and was stopped');
  const ok = r.console.includes(ROOT_INIT_MARKER);
  console.log(
    ok
      ? `demo:boot: provisioned; the disks are in ${path.relative('.', dir)}/ (root.img, data.img)`
      : 'demo:boot: the first boot failed (see the Kindling failure summary above)',
  );
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code));
