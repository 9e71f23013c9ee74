// Builds the test VM's initramfs: static busybox, the two init stages, the job script and the few
// modules needed to reach the host's root over virtio 9p. Everything else (md, dm-crypt, loop,
// filesystems) is loaded in the guest from the host's /lib/modules by stage 2.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleClosure, parseModulesBuiltin, parseModulesDep } from './modules.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** What stage 1 needs before the host root is visible. */
export const BOOT_MODULES = ['virtio_pci', '9pnet_virtio', '9p', 'overlay'];
/** What the disk and config-drive tests need from the guest kernel (the host kernel's missing pieces among them). */
export const GUEST_MODULES = [
  'loop',
  'md_mod',
  'raid1',
  'dm_mod',
  'dm_crypt',
  'xts',
  'ext4',
  'xfs',
  'btrfs',
  'vfat',
  'nls_cp437',
  'nls_iso8859_1',
  'isofs',
  'udf',
];

export interface Kernel {
  vmlinuz: string;
  version: string;
  modulesDir: string;
}

/** The newest /boot/vmlinuz-<ver> whose /lib/modules/<ver> is installed, or why there is none. */
export function findKernel(bootDir = '/boot', modulesRoot = '/lib/modules'): Kernel | string {
  const versions = (fs.existsSync(bootDir) ? fs.readdirSync(bootDir) : [])
    .filter((f) => f.startsWith('vmlinuz-'))
    .map((f) => f.slice('vmlinuz-'.length))
    .filter((v) => fs.existsSync(path.join(modulesRoot, v, 'modules.dep')))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const version = versions.at(-1);
  if (!version) return `no kernel with modules in ${bootDir} and ${modulesRoot} (apt-get install linux-image-amd64)`;
  // The guest kernel must be readable by qemu; Debian installs it 0600 for root, and tests run as root.
  return { vmlinuz: path.join(bootDir, `vmlinuz-${version}`), version, modulesDir: path.join(modulesRoot, version) };
}

export interface InitramfsOptions {
  kernel: Kernel;
  /** Shell script run by stage 2 as root on the overlaid host root; its exit status is reported. */
  job: string;
  out: string;
  busybox?: string;
  guestModules?: string[];
}

export function buildInitramfs(o: InitramfsOptions): void {
  const busybox = o.busybox ?? '/bin/busybox';
  // A dynamically linked busybox would need its libraries inside the initramfs.
  if (hasInterpreter(fs.readFileSync(busybox))) throw new Error(`${busybox} is not static (apt-get install busybox-static)`);
  const dep = parseModulesDep(fs.readFileSync(path.join(o.kernel.modulesDir, 'modules.dep'), 'utf8'));
  const builtinFile = path.join(o.kernel.modulesDir, 'modules.builtin');
  const builtin = parseModulesBuiltin(fs.existsSync(builtinFile) ? fs.readFileSync(builtinFile, 'utf8') : '');
  const boot = moduleClosure(dep, BOOT_MODULES, builtin);
  // Fail here, on the host, rather than as a modprobe error deep inside the guest.
  moduleClosure(dep, o.guestModules ?? GUEST_MODULES, builtin);

  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-initramfs-'));
  try {
    for (const d of ['bin', 'modules']) fs.mkdirSync(path.join(stage, d));
    fs.copyFileSync(busybox, path.join(stage, 'bin/busybox'));
    fs.symlinkSync('busybox', path.join(stage, 'bin/sh'));
    const order: string[] = [];
    for (const rel of boot) {
      if (!rel.endsWith('.ko')) throw new Error(`compressed module ${rel}: busybox insmod needs plain .ko files`);
      const name = path.basename(rel);
      fs.copyFileSync(path.join(o.kernel.modulesDir, rel), path.join(stage, 'modules', name));
      order.push(name);
    }
    fs.writeFileSync(path.join(stage, 'modules/order'), order.join('\n') + '\n');
    fs.copyFileSync(path.join(here, 'init.sh'), path.join(stage, 'init'));
    fs.chmodSync(path.join(stage, 'init'), 0o755);
    fs.copyFileSync(path.join(here, 'stage2.sh'), path.join(stage, 'stage2'));
    fs.writeFileSync(path.join(stage, 'job'), o.job);
    fs.writeFileSync(path.join(stage, 'guest-modules'), (o.guestModules ?? GUEST_MODULES).join(' ') + '\n');

    const list = ['.', ...walk(stage, '.')].join('\n') + '\n';
    const r = spawnSync('cpio', ['--quiet', '-o', '-H', 'newc', '-R', '0:0', '-O', o.out], { cwd: stage, input: list, encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`cpio failed: ${r.error?.message ?? r.stderr}`);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** Whether an ELF64 little-endian binary asks for a dynamic loader (has a PT_INTERP header). */
export function hasInterpreter(elf: Buffer): boolean {
  if (elf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF binary');
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const size = elf.readUInt16LE(0x36);
  const count = elf.readUInt16LE(0x38);
  for (let i = 0; i < count; i++) if (elf.readUInt32LE(phoff + i * size) === 3) return true;
  return false;
}

function walk(root: string, rel: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const p = `${rel}/${e.name}`;
    out.push(p);
    if (e.isDirectory()) out.push(...walk(root, p));
  }
  return out;
}
