// The CLI the build writes (dist/kindling.cjs and its programs in dist/kindling/): its start-up code
// compiles the loader and each program from the V8 code cache the build recorded, a command that
// reads either config format takes the cache entry recorded on the format it was given, and a copy
// of the CLI without its programs says what is missing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/kindling.cjs');

const run = (file: string, args: string[]) =>
  spawnSync(process.execPath, [file, ...args], { env: { PATH: process.env.PATH ?? '', KINDLING_TRACE_LOAD: '1' }, encoding: 'utf8' });

describe('the CLI bundle', () => {
  beforeAll(() => {
    if (!fs.existsSync(CLI)) throw new Error('run `npm run build` first (npm test does)');
  });

  it('compiles its loader and its programs from their code cache', () => {
    const r = run(CLI, ['--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^kindling: loader: code cache loader$/m);
    expect(r.stderr).toMatch(/program main: .* \(code cache main\)/);
    const head = fs.readFileSync('dist/kindling/loader.cache', 'latin1').split('\n', 1)[0];
    expect(JSON.parse(head)).toEqual([['loader', expect.any(Number)]]);
  });

  it('gives validate and apply the entry recorded on the format of the config', () => {
    for (const [file, entry] of [
      ['examples/webserver.ign', 'validate@json'],
      ['examples/webserver.bu', 'validate'],
    ]) {
      const r = run(CLI, ['validate', file]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`program validate: .* \\(code cache ${entry}\\)`));
    }
    for (const name of ['validate', 'apply']) {
      const head = fs.readFileSync(`dist/kindling/${name}.cache`, 'latin1').split('\n', 1)[0];
      expect((JSON.parse(head) as [string, number][]).map(([n]) => n).sort()).toEqual([name, `${name}@json`]);
    }
  });

  it('says so when its programs are missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-cli-alone-'));
    try {
      fs.copyFileSync(CLI, path.join(dir, 'kindling.cjs'));
      const r = run(path.join(dir, 'kindling.cjs'), ['--version']);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('kindling: kindling.cjs needs the directory of programs npm run build writes beside it (kindling/)\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
