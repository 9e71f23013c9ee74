// Cold start of every command of the built CLI (dist/kindling.cjs) and of the boot bundle
// (dist/kindling-boot.cjs), each against Node's own start (`node -e 0`): whole processes, run in
// turn round after round (baseline, then each command, in an order that rotates), so that a
// machine whose speed drifts slows all of them alike. Reported: the median wall time, the median
// of each round's ratio to the baseline (the figure issue 9 sets at 1.25x at most), the median CPU
// time and its ratio, and the median number of minor page faults over the baseline's. Each first
// touch of a page costs some 2.8 us here, and a cold `apply` touches about 550 pages more than
// Node's start: a fifth of what it adds. Unlike the wall time, the count does not drift.
//
// The timed runs are plain: nothing is preloaded into them. Their page faults are the children's
// minor faults that the kernel adds to this process's count when it reaps each one. CPU time comes
// from a second run of each command, under a preloaded file (usage-at-exit.cjs) that reads it at
// the 'exit' event, before Node's teardown (some 3.5 ms of every process here, so the CPU ratios
// run higher than the wall ones). The baseline of those runs is an empty main file under the same
// preload, not `node -e 0`: a preloaded module makes Node set up its CommonJS loader (resolution,
// realpath, the compile of a file), which `node -e 0` otherwise skips and a main file needs anyway.
// Preloaded, `node -e 0` took 2.5-2.9 ms longer here and an empty main file 0.5 ms, while plain
// the two start alike (within 0.2 +- 0.7 ms). Timing every run preloaded, `node -e 0` included,
// understates each command's ratio by about 0.05 (apply 1.28x against 1.33x).
//
// The children run without NODE_EXTRA_CA_CERTS and NODE_OPTIONS: the first makes every Node start
// parse a CA bundle (several times Node's own start), which would hide the cost measured here.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedBootEnv, stageFlags } from '../test/support/boot-env.js';
import { defaultPaths } from '../src/host/tools.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const USAGE_PRELOAD = path.join(here, 'usage-at-exit.cjs');

export interface Case {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  /** Run before each timed run (not timed), e.g. to remove a stage's outputs. */
  before?: () => void;
}

export interface Timing {
  name: string;
  wallMs: number;
  cpuMs: number;
  /** Medians of the per-round ratios to the baselines. */
  wallRatio: number;
  cpuRatio: number;
  /** Median of the per-round differences in minor page faults from the baseline. */
  extraFaults: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The environment of a timed child: this machine's NODE_EXTRA_CA_CERTS and NODE_OPTIONS left out (see the top). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  return env;
}

/**
 * The minor page faults of this process's reaped children so far (cminflt, the 11th field of
 * /proc/self/stat, counted after the command name, which may hold spaces), or NaN without /proc.
 */
function childFaults(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[8]);
  } catch {
    return NaN;
  }
}

