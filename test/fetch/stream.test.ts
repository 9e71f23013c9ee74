// A 1 GiB download must stream: generated on the fly by a server in another process, written to a
// file, sha512-verified, with the fetching process's RSS growing by less than 100 MB.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { fetchResource } from '../../src/fetch/index.js';

const SIZE = 1024 ** 3;
const FIXTURE = fileURLToPath(new URL('./fixtures/stream-server.mjs', import.meta.url));

async function startGenerator(bytes: number) {
  const child = spawn(process.execPath, [FIXTURE, String(bytes)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = await new Promise<{ port: number; sha512: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (\d+) ([0-9a-f]{128})/.exec(out);
      if (m) resolve({ port: Number(m[1]), sha512: m[2] });
    });
    child.on('exit', (code) => reject(new Error(`generator exited ${code}`)));
  });
  return { ...ready, stop: () => child.stdin.end() };
}

it('streams 1 GiB to disk with bounded memory and verifies its sha512', { timeout: 120_000 }, async () => {
  const gen = await startGenerator(SIZE);
  const dir = mkdtempSync(join(tmpdir(), 'kindling-stream-'));
  try {
    global.gc?.();
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
    const t0 = Date.now();
    const path = join(dir, 'big.bin');
    const r = await fetchResource(
      { source: `http://127.0.0.1:${gen.port}/big`, verification: { hash: `sha512-${gen.sha512}` } },
      { destination: { path } },
    ).finally(() => clearInterval(sampler));
    const secs = (Date.now() - t0) / 1000;
    peak = Math.max(peak, process.memoryUsage.rss());
    const growthMb = (peak - baseline) / 1e6;
    console.log(`1 GiB streamed in ${secs.toFixed(1)} s (${(SIZE / 1e6 / secs).toFixed(0)} MB/s), RSS growth ${growthMb.toFixed(1)} MB`);
    expect(r.bytes).toBe(SIZE);
    expect(statSync(path).size).toBe(SIZE);
    expect(growthMb).toBeLessThan(100);
  } finally {
    gen.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
