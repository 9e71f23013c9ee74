// Resource limits (issue 13 §4): hostile inputs each get a clear error from the real CLI within a
// fixed bound of time and of memory (the child's peak RSS, read by a preload at its exit). The
// figures are printed, and recorded in docs/limits.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../cli/helpers.js';

/** Generous for a loaded 2-core CI machine; the real figures are far below (see docs/limits.md). */
const TIME_MS = 15_000;
const RSS_MB = 400;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-limits-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const preload = path.join(dir, 'rss.cjs');
fs.writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\\n`));\n");

/** Runs `kindling <args>` (through `sh -c` when `pipe` feeds its stdin); its status, output (both streams), time and peak memory. */
function run(args: string[], pipe?: string): { status: number | null; output: string; ms: number; rssMb: number } {
  const node = [process.execPath, '--require', preload, CLI, ...args];
  const t0 = Date.now();
  const r = pipe
    ? spawnSync('sh', ['-c', `${pipe} | ${node.map((a) => `'${a}'`).join(' ')}`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    : spawnSync(node[0], node.slice(1), { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Date.now() - t0;
  const rss = /PEAK_RSS_KB (\d+)/.exec(r.stderr);
  return { status: r.status, output: r.stdout + r.stderr.replace(/\n?PEAK_RSS_KB \d+\n/, ''), ms, rssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

const figures: string[] = [];
afterAll(() => console.log(`resource limits (time, peak RSS):\n  ${figures.join('\n  ')}`));

function expectBounded(what: string, r: ReturnType<typeof run>, error: RegExp): void {
  figures.push(`${what}: ${r.ms} ms, ${r.rssMb.toFixed(0)} MB`);
  expect(r.output).toMatch(error);
  expect(r.status).toBe(1);
  expect(r.ms).toBeLessThan(TIME_MS);
  expect(r.rssMb).toBeLessThan(RSS_MB);
}

describe('hostile inputs get a clear error within fixed time and memory', () => {
  it('YAML alias bombs: billion laughs (10^9 nodes), and one shaped like the schema (10^6 nodes)', () => {
    // The classic: aliases are expanded only where the schema reads them, so it costs nothing.
    const levels = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const laughs = file(
      'laughs.bu',
      `variant: fcos\nversion: 1.5.0\n${levels.join('\n')}\nstorage:\n  files:\n    - path: /x\n      contents:\n        inline: *a9\n`,
    );
    expectBounded('billion laughs', run(['transpile', laughs]), /laughs\.bu:12:9: error: inline must be a string, not a list/);
    // Files × appends × headers, 100 each, all read by the schema: the expansion budget stops it.
    const hundred = (alias: string) => `[${Array(100).fill(alias).join(', ')}]`;
    const shaped = file(
      'shaped.bu',
      `variant: fcos\nversion: 1.5.0\nx-h: &h {name: a, value: b}\nx-hs: &hs ${hundred('*h')}\nx-r: &r {source: "https://example.com/x", http_headers: *hs}\n` +
        `x-rs: &rs ${hundred('*r')}\nx-f: &f {path: /a, append: *rs}\nstorage:\n  files: ${hundred('*f')}\n`,
    );
    expectBounded(
      'alias bomb shaped like the schema',
      run(['transpile', shaped]),
      /shaped\.bu:\d+:\d+: error: aliases expand to too many nodes \(possible alias bomb\)/,
    );
  });

  it('YAML nested 100,000 deep', () => {
    const bu = file('deep.bu', `variant: fcos\nversion: 1.5.0\nstorage: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    expectBounded('deep YAML', run(['transpile', bu]), /deep\.bu:3:\d+: error: exceeded max depth/);
  });

  it('JSON nested 100,000 deep', () => {
    const ign = file('deep.ign', `{"ignition":{"version":"3.4.0"},"storage":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expectBounded('deep JSON', run(['validate', ign]), /line 1 col \d+: exceeded max depth/);
  });

  it('huge numbers, in JSON and in YAML', () => {
    const ign = file(
      'num.ign',
      '{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/b","mode":123456789012345678901234567890}]},"passwd":{"users":[{"name":"u","uid":99999999999999999999}]}}',
    );
    const j = run(['validate', ign]);
    expectBounded(
      'huge numbers (JSON)',
      j,
      /\$\.storage\.files\.0\.mode, line 1 col \d+: mode must be an integer, not 123456789012345678901234567890: it does not fit in 64 bits/,
    );
    expect(j.output).toMatch(/\$\.passwd\.users\.0\.uid, line 1 col \d+: uid must be an integer, not 99999999999999999999/);
    const bu = file(
      'num.bu',
      'variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /a\n      mode: 1e999\npasswd:\n  users:\n    - name: u\n      uid: 99999999999999999999\n',
    );
    const y = run(['transpile', bu]);
    expectBounded('huge numbers (YAML)', y, /num\.bu:6:13: error: mode must be an integer, not `1e999`/);
    expect(y.output).toMatch(/num\.bu:10:12: error: uid must be an integer, not `99999999999999999999`/);
  });

  it('a 100 MB config file, and endless stdin: refused at 64 MiB, saying what to do', () => {
    const big = path.join(dir, 'big.ign');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 100 * 1048576);
    const tooBig = /cannot read (\S+): it is larger than 64 MiB, the most Kindling reads as one config .*contents\.source/;
    expectBounded('100 MB file', run(['validate', big]), tooBig);
    expectBounded('endless stdin', run(['transpile', '-'], 'yes'), tooBig);
  });
});
