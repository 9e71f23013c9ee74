// The run-time type check walks the config model; the oracle is the latest JSON Schema compiled by
// ajv (test/generated/validate-config.cjs, from `npm run gen`). Both must report the same type
// errors, in the same order, on every config: the corpus and examples, and configs generated from
// the model with wrong types planted anywhere.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfigPath, Diagnostic } from '../../src/diag/diagnostic.js';
import { decode } from '../../src/config/decode.js';
import { checkTypes, typeError } from '../../src/config/types-check.js';
import { ROOT, type TypeRef } from '../../src/model/spec.js';
import { fieldsAt } from '../../src/model/view.js';
import { LATEST } from '../../src/model/versions.js';
import validate from '../generated/validate-config.cjs';
import { corpusDir } from '../support/corpus.js';

/** The type errors ajv finds, as diagnostics. */
function oracle(config: unknown): Diagnostic[] {
  if (validate(config)) return [];
  return (validate.errors ?? [])
    .filter((e) => e.keyword === 'type')
    .map((e) => {
      const p: ConfigPath = e.instancePath
        .split('/')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
      const value = p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], config);
      return typeError(String((e.params as { type: string }).type), value, p);
    });
}

function configFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ign')) out.push(p);
    }
  };
  for (const dir of [corpusDir('validate'), corpusDir('apply'), 'examples']) if (dir) walk(dir);
  return out;
}

/** Any JSON value, for the wrong-type plants. */
const anyJson = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 2 }),
);

/** A value of type `t` from the model, or (now and then) any JSON value in its place. */
function valueOf(t: TypeRef, depth: number): fc.Arbitrary<unknown> {
  const right: fc.Arbitrary<unknown> =
    t === 'string'
      ? fc.string({ maxLength: 4 })
      : t === 'integer'
        ? fc.integer()
        : t === 'boolean'
          ? fc.boolean()
          : 'list' in t
            ? depth > 3
              ? fc.constant([])
              : fc.array(valueOf(t.list, depth + 1), { maxLength: 2 })
            : objectOf(t.ref, depth + 1);
  return fc.oneof({ arbitrary: right, weight: 6 }, { arbitrary: anyJson, weight: 1 });
}

function objectOf(objName: string, depth: number): fc.Arbitrary<Record<string, unknown>> {
  if (depth > 4) return fc.constant({});
  const fields = [...fieldsAt(objName, LATEST)];
  return fc.record(Object.fromEntries(fields.map(([name, f]) => [name, valueOf(f.type, depth)])), { requiredKeys: [] });
}

describe('type check', () => {
  it('agrees with the schema on every corpus and example config', () => {
    const files = configFiles();
    expect(files.length).toBeGreaterThan(20);
    let withErrors = 0;
    for (const file of files) {
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        continue; // not JSON: the parser's own cases
      }
      const config = decode(raw, LATEST).config;
      const want = oracle(config);
      if (want.length) withErrors++;
      expect(checkTypes(config), file).toEqual(want);
    }
    expect(withErrors).toBeGreaterThan(0);
  });

  it('agrees with the schema on generated configs with wrong types anywhere', () => {
    let withErrors = 0;
    fc.assert(
      fc.property(objectOf(ROOT, 0), (config) => {
        const want = oracle(config);
        if (want.length > 1) withErrors++;
        expect(checkTypes(config)).toEqual(want);
      }),
      { numRuns: 400 },
    );
    expect(withErrors).toBeGreaterThan(50);
  });

  it('names the type expected and the kind found', () => {
    expect(checkTypes({ ignition: { version: '3.5.0' }, passwd: { users: [{ name: 'core', uid: 1.5 }, 7] } })).toEqual([
      { severity: 'error', code: 'type', message: 'expected an integer, found a number with a fraction', path: ['passwd', 'users', 0, 'uid'] },
      { severity: 'error', code: 'type', message: 'expected an object, found an integer', path: ['passwd', 'users', 1] },
    ]);
  });
});
