// Compatibility cases (test/config/compat/*.yaml) against what ignition-validate v2.26.0 said about
// them (the `*.recorded.json` beside each file): the verdict (valid, warnings, invalid), and
// Ignition's messages, each found among ours (or, where our wording differs, the case's `ours`).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIgnition } from '../../src/config/parse.js';
import { loadCaseFiles, splitMessage, type IgnitionCase, type IgnitionRecord } from '../support/compat-cases.js';

for (const cf of loadCaseFiles<IgnitionCase, IgnitionRecord>(path.join(__dirname, 'compat'))) {
  describe(path.basename(cf.file), () => {
    for (const c of cf.cases) {
      it(`${c.name}: ${c.about}`, () => {
        const rec = cf.records[c.name];
        expect(rec, `no recorded result for ${c.name}: run scripts/record-compat.ts`).toBeDefined();
        const r = parseIgnition(Buffer.from(c.config), { file: `${c.name}.ign` });
        const ours = r.diagnostics.map((d) => `${d.severity}: ${d.message}`);
        const verdict = r.diagnostics.some((d) => d.severity === 'error') ? 'invalid' : r.diagnostics.length ? 'warnings' : 'valid';
        expect(verdict, ours.join('\n')).toBe(rec.verdict);
        for (const entry of rec.messages) {
          const { severity, message } = splitMessage(entry);
          const same = r.diagnostics.some((d) => d.severity === severity && d.message === message);
          if (!same) expect(c.ours, `Ignition says "${entry}"; ours: ${ours.join(' | ')}`).toBeDefined();
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
