// `npm run build:initramfs`: dist/initramfs/initramfs.img, made by the real dracut with the
// 30kindling module (initramfs/dracut/30kindling plus the boot bundle from dist/) for the newest
// installed kernel. The module is added through a private copy of dracut's module tree (symlinks,
// plus our directory), so nothing is installed into /usr/lib/dracut, and the host's dracut
// configuration is ignored so that every machine builds the same image.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findKernel, type Kernel } from './test-vm/build.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const MODULE_DIR = path.join(here, 'dracut/30kindling');
export const DRACUT_BASE = '/usr/lib/dracut';
export const DEFAULT_OUT = 'dist/initramfs/initramfs.img';

/**
 * dracut modules asked for by name. With -m, dracut adds their dependencies (systemd, udev rules,
 * dm, systemd-networkd: see 30kindling's depends) and nothing else, so the image does not grow
 * with whatever the build machine has installed (Debian's 30ignition, for one).
 */
export const DRACUT_MODULES = ['dracut-systemd', 'rootfs-block', 'kindling'];
/** The build machine is not a VM, so dracut's qemu modules would not add these by themselves. */
export const VM_DRIVERS = ['virtio_pci', 'virtio_blk', 'virtio_scsi', 'virtio_net', 'qemu_fw_cfg'];

/** Why an initramfs cannot be built here, or undefined. */
export function dracutUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (dracut reads the kernel modules and /boot as root)';
  // `dracut --version` exits 1 even when it works: ask the shell instead.
  if (spawnSync('sh', ['-c', 'command -v dracut']).status !== 0) return 'dracut missing (apt-get install dracut dracut-network)';
  if (!fs.existsSync(path.join(DRACUT_BASE, 'modules.d/01systemd-networkd')))
    return 'dracut-network missing (apt-get install --no-install-recommends dracut-network)';
  if (spawnSync('node', ['--version']).status !== 0) return 'node is not on PATH';
  const k = findKernel();
  return typeof k === 'string' ? k : undefined;
}

export interface BuildOptions {
  out?: string;
  kernel?: Kernel;
  /** Where the boot bundle (kindling-boot.cjs, with its code cache) is; default dist/. */
  bundleDir?: string;
}

export interface BuildResult {
  out: string;
  kernel: Kernel;
  bytes: number;
  seconds: number;
}

export function buildInitramfs(o: BuildOptions = {}): BuildResult {
  const kernel = o.kernel ?? findKernel();
  if (typeof kernel === 'string') throw new Error(kernel);
  const bundleDir = o.bundleDir ?? 'dist';
  const bundles = ['kindling-boot.cjs', 'kindling-boot.cache'].filter((f) => fs.existsSync(path.join(bundleDir, f)));
  if (!bundles.includes('kindling-boot.cjs')) throw new Error(`no kindling-boot.cjs in ${bundleDir}: run npm run build first`);
  const out = path.resolve(o.out ?? DEFAULT_OUT);
  fs.mkdirSync(path.dirname(out), { recursive: true });

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-dracut-'));
  try {
    const base = path.join(work, 'dracut');
    fs.mkdirSync(path.join(base, 'modules.d'), { recursive: true });
    for (const e of fs.readdirSync(DRACUT_BASE)) if (e !== 'modules.d') fs.symlinkSync(path.join(DRACUT_BASE, e), path.join(base, e));
    for (const m of fs.readdirSync(path.join(DRACUT_BASE, 'modules.d'))) {
      // Debian's ignition package ships a 30ignition without check(); keep it out of the tree.
      if (m.endsWith('ignition') || m.endsWith('kindling')) continue;
      fs.symlinkSync(path.join(DRACUT_BASE, 'modules.d', m), path.join(base, 'modules.d', m));
    }
    const mod = path.join(base, 'modules.d/30kindling');
    fs.cpSync(MODULE_DIR, mod, { recursive: true });
    for (const f of bundles) fs.copyFileSync(path.join(bundleDir, f), path.join(mod, f));
    const confdir = path.join(work, 'conf.d');
    fs.mkdirSync(confdir);

    const argv = [
      '--force',
      '--no-hostonly',
      '--no-early-microcode',
      '--quiet',
      '--conf',
      '/dev/null',
      '--confdir',
      confdir,
      '--tmpdir',
      work,
      '--kver',
      kernel.version,
      '-m',
      DRACUT_MODULES.join(' '),
      '--add-drivers',
      VM_DRIVERS.join(' '),
      // zstd: smaller than gzip and faster to unpack under emulation.
      '--compress',
      'zstd -q -T0 -6',
      out,
    ];
    const started = Date.now();
    const r = spawnSync('dracut', argv, { env: { ...process.env, dracutbasedir: base }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const seconds = (Date.now() - started) / 1000;
    if (r.status !== 0) throw new Error(`dracut failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
    return { out, kernel, bytes: fs.statSync(out).size, seconds };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const why = dracutUnavailable();
  if (why) {
    console.error(`build:initramfs: cannot build: ${why}`);
    process.exit(1);
  }
  try {
    const r = buildInitramfs({ out: process.argv[2] });
    console.log(`${path.relative('.', r.out)}: ${mib(r.bytes)} (${r.bytes} bytes), kernel ${r.kernel.version}, built by dracut in ${r.seconds.toFixed(1)} s`);
  } catch (e) {
    console.error(`build:initramfs: ${(e as Error).message}`);
    process.exit(1);
  }
}
