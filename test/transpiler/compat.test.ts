// Compatibility cases (test/transpiler/compat/*.yaml) against what Butane v0.29.0 did with them
// (the `*.recorded.json` beside each file): the exit status with and without --strict, the exact
// output, and Butane's messages, each found among ours (or, where our wording differs, the case's
// `ours` texts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatResult, transpileButane } from '../../transpiler/transpile.js';
import { loadCaseFiles, splitMessage, type ButaneCase, type ButaneRecord } from '../support/compat-cases.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compat-bu-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function filesDir(c: ButaneCase): string | undefined {
  if (!c.files) return undefined;
  const dir = path.join(tmp, c.name);
  for (const [rel, body] of Object.entries(c.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
  return dir;
}

for (const cf of loadCaseFiles<ButaneCase, ButaneRecord>(path.join(__dirname, 'compat'))) {
  describe(path.basename(cf.file), () => {
    for (const c of cf.cases) {
      it(`${c.name}: ${c.about}`, () => {
        const rec = cf.records[c.name];
        expect(rec, `no recorded result for ${c.name}: run scripts/record-compat.ts`).toBeDefined();
        const opts = { file: `${c.name}.bu`, filesDir: filesDir(c), raw: c.raw };
        const plain = transpileButane(c.input, opts);
        const strict = transpileButane(c.input, { ...opts, strict: true });
        const ours = plain.diagnostics.map((d) => `${d.severity}: ${d.message}`);
        expect([plain.config ? 0 : 1, strict.config ? 0 : 1], ours.join('\n')).toEqual(rec.exit);
        if (rec.output !== undefined) expect(formatResult(plain, false)).toBe(rec.output + '\n');
        for (const entry of rec.messages) {
          const { severity, message } = splitMessage(entry);
          const same = plain.diagnostics.some((d) => d.severity === severity && d.message === message);
          if (!same) expect(c.ours, `Butane says "${entry}"; ours: ${ours.join(' | ')}`).toBeDefined();
        }
        for (const text of c.ours ?? [])
          expect(
            ours.some((m) => m.includes(text)),
            `no message contains "${text}": ${ours.join(' | ')}`,
          ).toBe(true);
      });
    }
  });
}
