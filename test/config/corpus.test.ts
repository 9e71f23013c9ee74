// Every validate case of the shared corpus, in-process: our verdict class must equal the recorded
// one (rows tagged [2.14-only] follow current Ignition and are skipped, as the conformance tool does).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIgnition } from '../../src/config/parse.js';
import { corpusDir, corpusRows } from '../support/corpus.js';

const dir = corpusDir('validate') ?? '';
const rows = corpusRows('validate');

describe.skipIf(!dir)('validate corpus', () => {
  it('has the recorded number of cases', () => {
    expect(rows.length).toBe(readdirSync(join(dir, 'cases')).filter((f) => f.endsWith('.ign')).length);
  });
  for (const row of rows) {
    const legacy = row.description.startsWith('[2.14-only]');
    it.skipIf(legacy)(`${row.name} is ${row.verdict}`, () => {
      const bytes = readFileSync(join(dir, 'cases', `${row.name}.ign`));
      const r = parseIgnition(bytes, { file: `${row.name}.ign` });
      const cls = r.diagnostics.some((d) => d.severity === 'error') ? 'invalid' : r.diagnostics.length ? 'warnings' : 'valid';
      expect(cls, r.diagnostics.map((d) => d.message).join('; ')).toBe(row.verdict);
    });
  }
});
