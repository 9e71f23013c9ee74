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

/** Adds output to every test now running (concurrent tests share what they print). */
export function recordOutput(text: string): void {
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
