// First boots under QEMU: one dracut initramfs shared by every scenario, a small busybox root disk
// and a blank disk per guest, and readers that inspect the images from the host after power-off
// (debugfs on ext4, sgdisk on the partition table, cryptsetup on LUKS headers) without mounting.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { buildInitramfs, dracutUnavailable, type BuildResult } from '../../initramfs/build.js';
import { GUEST_ARGS, runGuest, timingReport, type GuestResult } from '../../initramfs/qemu/guest.js';
import { blankImage, ext4Image } from '../../initramfs/qemu/images.js';
import { makeRootTree, probeOutput, ROOT_DONE_MARKER, ROOT_INIT_MARKER, type RootOptions } from '../../initramfs/qemu/rootfs.js';
import { qemuUnavailable } from '../../initramfs/qemu/guest.js';
import { unrecorded } from '../support/leak-sink.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Why first boots cannot run here, or undefined. */
export function bootUnavailable(): string | undefined {
  return (
    dracutUnavailable() ??
    qemuUnavailable() ??
    (!fs.existsSync('/bin/busybox') ? 'busybox missing (apt-get install busybox-static)' : undefined) ??
    (!has('debugfs') || !has('sgdisk') ? 'debugfs or sgdisk missing (apt-get install e2fsprogs gdisk)' : undefined) ??
    (!fs.existsSync('dist/kindling.cjs') ? 'dist/kindling.cjs missing (npm run build)' : undefined)
  );
}

export const GUEST_TIMEOUT_MS = 240_000;
/** A guest silent this long never started (see boot). */
const GUEST_SILENT_MS = 60_000;
/** Each guest's console, with the host time of every line. */
export const LOG_DIR = 'dist/boot-logs';

export const FIRSTBOOT = (platform: string) => ['ignition.firstboot', `ignition.platform.id=${platform}`];

/**
 * Guests booting at once. Each keeps about one host core busy (boots are mostly serial), so two
 * use a two-core CI machine fully; KINDLING_BOOT_PARALLEL changes it.
 */
export const PARALLEL_GUESTS = Math.max(1, Number(process.env.KINDLING_BOOT_PARALLEL) || 2);
/** Guest memory: room for the unpacked initramfs, Node and cryptsetup's Argon2 (half the RAM). */
export const GUEST_MEM_MIB = 1536;

export class BootLab {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-boot-'));
  initramfs?: BuildResult;
  readonly timings: string[] = [];
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  private async slot(): Promise<() => void> {
    if (this.running >= PARALLEL_GUESTS) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    return () => {
      this.running--;
      this.waiting.shift()?.();
    };
  }

  build(): BuildResult {
    this.initramfs = buildInitramfs({ out: path.join(this.dir, 'initramfs.img') });
    return this.initramfs;
  }

