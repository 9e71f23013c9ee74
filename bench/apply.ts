// Files-stage throughput: plan + apply a config with 2,000 small files (in 20 directories) and
// 200 units with contents into a fresh temp root. Returns operations per second (executed plan
// operations / wall time of plan+apply).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Config } from '../src/generated/types.js';
import { realHost } from '../src/host/host.js';
import { runFilesStage } from '../src/stages/files/run.js';

export function benchConfig(): Config {
  const files = Array.from({ length: 2000 }, (_, i) => ({
    path: `/opt/bench/d${i % 20}/file-${i}.conf`,
    contents: { source: `data:,value%20${i}%0A` },
    mode: 0o640,
  }));
  const units = Array.from({ length: 200 }, (_, i) => ({
    name: `bench-${i}.service`,
    enabled: i % 2 === 0,
    contents: `[Unit]\nDescription=bench ${i}\n\n[Service]\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n`,
  }));
  return { ignition: { version: '3.6.0' }, storage: { files }, systemd: { units } };
}

export async function benchApply(): Promise<number> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-bench-apply-'));
  try {
    const t0 = process.hrtime.bigint();
    const plan = await runFilesStage(benchConfig(), realHost(), { root, mode: 'apply' });
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    return plan.ops.length / secs;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
