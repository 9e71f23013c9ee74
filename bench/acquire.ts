// In-process config acquisition, the fetch stages' part of a boot, for the realistic config of
// bench/transpile.ts rendered to Ignition JSON: the `file` provider reads it from
// IGNITION_CONFIG_FILE; `metal` fetches it from a loopback HTTP server named by
// ignition.config.url on the kernel command line. `fetchUserConfig` is the acquisition alone
// (sources, parse, render, validation); `runStage` adds the base configs, the state and the cache,
// written with fsync as at boot. Each iteration starts from no cache and no state; medians.
import * as fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchUserConfig } from '../src/engine/acquire.js';
import { runStage, type EngineOptions } from '../src/engine/engine.js';
import { EngineLog } from '../src/engine/log.js';
import { realHost } from '../src/host/host.js';
import { getProvider } from '../src/providers/registry.js';
import type { StageName } from '../src/stages/stage.js';
import { emptyState } from '../src/stages/state.js';
import { transpileButane } from '../transpiler/transpile.js';
import { isolatedBootEnv } from '../test/support/boot-env.js';
import { REALISTIC } from './transpile.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchAcquire(iterations = 60): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-bench-acquire-'));
  // REALISTIC refers to local files; without them it still renders everything else.
  const t = transpileButane(
    REALISTIC.replace(/\n\s+ssh_authorized_keys_local:\n\s+- keys\/admin.pub|\n\s+contents:\n\s+local: motd.txt|\n\s+contents_local: units\/app.service/g, ''),
    { strict: false },
  );
  if (!t.config) throw new Error(`bench config: ${t.diagnostics.map((d) => d.message).join('; ')}`);
  const json = JSON.stringify(t.config);
  fs.writeFileSync(path.join(dir, 'config.ign'), json);
  const server = http.createServer((_req, res) => res.end(json));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fs.mkdirSync(path.join(dir, 'url'));
  const envs: Record<string, Record<string, string>> = {
    file: isolatedBootEnv(dir),
    metal: isolatedBootEnv(path.join(dir, 'url'), `ignition.config.url=http://127.0.0.1:${port}/config.ign\n`),
  };
  const env = (platform: string) => ({ ...envs[platform], IGNITION_CONFIG_FILE: path.join(dir, 'config.ign') });
  const log = new EngineLog((t) => process.env.BENCH_DEBUG && process.stderr.write(t));
  const options = (platform: string, stage: StageName): EngineOptions => ({
    stage,
    platform: getProvider(platform)!,
    root: path.join(dir, 'root'),
    configCache: path.join(dir, 'cache.json'),
    needNet: path.join(dir, 'neednet'),
    stateFile: path.join(dir, 'state'),
    fetchTimeoutMs: 10_000,
    log,
    host: realHost({ log }),
    env: env(platform),
    cwd: dir,
    failureReport: null,
  });
  const time = async (platform: string, stages: StageName[]) => {
    const ms: number[] = [];
    for (let i = 0; i < iterations + 5; i++) {
      for (const f of ['cache.json', 'neednet', 'state']) fs.rmSync(path.join(dir, f), { force: true });
      let t0 = 0n;
      for (const stage of stages) {
        if (stage === stages.at(-1)) t0 = process.hrtime.bigint();
        const r = await runStage(options(platform, stage));
        if (r.code !== 0) throw new Error(`${platform} ${stage}: exit ${r.code} ${r.report?.message ?? ''}`);
      }
      if (i >= 5) ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    if (!fs.existsSync(path.join(dir, 'cache.json'))) throw new Error(`${platform}: no config cache written`);
    return median(ms);
  };
  const acquire = async (platform: string) => {
    const ms: number[] = [];
    for (let i = 0; i < iterations + 5; i++) {
      const o = options(platform, 'fetch');
      const t0 = process.hrtime.bigint();
      const got = await fetchUserConfig({ ...o, state: emptyState(), fetchOptions: { log, offline: false }, seams: {} });
      if (i >= 5) ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (!got.config.storage?.files?.length) throw new Error(`${platform}: the config came back empty`);
    }
    return median(ms);
  };
  try {
    return {
      'fetchUserConfig, file provider (ms)': await acquire('file'),
      'fetchUserConfig, metal over loopback HTTP (ms)': await acquire('metal'),
      'runStage fetch-offline, file provider (ms)': await time('file', ['fetch-offline']),
      'runStage fetch, metal over loopback HTTP (ms)': await time('metal', ['fetch-offline', 'fetch']),
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
