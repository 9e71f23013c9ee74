// Every case of ../shared/corpus/apply, applied with `kindling apply` (in process) to a fresh temp
// root seeded like the recorder did, compared with the recorded manifest line for line.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/apply.js';
import { seedRoot } from './corpus-seed.js';

const corpus = path.resolve(__dirname, '../../../shared/corpus');
const cases = path.join(corpus, 'apply', 'cases');
const isRoot = process.getuid?.() === 0;
const rows = fs
  .readFileSync(path.join(corpus, 'apply', 'cases.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => {
    const [name, spec, exit, seed] = l.split('\t');
    return { name, spec, exit: Number(exit), seed };
  });

if (!isRoot) console.warn('corpus apply tests skipped: they chown to 0:0 and need root');

describe.skipIf(!isRoot)('apply corpus', () => {
  it('has cases', () => expect(rows.length).toBeGreaterThan(0));
  for (const row of rows) {
    it(row.name, async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-corpus-'));
      try {
        if (row.seed !== '-') seedRoot(path.join(cases, row.seed), root);
        const code = await main(['--root', root, path.join(cases, `${row.name}.ign`)]);
        expect(code === 0).toBe(row.exit === 0);
        if (row.exit === 0) {
          const got = spawnSync('bash', [path.join(corpus, 'tools', 'tree-manifest.sh'), root], { encoding: 'utf8' }).stdout;
          expect(got).toBe(fs.readFileSync(path.join(cases, `${row.name}.tree`), 'utf8'));
        }
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
