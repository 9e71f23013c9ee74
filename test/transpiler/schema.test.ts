// Editor schemas: one per variant/version, accepting the corpus configs that Butane accepts and
// flagging unknown keys and version-gated fields.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { butaneSchemas } from '../../transpiler/butane/schema.js';

const schemas = butaneSchemas();
const ajv = new Ajv({ allErrors: true, strict: false });
const validator = (variant: string, version: string) => ajv.compile(schemas[`schema/butane/${variant}-${version}.json`] as object);

describe('Butane editor schemas', () => {
  it('exist for every variant/version pair', () => {
    expect(Object.keys(schemas)).toHaveLength(34 - 1); // Butane's 34 registry entries minus the removed rhcos stub
    expect(Object.keys(schemas)).toContain('schema/butane/openshift-4.23.0-experimental.json');
  });

  const dir = path.resolve(__dirname, '../../../shared/corpus/transpile');
  const rows = fs.existsSync(dir) ? fs.readFileSync(path.join(dir, 'cases.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')) : [];
  for (const [name, variant, version, exitPlain, exitStrict] of rows) {
    if (exitPlain !== '0' || exitStrict !== '0') continue;
    it(`accepts corpus ${name}`, () => {
      const v = validator(variant, version);
      const doc = parse(fs.readFileSync(path.join(dir, 'cases', `${name}.bu`), 'utf8'), { version: '1.1' });
      expect(v(doc), JSON.stringify(v.errors)).toBe(true);
    });
  }

  it('flags typos and fields from later versions', () => {
    const v13 = validator('fcos', '1.3.0');
    expect(v13({ variant: 'fcos', version: '1.3.0', storage: { files: [{ path: '/a', contnets: {} }] } })).toBe(false);
    expect(v13({ variant: 'fcos', version: '1.3.0', kernel_arguments: {} })).toBe(false);
    expect(validator('fcos', '1.4.0')({ variant: 'fcos', version: '1.4.0', kernel_arguments: { should_exist: ['a'] } })).toBe(true);
    expect(validator('flatcar', '1.1.0')({ variant: 'flatcar', version: '1.1.0', boot_device: {} })).toBe(false);
  });
});
