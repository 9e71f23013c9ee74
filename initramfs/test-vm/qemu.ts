// Boots the test VM under QEMU's software emulation and reports what the job printed and how it
// exited. TCG only: KVM exists on CI machines but hangs nested guests.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { QEMU, qemuUnavailable, tcgArgv } from '../qemu/guest.js';
import { buildInitramfs, findKernel, type Kernel } from './build.js';

/** Why the VM cannot run here, or undefined when it can. */
export function vmUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (the guest kernel in /boot is readable by root only)';
  const qemu = qemuUnavailable();
  if (qemu) return qemu;
  if (spawnSync('cpio', ['--version']).status !== 0) return 'cpio missing (apt-get install cpio)';
  if (!fs.existsSync('/bin/busybox')) return 'busybox missing (apt-get install busybox-static)';
  const k = findKernel();
  return typeof k === 'string' ? k : undefined;
}

export function qemuArgv(kernel: Kernel, initrd: string, memMiB: number, cpus: number): string[] {
  return [
    QEMU,
    ...tcgArgv({ cpu: 'max', memMiB, cpus, kernel: kernel.vmlinuz, initrd, append: 'console=ttyS0 loglevel=1 panic=-1' }),
    // The guest sees the host's whole root read-only; its writes go to a tmpfs overlay (init.sh).
    '-virtfs',
    'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
  ];
}

export interface VmResult {
  /** The job's exit status, undefined when the guest never reported one (crash, timeout). */
  exit?: number;
  /** Console output with carriage returns removed. */
  output: string;
  /** Seconds from power-on to stage 2 ready (guest uptime), as the guest measured them. */
  bootSeconds?: number;
  wallMs: number;
  timedOut: boolean;
}

/** Exit status and readiness time from the console markers of stage 1 and 2. */
export function parseConsole(output: string): { exit?: number; bootSeconds?: number } {
  const exit = /@@KINDLING-VM-EXIT (\d+)@@/.exec(output);
  const ready = /@@KINDLING-VM-READY ([\d.]+)@@/.exec(output);
  return { exit: exit ? Number(exit[1]) : undefined, bootSeconds: ready ? Number(ready[1]) : undefined };
}

export interface RunOptions {
  job: string;
  timeoutMs: number;
  memMiB?: number;
  cpus?: number;
  onOutput?: (chunk: string) => void;
}

export async function runInVm(o: RunOptions): Promise<VmResult> {
  const kernel = findKernel();
  if (typeof kernel === 'string') throw new Error(kernel);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-vm-'));
  try {
    const initrd = path.join(dir, 'initrd.cpio');
    buildInitramfs({ kernel, job: o.job, out: initrd });
    const [cmd, ...args] = qemuArgv(kernel, initrd, o.memMiB ?? 2048, o.cpus ?? 2);
    const started = Date.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    // One decoder per stream: a chunk can end inside a multi-byte character (vitest's ✓).
    const decoders = { out: new StringDecoder('utf8'), err: new StringDecoder('utf8') };
    const take = (d: StringDecoder) => (b: Buffer) => {
      const s = d.write(b).replace(/\r/g, '');
      output += s;
      o.onOutput?.(s);
    };
    child.stdout.on('data', take(decoders.out));
    child.stderr.on('data', take(decoders.err));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    await new Promise<void>((resolve) => child.on('close', () => resolve()));
    clearTimeout(timer);
    return { ...parseConsole(output), output, wallMs: Date.now() - started, timedOut };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A job script line: `cd dir && env K=V... argv...`, every word single-quoted. */
export function shellJob(cwd: string, env: Record<string, string>, argv: string[]): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const vars = Object.entries(env).map(([k, v]) => q(`${k}=${v}`));
  return `cd ${q(cwd)} && exec env ${[...vars, ...argv.map(q)].join(' ')}\n`;
}
