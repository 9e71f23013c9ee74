// The transpiler checks its output with Ignition's semantic rules alone (checkModelBuilt): a config
// built field by field from the model leaves nothing for Go's JSON decoding or the type check to
// find. This holds every translated config of the compatibility cases, the corpus and the
// examples to that, errors or not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/config/check.js';
import { validateSemantics } from '../../src/config/validate.js';
import { readButane, translateInput } from '../../transpiler/transpile.js';
import { hooksFor } from '../../transpiler/variants/registry.js';
import { loadCaseFiles, type ButaneCase, type ButaneRecord } from '../support/compat-cases.js';
import { corpusDir, corpusRows } from '../support/corpus.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-built-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Input {
  name: string;
  text: string;
  filesDir?: string;
}

function inputs(): Input[] {
  const out: Input[] = [];
  for (const cf of loadCaseFiles<ButaneCase, ButaneRecord>(path.join(__dirname, 'compat'))) {
    for (const c of cf.cases) {
      let filesDir: string | undefined;
      if (c.files) {
        filesDir = path.join(tmp, c.name);
        for (const [rel, body] of Object.entries(c.files)) {
          fs.mkdirSync(path.dirname(path.join(filesDir, rel)), { recursive: true });
          fs.writeFileSync(path.join(filesDir, rel), body);
        }
      }
      out.push({ name: `compat ${c.name}`, text: c.input, filesDir });
    }
  }
  const dir = corpusDir('transpile');
  if (dir) {
    for (const row of corpusRows('transpile')) {
      const flags = row.flags === '-' ? [] : row.flags.split(' ');
      const fd = flags.indexOf('--files-dir');
      const cases = path.join(dir, 'cases');
      out.push({
        name: `corpus ${row.name}`,
        text: fs.readFileSync(path.join(cases, `${row.name}.bu`), 'utf8'),
        filesDir: fd >= 0 ? path.join(cases, flags[fd + 1]) : undefined,
      });
    }
  }
  const examples = path.resolve(__dirname, '../../examples');
  for (const f of fs.readdirSync(examples).filter((f) => f.endsWith('.bu')))
    out.push({ name: `example ${f}`, text: fs.readFileSync(path.join(examples, f), 'utf8'), filesDir: examples });
  return out;
}

describe('every translated config is what the model builds', () => {
  for (const input of inputs()) {
    it(input.name, () => {
      const read = readButane(input.text, { file: 'config.bu', filesDir: input.filesDir });
      if (!read.spec || !read.ctx || !read.src) return;
      const { config, sources } = translateInput(read.ctx, read.src);
      for (const h of hooksFor(read.spec)) h.adjust?.(read.ctx, read.src, config, sources);
      expect(checkConfig(config, read.spec.ignition, { virtiofs: false })).toEqual(validateSemantics(config, read.spec.ignition, { virtiofs: false }));
    });
  }
});
