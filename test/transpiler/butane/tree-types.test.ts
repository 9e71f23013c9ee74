// The decoded Butane tree has the shape its generated types declare (transpiler/generated/
// butane-tree.ts, from scripts/butane-tree.ts): every corpus and compatibility input decodes into a
// value the types' schema accepts, so the sugar translators can rely on the types without checks.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { butaneTreeSchema } from '../../../scripts/butane-tree.js';
import { decodeButane } from '../../../transpiler/core/decode.js';
import { findVariant } from '../../../transpiler/butane/variants.js';
import { normalizeSemver } from '../../../src/model/versions.js';
import { Locator, parseYaml } from '../../../transpiler/yaml/yaml.js';
import { loadCaseFiles, type ButaneCase, type ButaneRecord } from '../../support/compat-cases.js';
import { corpusDir } from '../../support/corpus.js';

const validate = new Ajv({ allErrors: true, strict: true }).compile(butaneTreeSchema());

function decoded(text: string) {
  const parsed = parseYaml(text, undefined);
  const root = parsed.root;
  if (!root || root.kind !== 'map') return undefined;
  const field = (k: string) => {
    const p = root.pairs.find((x) => x.key?.kind === 'scalar' && x.key.text === k);
    return p?.value?.kind === 'scalar' ? p.value.text : '';
  };
  const spec = findVariant(field('variant'), normalizeSemver(field('version')) ?? '');
  return spec && decodeButane(root, spec, new Locator(undefined, parsed.lines)).value;
}

const inputs: [string, string][] = [];
const dir = corpusDir('transpile');
if (dir)
  for (const f of fs.readdirSync(path.join(dir, 'cases')).filter((f) => f.endsWith('.bu')))
    inputs.push([f, fs.readFileSync(path.join(dir, 'cases', f), 'utf8')]);
for (const cf of loadCaseFiles<ButaneCase, ButaneRecord>(path.join(__dirname, '../compat'))) for (const c of cf.cases) inputs.push([c.name, c.input]);

describe('the decoded Butane tree matches its generated types', () => {
  it('has inputs', () => expect(inputs.length).toBeGreaterThan(100));
  it('accepts every decoded corpus and compatibility input', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [name, text] of inputs) {
      const v = decoded(text);
      if (v === undefined) continue;
      checked++;
      if (!validate(v)) wrong.push(`${name}: ${JSON.stringify(validate.errors)}`);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });
  it('rejects what the types forbid', () => {
    expect(validate({ boot_device: { luks: { tpm2: 'yes' } } })).toBe(false);
    expect(validate({ storage: { trees: [{ locl: 'x' }] } })).toBe(false);
  });
});
