// `npm run bench`: every benchmark of the project, printed as one table. Benchmarks that need root,
// loop devices or servers live beside their subsystem and are skipped with a reason when the
// machine can't run them. BENCH_QEMU=1 adds the boot bundle under QEMU TCG (several minutes);
// BENCH_ROUNDS sets the cold-start rounds (default 15).
import { existsSync } from 'node:fs';

interface Row {
  bench: string;
  result: string;
}

const rows: Row[] = [];
const add = (bench: string, result: string) => {
  rows.push({ bench, result });
  console.log(`${bench.padEnd(62)} ${result}`);
};

async function optional(file: string, fn: string): Promise<((...a: unknown[]) => Promise<unknown> | unknown) | undefined> {
  if (!existsSync(new URL(file, import.meta.url))) return undefined;
  const mod = (await import(file)) as Record<string, unknown>;
  return mod[fn] as never;
}

const { benchValidate } = await import('./validate.js');
for (const t of benchValidate()) add(`${t.name} (${(t.bytes / 1024).toFixed(1)} KiB)`, `${t.perSecond.toFixed(1)} configs/s`);

// Benchmarks that return one number say what it measures here.
const SINGLE: Record<string, string> = {
  benchApply: 'apply 2,000 files + 200 units to a temp root (ops/s)',
  benchFetch: 'fetch 200 MB over loopback HTTP (MB/s)',
};

for (const [file, fn] of [
  ['./bundle-size.ts', 'benchBundleSize'],
  ['./cold-start.ts', 'benchColdStart'],
  ['./acquire.ts', 'benchAcquire'],
  ['./transpile.ts', 'benchTranspile'],
  ['./lint.ts', 'benchLint'],
  ['./apply.ts', 'benchApply'],
  ['./fetch.ts', 'benchFetch'],
  ['./disks.ts', 'benchDisks'],
  ...(process.env.BENCH_QEMU ? ([['./boot-qemu.ts', 'benchBootUnderQemu']] as const) : []),
] as const) {
  const run = await optional(file, fn);
  if (!run) continue;
  try {
    const res = await run();
    if (typeof res === 'number') add(SINGLE[fn] ?? fn, res.toFixed(2));
    else for (const [k, v] of Object.entries(res as Record<string, unknown>)) add(`${fn}: ${k}`, typeof v === 'number' ? v.toFixed(2) : String(v));
  } catch (e) {
    add(fn, `skipped: ${(e as Error).message}`);
  }
}
