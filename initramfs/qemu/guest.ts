// One QEMU guest booting Debian's kernel with the dracut-built initramfs, under TCG (KVM hangs
// guests on these machines). The serial console is captured line by line with the host time each
// line arrived, which is how boot and stage times are measured. QEMU exits 0 both when the guest
// powers off normally and when emergency mode powers it off: callers judge by console markers.
import { spawn, spawnSync } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

export const QEMU = 'qemu-system-x86_64';
/**
 * x86-64-v2 (SSE4.2, POPCNT): enough for Node, without the AVX paths `-cpu max` makes the guest
 * kernel take under emulation (a kernel-only boot reached init 10 to 30 % sooner with fewer CPU
 * features, measured on a busy shared machine).
 */
export const CPU_MODEL = 'Nehalem';

export interface GuestOptions {
  kernel: string;
  initrd: string;
  /** Kernel command line. */
  append: string;
  /** Raw disk images, attached as virtio disks vda, vdb, ... in this order; a serial shows up as
   *  /dev/disk/by-id/virtio-SERIAL. */
  disks: (string | { file: string; serial?: string })[];
  /** fw_cfg entries, e.g. { name: 'opt/com.coreos/config', file }. */
  fwCfg?: { name: string; file: string }[];
  /** QEMU user networking (the host is 10.0.2.2 in the guest); no NIC at all otherwise. */
  net?: boolean;
  memMiB?: number;
  cpus?: number;
  timeoutMs: number;
  /**
   * Kill the guest when QEMU has written nothing at all by then (a guest that never started: the
   * firmware and the kernel write within seconds even under TCG). The result says `silent`.
   */
  silentMs?: number;
  /** Each console line as it arrives (for live logs). */
  onLine?: (line: string, ms: number) => void;
}

export interface ConsoleLine {
  /** Milliseconds since QEMU was started. */
  ms: number;
  text: string;
}

export interface GuestResult {
  lines: ConsoleLine[];
  console: string;
  wallMs: number;
  timedOut: boolean;
  /** Killed after `silentMs` without a byte of output. */
  silent: boolean;
  exitCode: number | null;
}

export function qemuUnavailable(): string | undefined {
  if (spawnSync(QEMU, ['--version']).status !== 0) return `${QEMU} missing (apt-get install qemu-system-x86)`;
  return undefined;
}

/** How every guest here is started: TCG (KVM hangs a guest on this class of machine), serial console on stdio, no default devices, power-off instead of reboot. */
export function tcgArgv(o: { cpu: string; memMiB: number; cpus: number; kernel: string; initrd: string; append: string }): string[] {
  return [
    ...['-accel', 'tcg,thread=multi', '-cpu', o.cpu, '-m', String(o.memMiB), '-smp', String(o.cpus)],
    ...['-nodefaults', '-display', 'none', '-no-reboot', '-serial', 'stdio'],
    ...['-kernel', o.kernel, '-initrd', o.initrd, '-append', o.append],
  ];
}

export function guestArgv(o: GuestOptions): string[] {
  const argv = tcgArgv({ cpu: CPU_MODEL, memMiB: o.memMiB ?? 2048, cpus: o.cpus ?? 2, kernel: o.kernel, initrd: o.initrd, append: o.append });
  o.disks.forEach((d, i) => {
    const { file, serial } = typeof d === 'string' ? { file: d, serial: undefined } : d;
    argv.push('-drive', `file=${file},if=none,id=disk${i},format=raw`, '-device', `virtio-blk-pci,drive=disk${i}${serial ? `,serial=${serial}` : ''}`);
  });
  for (const f of o.fwCfg ?? []) argv.push('-fw_cfg', `name=${f.name},file=${f.file}`);
  argv.push('-nic', o.net ? 'user,model=virtio-net-pci' : 'none');
  return argv;
}

