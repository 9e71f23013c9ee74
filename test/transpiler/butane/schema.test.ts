// Editor schemas: one per variant/version, accepting the corpus configs that Butane accepts and
// flagging unknown keys and version-gated fields.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { butaneSchemas } from '../../../transpiler/butane/schema.js';
import { corpusDir, corpusRows } from '../../support/corpus.js';

const schemas = butaneSchemas();
const ajv = new Ajv({ allErrors: true, strict: false });
const validator = (variant: string, version: string) => ajv.compile(schemas[`schema/butane/${variant}-${version}.json`] as object);

describe('Butane editor schemas', () => {
  it('exist for every variant/version pair', () => {
    expect(Object.keys(schemas)).toHaveLength(34 - 1); // Butane's 34 registry entries minus the removed rhcos stub
    expect(Object.keys(schemas)).toContain('schema/butane/openshift-4.23.0-experimental.json');
  });

  const dir = corpusDir('transpile');
  for (const { name, variant, version, exit_plain, exit_strict } of corpusRows('transpile')) {
    if (exit_plain !== '0' || exit_strict !== '0') continue;
    it(`accepts corpus ${name}`, () => {
      const v = validator(variant, version);
      const doc = parse(fs.readFileSync(path.join(dir!, 'cases', `${name}.bu`), 'utf8'), { version: '1.1' });
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

describe('editor keywords and the catalog', () => {
  const fcos16 = schemas['schema/butane/fcos-1.6.0.json'] as {
    definitions: Record<string, { properties: Record<string, Record<string, unknown>>; defaultSnippets?: { label: string }[] }>;
  };
  it('every property has a description and a markdownDescription', () => {
    for (const [name, def] of Object.entries(fcos16.definitions)) {
      for (const [prop, s] of Object.entries(def.properties ?? {})) {
        expect(s.description, `${name}.${prop}`).toBeTruthy();
        expect(s.markdownDescription, `${name}.${prop}`).toMatch(new RegExp(`^\\*\\*${prop}\\*\\*`));
      }
    }
  });
  it('carries Ignition defaults, enums and snippets for a file, a unit with a drop-in, a user with an SSH key', () => {
    const d = fcos16.definitions;
    expect(d.File.properties.mode.default).toBe(0o644);
    expect(d.File.properties.overwrite.default).toBe(false);
    expect(d.Directory.properties.mode.default).toBe(0o755);
    expect(d.BootDevice.properties.layout.enum).toContain('aarch64');
    expect(d.File.defaultSnippets?.[0].label).toBe('file with inline contents');
    expect(JSON.stringify(d.Unit.defaultSnippets)).toContain('dropins');
    expect(JSON.stringify(d.PasswdUser.defaultSnippets)).toContain('ssh_authorized_keys');
  });
  it('schema/catalog.json maps every variant/version to its schema file', () => {
    const catalog = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../schema/catalog.json'), 'utf8')) as {
      schemas: { name: string; url: string; versions: Record<string, string> }[];
    };
    const mapped = catalog.schemas.flatMap((s) => Object.values(s.versions));
    for (const file of Object.keys(schemas)) expect(mapped).toContain(`https://kindling.dev/${file}`);
    for (const url of mapped) expect(fs.existsSync(path.resolve(__dirname, '../../..', url.replace('https://kindling.dev/', '')))).toBe(true);
    expect(catalog.schemas.find((s) => s.name === 'Butane fcos')?.url).toBe('https://kindling.dev/schema/butane/fcos-1.7.0.json');
  });
});
