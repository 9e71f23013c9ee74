// Vitest setup file (vitest.config.ts `setupFiles`): every test's output is scanned for secrets, so
// no test has to remember to (issue 13 §5). Recorded while a test runs: what the worker writes to
// stdout/stderr (console included), the stdout/stderr of every child process it starts (the CLI
// under test), the engine's log lines and the recording loggers, and failure reports renamed into
// place. Secrets are the values planted in the configs the test writes or pipes to a process, and
// shapes that are secret anywhere (test/support/secret-scan.ts). A leak fails the test, naming it.
//
// A config a command prints on stdout (`kindling transpile`) is its product, not a log: a child's
// stdout that parses as a config is not scanned.
import childProcess from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { format } from 'node:util';
import { afterEach, beforeEach } from 'vitest';
import { EngineLog } from '../../src/engine/log.js';
import { open, plantSecret, recordOutput, type Window } from './leak-sink.js';
import { findLeaks, harvest } from './secret-scan.js';

export { plantSecret, recordOutput };

function plantFrom(data: unknown): void {
  if (open.size === 0) return;
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) || data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : null;
  if (text) for (const s of harvest(text)) plantSecret(s);
}

const asText = (chunk: unknown) =>
  typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';

/** A child's stdout that is a whole config is the command's product (e.g. `kindling transpile`). */
function isConfigProduct(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    const o = JSON.parse(text) as unknown;
    return typeof o === 'object' && o !== null && 'ignition' in o;
  } catch {
    return false;
  }
}

function install(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      recordOutput(asText(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }

  // Configs the test writes to disk: their secrets are this test's planted values.
  const cp = childProcess as unknown as Record<string, (...a: unknown[]) => unknown>;
  const fsm = fs as unknown as Record<string, (...a: unknown[]) => unknown>;
  const writeFileSync = fsm.writeFileSync;
  fsm.writeFileSync = function (file: unknown, data: unknown, ...rest: unknown[]) {
    plantFrom(data);
    return writeFileSync.call(this, file, data, ...rest);
  };
  // Failure reports land by rename (written atomically): scan them.
  const renameSync = fsm.renameSync;
  fsm.renameSync = function (from: unknown, to: unknown, ...rest: unknown[]) {
    const r = renameSync.call(this, from, to, ...rest);
    if (open.size > 0 && typeof to === 'string' && /^failure.*\.json$/.test(path.basename(to))) {
      try {
        recordOutput(fs.readFileSync(to, 'utf8'));
      } catch {
        // gone already
      }
    }
    return r;
  };

  const inputOf = (args: unknown[]) => {
    const opts = args.find((a) => a !== null && typeof a === 'object' && !Array.isArray(a)) as { input?: unknown } | undefined;
    if (opts?.input !== undefined) plantFrom(opts.input);
  };
  const syncResult = (out: unknown, stream: 'stdout' | 'stderr') => {
    const text = asText(out);
    if (stream === 'stdout' && isConfigProduct(text)) return;
    recordOutput(text);
  };
  const spawnSync = cp.spawnSync;
  cp.spawnSync = function (...args: unknown[]) {
    inputOf(args);
    const r = spawnSync.apply(this, args) as { stdout?: unknown; stderr?: unknown };
    syncResult(r?.stdout, 'stdout');
    syncResult(r?.stderr, 'stderr');
    return r;
  };
  for (const name of ['execFileSync', 'execSync']) {
    const orig = cp[name];
    cp[name] = function (...args: unknown[]) {
      inputOf(args);
      try {
        const out = orig.apply(this, args);
        syncResult(out, 'stdout');
        return out;
      } catch (e) {
        syncResult((e as { stdout?: unknown }).stdout, 'stdout');
        syncResult((e as { stderr?: unknown }).stderr, 'stderr');
        throw e;
      }
    };
  }
  // Asynchronous children: tee their output as it is consumed, without changing how it flows.
  const tee = (child: { stdout?: Readable | null; stderr?: Readable | null }) => {
    for (const which of ['stdout', 'stderr'] as const) {
      const s = child[which];
      if (!s) continue;
      const chunks: string[] = [];
      const emit = s.emit.bind(s) as (ev: string | symbol, ...a: unknown[]) => boolean;
      s.emit = ((ev: string | symbol, ...a: unknown[]) => {
        if (ev === 'data') {
          const t = asText(a[0]);
          if (which === 'stderr') recordOutput(t);
          else chunks.push(t);
        } else if (ev === 'end' && which === 'stdout') {
          syncResult(chunks.join(''), 'stdout');
        }
        return emit(ev, ...a);
      }) as typeof s.emit;
    }
    return child;
  };
  for (const name of ['spawn', 'execFile', 'exec']) {
    const orig = cp[name];
    cp[name] = function (...args: unknown[]) {
      return tee(orig.apply(this, args) as Parameters<typeof tee>[0]);
    };
  }
  syncBuiltinESMExports();
}

// Builtins and process streams are per process (a worker runs many test files): hook them once.
const INSTALLED = Symbol.for('kindling.leak-guard.installed');
const flags = globalThis as unknown as Record<symbol, boolean | undefined>;
if (!flags[INSTALLED]) {
  flags[INSTALLED] = true;
  install();
}
// Vitest gives each test file a console of its own that reports to the runner, not through the
// streams above: hook its methods.
const CONSOLE = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const con = console as Console & { [INSTALLED]?: boolean };
if (!con[INSTALLED]) {
  con[INSTALLED] = true;
  for (const name of CONSOLE) {
    const orig = con[name].bind(con) as (...a: unknown[]) => void;
    con[name] = (...args: unknown[]) => {
      recordOutput(format(...args) + '\n');
      orig(...args);
    };
  }
}
// Each test file loads its own copy of the engine's modules: hook this one's log.
const proto = EngineLog.prototype as EngineLog & { [INSTALLED]?: boolean };
if (!proto[INSTALLED]) {
  proto[INSTALLED] = true;
  const origLog = proto.log;
  proto.log = function (this: EngineLog, level, msg) {
    recordOutput(`${level}: ${msg}\n`);
    return origLog.call(this, level, msg);
  };
}

const byTest = new Map<string, Window>();

beforeEach((ctx) => {
  const w: Window = { text: [], size: 0, planted: new Set() };
  open.add(w);
  byTest.set(ctx.task.id, w);
});

afterEach((ctx) => {
  const w = byTest.get(ctx.task.id);
  if (!w) return;
  byTest.delete(ctx.task.id);
  open.delete(w);
  const leaks = findLeaks(w.text.join(''), w.planted);
  if (leaks.length > 0) {
    const list = leaks.map((l) => `  - ${l.what}: …${l.context}…`).join('\n');
    throw new Error(`secret leak in test "${ctx.task.fullName ?? ctx.task.name}":\n${list}\n(found by test/support/leak-guard.ts in the test's output)`);
  }
});
