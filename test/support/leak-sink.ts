// Where test output goes to be scanned for secrets (see leak-guard.ts). The state lives on
// globalThis so that every importer shares it, however the test runner loads the module.
export interface Window {
  text: string[];
  size: number;
  planted: Set<string>;
}

const CAP = 8 * 1024 * 1024;
const KEY = Symbol.for('kindling.leak-guard.windows');
const g = globalThis as unknown as Record<symbol, Set<Window> | undefined>;
/** The windows of the tests now running. */
export const open: Set<Window> = (g[KEY] ??= new Set<Window>());

const PAUSE = Symbol.for('kindling.leak-guard.paused');
const counters = globalThis as unknown as Record<symbol, number | undefined>;

/**
 * Runs a test's own synchronous read-back without recording its output: a test that reads the
 * secret it planted from a disk image (debugfs) checks Kindling, it is not Kindling leaking it.
 * Synchronous only: nothing else can print while it runs.
 */
export function unrecorded<T>(fn: () => T): T {
  counters[PAUSE] = (counters[PAUSE] ?? 0) + 1;
  try {
    return fn();
  } finally {
    counters[PAUSE]!--;
  }
}

/** Adds output to every test now running (concurrent tests share what they print). */
export function recordOutput(text: string): void {
  if (counters[PAUSE]) return;
  for (const w of open) {
    if (w.size > CAP) continue;
    w.text.push(text);
    w.size += text.length;
  }
}

/** Declares a secret a test uses without writing it in a config (an in-process config object). */
export function plantSecret(...values: string[]): void {
  for (const w of open) for (const v of values) if (v) w.planted.add(v);
}
