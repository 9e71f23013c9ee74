// Lint transpiles without gzip (LintOptions.compress off): the deflate only shapes output lint never
// prints. These tests show the shortcut changes no diagnostic and no fix, over every Butane input we
// have: the shared corpus, the hand-written compatibility cases, the examples, and configs chosen
// so that Butane does compress (large, repetitive inline and local data).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSource, type LintOptions } from '../../src/lint/lint.js';
import { transpileButane } from '../../transpiler/transpile.js';
import { loadCaseFiles, type ButaneCase } from '../support/compat-cases.js';
import { corpusDir, corpusRows } from '../support/corpus.js';

interface Input {
  name: string;
  text: string;
  opts: LintOptions;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-lint-fast-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function corpusInputs(): Input[] {
  const dir = corpusDir('transpile');
  if (!dir) return [];
  return corpusRows('transpile').map((row) => {
    const flags = row.flags === '-' ? [] : row.flags.split(' ');
    const fd = flags.indexOf('--files-dir');
    const opts: LintOptions = { filesDir: fd >= 0 ? path.join(dir, 'cases', flags[fd + 1]) : undefined, raw: flags.includes('--raw') };
    return { name: `corpus ${row.name}`, text: fs.readFileSync(path.join(dir, 'cases', `${row.name}.bu`), 'utf8'), opts };
  });
}

function compatInputs(): Input[] {
  const dir = path.join(import.meta.dirname, '../transpiler/compat');
  return loadCaseFiles<ButaneCase, unknown>(dir).flatMap((f) =>
    f.cases.map((c) => {
      let filesDir: string | undefined;
      if (c.files) {
        filesDir = path.join(tmp, `${path.basename(f.file, '.yaml')}-${c.name}`);
        for (const [rel, data] of Object.entries(c.files)) {
          fs.mkdirSync(path.dirname(path.join(filesDir, rel)), { recursive: true });
          fs.writeFileSync(path.join(filesDir, rel), data);
        }
      }
      return { name: `compat ${path.basename(f.file)} ${c.name}`, text: c.input, opts: { filesDir, raw: c.raw } };
    }),
  );
}

function compressingInputs(): Input[] {
  const dir = path.join(tmp, 'big');
  fs.mkdirSync(dir);
  const big = 'PRIVATE KEY line that repeats\n'.repeat(200);
  fs.writeFileSync(path.join(dir, 'big.conf'), big);
  const text = `variant: fcos
version: 1.5.0
storage:
  files:
    - path: /etc/big.conf
      mode: 0644
      contents:
        inline: |
${big
  .split('\n')
  .filter(Boolean)
  .map((l) => `          ${l}`)
  .join('\n')}
    - path: /etc/NetworkManager/system-connections/eth0.nmconnection
      mode: 0644
      contents:
        local: big.conf
    - path: /etc/declared.gz
      contents:
        compression: gzip
        inline: ${'not gzip '.repeat(40)}
  trees:
    - local: .
      path: /etc/tree
`;
  return [{ name: 'compressed inline, local and tree data', text, opts: { filesDir: dir } }];
}

const examples = (): Input[] => {
  const dir = path.join(import.meta.dirname, '../../examples');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bu'))
    .map((f) => ({ name: `example ${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8'), opts: { filesDir: dir } }));
};

const inputs = [...corpusInputs(), ...compatInputs(), ...examples(), ...compressingInputs()];

describe('lint without gzip', () => {
  it('covers inputs that Butane compresses', () => {
    const compressed = inputs.filter((i) =>
      JSON.stringify(transpileButane(i.text, { filesDir: i.opts.filesDir, raw: i.opts.raw }).config ?? {}).includes('"compression":"gzip"'),
    );
    expect(compressed.length).toBeGreaterThanOrEqual(3);
    expect(inputs.length).toBeGreaterThan(100);
  });

  it.each(inputs.map((i) => [i.name, i] as const))('%s: the same diagnostics and fixes', (_, i) => {
    const file = 'config.bu';
    const fast = lintSource(file, i.text, i.opts);
    const exact = lintSource(file, i.text, { ...i.opts, compress: true });
    expect(fast.diagnostics).toEqual(exact.diagnostics);
    expect(fast.edits).toEqual(exact.edits);
    const t = transpileButane(i.text, { file, filesDir: i.opts.filesDir, raw: i.opts.raw, compress: false });
    expect(t.diagnostics).toEqual(transpileButane(i.text, { file, filesDir: i.opts.filesDir, raw: i.opts.raw }).diagnostics);
  });
});