  /** A scenario's own directory. */
  scratch(name: string): string {
    const d = path.join(this.dir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** A whole-disk ext4 root labelled root (no partition table), from the busybox tree. */
  rootImage(dir: string, o: RootOptions = {}, mib = 64): string {
    const tree = path.join(dir, 'root-tree');
    makeRootTree(tree, o);
    const img = path.join(dir, 'root.img');
    ext4Image(img, mib, 'root', tree);
    return img;
  }

  blankDisk(dir: string, mib = 256): string {
    const img = path.join(dir, 'blank.img');
    blankImage(img, mib);
    return img;
  }

  async boot(
    name: string,
    o: { args: string[]; disks: string[]; initrd?: string; fwCfg?: { name: string; file: string }[]; net?: boolean },
  ): Promise<GuestResult> {
    const release = await this.slot();
    let r: GuestResult;
    try {
      const run = () =>
        runGuest({
          kernel: this.initramfs!.kernel.vmlinuz,
          initrd: o.initrd ?? this.initramfs!.out,
          append: [...GUEST_ARGS, ...o.args].join(' '),
          disks: o.disks,
          fwCfg: o.fwCfg,
          net: o.net,
          memMiB: GUEST_MEM_MIB,
          timeoutMs: GUEST_TIMEOUT_MS,
          silentMs: GUEST_SILENT_MS,
        });
      r = await run();
      // QEMU once sat for the whole timeout without a byte from the firmware or the kernel (CI,
      // a loaded host), and once its kernel locked up (a vCPU stuck in `migration`) before systemd
      // started. Such a guest never reached the initramfs: nothing of ours was tested, so it starts
      // again, once.
      if (r.timedOut && !reachedInitramfs(r)) {
        const why = r.silent ? `QEMU wrote nothing in ${GUEST_SILENT_MS / 1000} s` : `the guest's kernel never started the initramfs (${lastLine(r)})`;
        console.log(`${name}: ${why}; starting the guest again`);
        r = await run();
      }
    } finally {
      release();
    }
    // Kept after the run (the scratch space is not), for reading a failure or a slow stage.
    fs.mkdirSync(LOG_DIR, { recursive: true });
    fs.writeFileSync(path.join(LOG_DIR, `${name}.log`), r.lines.map((l) => `${(l.ms / 1000).toFixed(1).padStart(6)} ${l.text}`).join('\n') + '\n');
    const t = timingReport(name, r);
    this.timings.push(t);
    console.log(t);
    return r;
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The console, for assertion messages (the tail: a failure is usually at the end). */
export function shown(r: GuestResult): string {
  const lines = r.console.split('\n');
  return `--- guest console (last 150 of ${lines.length} lines; wall ${(r.wallMs / 1000).toFixed(1)} s${r.timedOut ? ', TIMED OUT' : ''}) ---\n${lines.slice(-150).join('\n')}\n--- end ---`;
}

export const reachedRootInit = (r: GuestResult) => r.console.includes(ROOT_INIT_MARKER) && r.console.includes(ROOT_DONE_MARKER);

/** systemd in the initramfs greeted the console: the guest's kernel got as far as our image. */
const reachedInitramfs = (r: GuestResult) => /Welcome to .*\(Initramfs\)!/.test(r.console);

const lastLine = (r: GuestResult) =>
  r.console
    .split('\n')
    .filter((l) => l.trim() !== '')
    .pop()
    ?.trim() ?? 'no output';

/** The guest powered itself off after switch-root, with the root's init having run to its end. */
export function expectBootWentOn(r: GuestResult): void {
  expect(r.timedOut, shown(r)).toBe(false);
  expect(reachedRootInit(r), shown(r)).toBe(true);
}
export { probeOutput };

/**
 * A file in an ext4 filesystem image (or undefined when absent), read with debugfs. Its output is
 * not scanned for leaks: reading back a key file the config planted is the check, not a leak.
 */
export function ext4Read(image: string, p: string): Buffer | undefined {
  const r = unrecorded(() => spawnSync('debugfs', ['-R', `cat ${p}`, image], { stdio: ['ignore', 'pipe', 'pipe'] }));
  if (/not found|File not found/i.test(r.stderr.toString())) return undefined;
  return r.stdout;
}

/** `stat` of a path in an ext4 image: mode (octal string, permission bits) and owner. */
export function ext4Stat(image: string, p: string): { mode: string; uid: number; gid: number; type: string } | undefined {
  const r = spawnSync('debugfs', ['-R', `stat ${p}`, image], { encoding: 'utf8' });
  const m = /Type: (\w+)\s+Mode:\s+(\d+)/.exec(r.stdout);
  const u = /User:\s+(\d+)\s+Group:\s+(\d+)/.exec(r.stdout);
  if (!m || !u) return undefined;
  return { type: m[1], mode: m[2].slice(-3), uid: Number(u[1]), gid: Number(u[2]) };
}

export interface GptPartition {
  number: number;
  first: number;
  last: number;
  name: string;
}

/** The GPT of a disk image, from sgdisk (independent of our own parser). */
export function gptPartitions(image: string): GptPartition[] {
  const out = execFileSync('sgdisk', ['--print', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return [...out.matchAll(/^\s*(\d+)\s+(\d+)\s+(\d+)\s+\S+ \S+\s+\S+\s+(.*)$/gm)].map((m) => ({
    number: Number(m[1]),
    first: Number(m[2]),
    last: Number(m[3]),
    name: m[4].trim(),
  }));
}

/** Copies one partition of a disk image into its own file (sparse), for debugfs or cryptsetup. */
export function extractPartition(image: string, p: GptPartition, out: string): string {
  const src = fs.openSync(image, 'r');
  const dst = fs.openSync(out, 'w');
  try {
    const size = (p.last - p.first + 1) * 512;
    const chunk = Buffer.alloc(1 << 20);
    for (let done = 0; done < size;) {
      const n = fs.readSync(src, chunk, 0, Math.min(chunk.length, size - done), p.first * 512 + done);
      if (n <= 0) break;
      if (chunk.subarray(0, n).some((b) => b !== 0)) fs.writeSync(dst, chunk, 0, n, done);
      done += n;
    }
    fs.ftruncateSync(dst, size);
  } finally {
    fs.closeSync(src);
    fs.closeSync(dst);
  }
  return out;
}
