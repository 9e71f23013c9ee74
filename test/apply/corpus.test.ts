// Every case of ../shared/corpus/apply, applied with `kindling apply` (in process) to a fresh temp
// root seeded like the recorder did, compared with the recorded manifest line for line.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/apply.js';
import { seedLinks, seedRoot } from './corpus-seed.js';
import { corpusDir, corpusRows } from '../support/corpus.js';

const dir = corpusDir('apply');
const tools = corpusDir('tools');
const cases = path.join(dir ?? '', 'cases');
const isRoot = process.getuid?.() === 0;
const rows = corpusRows('apply').map((r) => ({ name: r.name, seed: r.seed, exit: Number(r.exit) }));

if (!isRoot) console.warn('corpus apply tests skipped: they chown to 0:0 and need root');

describe.skipIf(!isRoot || !dir || !tools)('apply corpus', () => {
  it('has cases', () => expect(rows.length).toBeGreaterThan(0));
  it('seeds the symlinks NAME.links lists as symlinks (the stored copy may hold them as files)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-seed-'));
    try {
      const withLinks = rows.filter((r) => r.seed !== '-' && seedLinks(path.join(cases, `${r.name}.links`)).length > 0);
      expect(withLinks.length).toBeGreaterThan(0);
      for (const r of withLinks) {
        const at = path.join(root, r.name);
        const links = path.join(cases, `${r.name}.links`);
        seedRoot(path.join(cases, r.seed), at, links);
        for (const l of seedLinks(links)) expect(fs.readlinkSync(path.join(at, l.path)), `${r.name}: ${l.path}`).toBe(l.target);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
  for (const row of rows) {
    it(row.name, async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-corpus-'));
      try {
        if (row.seed !== '-') seedRoot(path.join(cases, row.seed), root, path.join(cases, `${row.name}.links`));
        const code = await main(['--root', root, path.join(cases, `${row.name}.ign`)]);
        expect(code === 0).toBe(row.exit === 0);
        if (row.exit === 0) {
          const got = spawnSync('bash', [path.join(tools!, 'tree-manifest.sh'), root], { encoding: 'utf8' }).stdout;
          expect(got).toBe(fs.readFileSync(path.join(cases, `${row.name}.tree`), 'utf8'));
        }
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