function spawnCase(c: Case, argv: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, argv, { env: childEnv({ ...c.env, ...env }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${c.name}: exit ${r.status}\n${r.stderr}`);
}

/** One plain run: wall ms around the whole process, and its minor page faults. */
function timedRun(c: Case): { wall: number; faults: number } {
  c.before?.();
  const faults = childFaults();
  const t0 = process.hrtime.bigint();
  spawnCase(c, c.argv);
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  return { wall, faults: childFaults() - faults };
}

/** One run under the preload: its CPU ms (user + system) as the preload saw them at exit. */
function cpuRun(c: Case, usageFile: string): number {
  c.before?.();
  fs.rmSync(usageFile, { force: true });
  spawnCase(c, ['--require', USAGE_PRELOAD, ...c.argv], { KINDLING_BENCH_USAGE_FILE: usageFile });
  return Number(fs.readFileSync(usageFile, 'utf8'));
}

/**
 * Times each case against `node -e 0` (wall time, page faults) and against an empty main file under
 * the CPU-time preload (CPU time), `rounds` rounds after one warm-up round.
 */
export function coldStarts(cases: Case[], rounds: number): { baseline: { wallMs: number; cpuMs: number }; timings: Timing[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-bench-cold-'));
  const usageFile = path.join(dir, 'usage');
  const emptyMain = path.join(dir, 'empty.cjs');
  fs.writeFileSync(emptyMain, '');
  const baseline: Case = { name: 'node -e 0', argv: ['-e', '0'] };
  const cpuBaseline: Case = { name: 'an empty main file', argv: [emptyMain] };
  const base = { wall: [] as number[], cpu: [] as number[] };
  const per = cases.map(() => ({ wall: [] as number[], cpu: [] as number[], wallRatio: [] as number[], cpuRatio: [] as number[], faults: [] as number[] }));
  try {
    for (let round = 0; round <= rounds; round++) {
      const b = timedRun(baseline);
      const bCpu = cpuRun(cpuBaseline, usageFile);
      for (let k = 0; k < cases.length; k++) {
        const i = (k + round) % cases.length;
        const t = timedRun(cases[i]);
        const cpu = cpuRun(cases[i], usageFile);
        if (round === 0) continue;
        per[i].wall.push(t.wall);
        per[i].cpu.push(cpu);
        per[i].wallRatio.push(t.wall / b.wall);
        per[i].cpuRatio.push(cpu / bCpu);
        per[i].faults.push(t.faults - b.faults);
      }
      if (round > 0) {
        base.wall.push(b.wall);
        base.cpu.push(bCpu);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    baseline: { wallMs: median(base.wall), cpuMs: median(base.cpu) },
    timings: cases.map((c, i) => ({
      name: c.name,
      wallMs: median(per[i].wall),
      cpuMs: median(per[i].cpu),
      wallRatio: median(per[i].wallRatio),
      cpuRatio: median(per[i].cpuRatio),
      extraFaults: median(per[i].faults),
    })),
  };
}

/**
 * Where the boot stages keep their own files (config cache, state, neednet, failure report): a
 * tmpfs, as /run is in the initramfs. On a disk each atomic write of them waits for the disk to
 * flush (fetch-offline syncs the config cache and the state: 1-1.5 ms here, 5 % of Node's start),
 * which no boot pays. The target root stays on the disk, as /sysroot does.
 */
function runFilesDir(): string {
  const shm = '/dev/shm';
  const base = fs.statSync(shm, { throwIfNoEntry: false })?.isDirectory() ? shm : os.tmpdir();
  return fs.mkdtempSync(path.join(base, 'kindling-bench-run-'));
}

/** A scratch directory with what the commands read: configs, a boot root, a BLS entry. */
export function coldStartCases(dist = path.join(repo, 'dist')): { cases: Case[]; cleanup: () => void } {
  const w = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-bench-cases-'));
  const run = runFilesDir();
  const cli = path.join(dist, 'kindling.cjs');
  const bootBundle = path.join(dist, 'kindling-boot.cjs');
  const example = (f: string) => path.join(repo, 'examples', f);
  fs.mkdirSync(path.join(w, 'apply/etc'), { recursive: true });
  for (const f of ['passwd', 'group', 'shadow', 'gshadow']) fs.writeFileSync(path.join(w, 'apply/etc', f), '');
  fs.mkdirSync(path.join(w, 'boot/loader/entries'), { recursive: true });
  const entry = path.join(w, 'boot/loader/entries/a.conf');
  const resetEntry = () => fs.writeFileSync(entry, 'title Linux\nlinux /vmlinuz\noptions root=/dev/vda1 ro\n');
  fs.writeFileSync(path.join(w, 'empty.ign'), '');
  const bootEnv = { ...isolatedBootEnv(w), IGNITION_CONFIG_FILE: path.join(w, 'empty.ign') };
  const stage = (s: string, dir: string) => {
    fs.mkdirSync(path.join(w, dir, 'root'), { recursive: true });
    fs.mkdirSync(path.join(run, dir), { recursive: true });
    return stageFlags('file', s, path.join(w, dir), path.join(run, dir));
  };
  const freshFetch = (dir: string) => () => {
    for (const n of ['config.json', 'state', 'neednet']) fs.rmSync(path.join(run, dir, n), { force: true });
  };
  // A first boot's files stage finds no result file, and the state fetch-offline left. Left in
  // place, each run would nest the last report in its own (Ignition's previousReport) and add its
  // record of the base config to the state, and the stage would read and write more every round.
  const firstStates = new Map<string, Buffer>();
  const freshRoot = (dir: string) => () => {
    fs.rmSync(path.join(w, dir, 'root', defaultPaths.resultFile), { force: true });
    fs.writeFileSync(path.join(run, dir, 'state'), firstStates.get(dir)!);
  };
  // The files stage reads the cache that fetch-offline writes.
  for (const [dir, entryFile] of [
    ['cli', cli],
    ['bundle', bootBundle],
  ] as const) {
    const r = spawnSync(process.execPath, [entryFile, ...(dir === 'cli' ? ['boot'] : []), ...stage('fetch-offline', dir)], {
      env: childEnv(bootEnv),
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`preparing the files stage: ${r.stderr}`);
    firstStates.set(dir, fs.readFileSync(path.join(run, dir, 'state')));
  }
  const cases: Case[] = [
    { name: 'kindling --version', argv: [cli, '--version'] },
    { name: 'kindling validate webserver.ign', argv: [cli, 'validate', example('webserver.ign')] },
    { name: 'kindling transpile webserver.bu', argv: [cli, 'transpile', example('webserver.bu')] },
    {
      name: 'kindling apply --dry-run webserver.bu',
      argv: [cli, 'apply', '--dry-run', '--ignore-unsupported', '--root', path.join(w, 'apply'), example('webserver.bu')],
    },
    { name: 'kindling plan webserver.bu', argv: [cli, 'plan', example('webserver.bu')] },
    { name: 'kindling boot --stage files (empty config)', argv: [cli, 'boot', ...stage('files', 'cli')], env: bootEnv, before: freshRoot('cli') },
    {
      name: 'kindling kargs-helper (one BLS entry)',
      argv: [cli, 'kargs-helper', '--boot-dir', path.join(w, 'boot'), '--no-reboot', '--should-exist', 'quiet'],
      before: resetEntry,
    },
    { name: 'kindling-boot.cjs --stage fetch-offline', argv: [bootBundle, ...stage('fetch-offline', 'fo')], env: bootEnv, before: freshFetch('fo') },
    { name: 'kindling-boot.cjs --stage files', argv: [bootBundle, ...stage('files', 'bundle')], env: bootEnv, before: freshRoot('bundle') },
  ];
  const cleanup = () => {
    for (const d of [w, run]) fs.rmSync(d, { recursive: true, force: true });
  };
  return { cases, cleanup };
}

export function benchColdStart(rounds = Number(process.env.BENCH_ROUNDS) || 15): Record<string, string> {
  const { cases, cleanup } = coldStartCases();
  try {
    const r = coldStarts(cases, rounds);
    const out: Record<string, string> = {
      'node -e 0 (baseline)': `${r.baseline.wallMs.toFixed(1)} ms wall; CPU baseline ${r.baseline.cpuMs.toFixed(1)} ms (an empty main file, preloaded); medians of ${rounds}`,
    };
    for (const t of r.timings) {
      out[t.name] =
        `${t.wallRatio.toFixed(2)}x wall, ${t.cpuRatio.toFixed(2)}x CPU (${t.wallMs.toFixed(1)} / ${t.cpuMs.toFixed(1)} ms), ` +
        (Number.isNaN(t.extraFaults) ? 'page faults unknown (no /proc)' : `${t.extraFaults >= 0 ? '+' : ''}${Math.round(t.extraFaults)} page faults`);
    }
    if (process.env.NODE_EXTRA_CA_CERTS) out['note'] = 'NODE_EXTRA_CA_CERTS is set here; the children run without it';
    return out;
  } finally {
    cleanup();
  }
}