/** Boots, waits for QEMU to exit (or kills it at the timeout), and returns the console. */
export async function runGuest(o: GuestOptions): Promise<GuestResult> {
  const started = Date.now();
  const child = spawn(QEMU, guestArgv(o), { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: ConsoleLine[] = [];
  // Colours and cursor movement from systemd's status output are noise for matching; they are
  // removed from whole lines, since an escape sequence can straddle two reads.
  const clean = (text: string) => text.replace(/\r/g, '').replace(/\x1b(\[[0-9;?]*[A-Za-z]|[@-Z\\-_])/g, '');
  const push = (raw: string, ms: number) => {
    const text = clean(raw);
    lines.push({ ms, text });
    o.onLine?.(text, ms);
  };
  // One reader per stream (serial on stdout, QEMU's own errors on stderr), each with its partial line.
  const flushers = [child.stdout, child.stderr].map((stream) => {
    const decoder = new StringDecoder('utf8');
    let partial = '';
    stream.on('data', (b: Buffer) => {
      const ms = Date.now() - started;
      const parts = (partial + decoder.write(b)).split('\n');
      partial = parts.pop() ?? '';
      for (const raw of parts) push(raw, ms);
    });
    return () => partial && push(partial, Date.now() - started);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, o.timeoutMs);
  let silent = false;
  let heard = false;
  const onData = () => (heard = true);
  child.stdout.once('data', onData);
  child.stderr.once('data', onData);
  const silence =
    o.silentMs === undefined
      ? undefined
      : setTimeout(() => {
          if (heard) return;
          silent = timedOut = true;
          child.kill('SIGKILL');
        }, o.silentMs);
  try {
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    for (const flush of flushers) flush();
    return { lines, console: lines.map((l) => l.text).join('\n'), wallMs: Date.now() - started, timedOut, silent, exitCode };
  } finally {
    clearTimeout(timer);
    clearTimeout(silence);
    // Never leave a guest behind, whatever happened above.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export interface StageTime {
  stage: string;
  startMs: number;
  endMs?: number;
  result: 'finished' | 'failed' | 'running';
}

/** Kernel arguments that make systemd name units in its status lines, which stageTimes reads. */
export const STATUS_BY_NAME = 'systemd.show_status=1 systemd.status_unit_format=name';

/** Kernel arguments of a first-boot guest: serial console, the root disk by label, power-off instead
 *  of a shell on failure, unit names in status lines (for stage times), and the journal on the
 *  console (so a failing run shows the engine's log, and secret checks see every log line). */
export const GUEST_ARGS = [
  'console=ttyS0',
  'root=LABEL=root',
  'rw',
  'rd.shell=0',
  'rd.emergency=poweroff',
  'loglevel=4',
  STATUS_BY_NAME,
  'systemd.journald.forward_to_console=1',
];

/**
 * When each Kindling unit started and finished. From the journal on the console
 * (systemd.journald.forward_to_console=1) when it is there: its lines carry the guest's clock.
 * Otherwise from systemd's status lines, timed by their arrival on the host.
 */
export function stageTimes(lines: ConsoleLine[]): StageTime[] {
  const journal = /\[\s*([\d.]+)\] systemd\[1\]: (Starting|Finished|Failed to start) kindling-([a-z-]+)\.service/;
  const status = /(Starting|Finished|Failed to start) kindling-([a-z-]+)\.service/;
  const fromJournal = lines.some((l) => journal.test(l.text));
  const byStage = new Map<string, StageTime>();
  for (const l of lines) {
    let verb: string, stage: string, ms: number;
    if (fromJournal) {
      const m = journal.exec(l.text);
      if (!m) continue;
      [verb, stage, ms] = [m[2], m[3], Number(m[1]) * 1000];
    } else {
      const m = status.exec(l.text);
      if (!m) continue;
      [verb, stage, ms] = [m[1], m[2], l.ms];
    }
    if (verb === 'Starting') byStage.set(stage, { stage, startMs: ms, result: 'running' });
    else {
      const t = byStage.get(stage) ?? { stage, startMs: ms, result: 'running' as const };
      t.endMs = ms;
      t.result = verb === 'Finished' ? 'finished' : 'failed';
      byStage.set(stage, t);
    }
  }
  return [...byStage.values()];
}

/** Milliseconds at which the first line matching `re` arrived. */
export function firstAt(lines: ConsoleLine[], re: RegExp): number | undefined {
  return lines.find((l) => re.test(l.text))?.ms;
}

/** A one-paragraph timing report: milestones, then each stage's duration. */
export function timingReport(name: string, r: GuestResult): string {
  const s = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const milestones = [
    ['systemd up', firstAt(r.lines, /systemd\[1\]: |Reached target /)],
    ['switch-root', firstAt(r.lines, /Starting initrd-switch-root\.service/)],
    ['root init', firstAt(r.lines, /@@KINDLING-ROOT-INIT@@/)],
    ['power-off', r.wallMs],
  ] as const;
  const stages = stageTimes(r.lines).map(
    (t) => `${t.stage} ${t.endMs === undefined ? '(no end)' : s(t.endMs - t.startMs)}${t.result === 'failed' ? ' FAILED' : ''}`,
  );
  return `${name}: ${milestones.map(([k, v]) => `${k} ${s(v)}`).join(', ')}\n  stages: ${stages.join(', ') || 'none'}`;
}
