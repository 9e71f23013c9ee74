// `kindling lint` over 100 realistic configs (the ~100-line fcos config of transpile.ts, each with
// its own host name, user and unit), in one process: the whole batch as a cold CLI run, and the
// in-process time per file. The floor is what a CI that loops over the files with Butane pays:
// Butane's published figure is about 10 ms per `butane --strict` run on this class of machine, so
// about 1 s for 100 runs. Goal: the batch at least 5x faster.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { lintSource } from '../src/lint/lint.js';
import { childEnv } from './cold-start.js';
import { filesDir, REALISTIC } from './transpile.js';

const FILES = 100;
const BUTANE_MS_PER_RUN = 10;

function configs(): string[] {
  return Array.from({ length: FILES }, (_, i) =>
    REALISTIC.replace('node1.example.com', `node${i}.example.com`)
      .replace('name: app\n      uid: 1500', `name: app${i}\n      uid: ${1500 + i}`)
      .replace('app-backup.timer', `app-backup-${i}.timer`),
  );
}

export function benchLint(): Record<string, number> {
  const dir = filesDir();
  try {
    const texts = configs();
    const cfgDir = path.join(dir, 'configs');
    fs.mkdirSync(cfgDir);
    texts.forEach((t, i) => fs.writeFileSync(path.join(cfgDir, `node-${String(i).padStart(3, '0')}.bu`), t));
    const out: Record<string, number> = {};

    // In process: every file of the batch, after a warm-up round.
    const lintAll = () => {
      for (const t of texts) {
        const r = lintSource('node.bu', t, { filesDir: dir });
        if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(`bench config fails: ${r.diagnostics.map((d) => d.message).join('; ')}`);
      }
    };
    lintAll();
    const rounds: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      lintAll();
      rounds.push(performance.now() - t0);
    }
    out['lint in-process ms/file'] = Math.min(...rounds) / FILES;

    const cli = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../dist/kindling.cjs');
    if (fs.existsSync(cli)) {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [cli, 'lint', '-d', dir, cfgDir], { encoding: 'utf8', env: childEnv() });
        times.push(performance.now() - t0);
        if (r.status !== 0 || !r.stdout.includes(`${FILES} files checked: 0 errors`)) throw new Error(`lint CLI failed: ${r.stdout.slice(-500)}${r.stderr}`);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      out[`lint CLI ms for ${FILES} files (median)`] = median;
      out[`Butane floor ms (${FILES} x ${BUTANE_MS_PER_RUN} ms)`] = FILES * BUTANE_MS_PER_RUN;
      out['speed-up over Butane floor (goal >= 5)'] = (FILES * BUTANE_MS_PER_RUN) / median;
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
