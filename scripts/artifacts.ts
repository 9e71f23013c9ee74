// The list of generated artifacts and their contents, shared by `npm run gen` and the drift test.
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { compile } from 'json-schema-to-typescript';
import { valueEnd } from '../src/config/json.js';
import { schemaFor } from '../src/model/schema-gen.js';
import { butaneSchemas, kindlingSchemas, schemaCatalog } from '../transpiler/butane/schema.js';
import { butaneTreeArtifacts } from './butane-tree.js';
import { modelObjectArtifacts } from './model-objects.js';
import { butaneName, objectNames, type TypeRef } from '../src/model/spec.js';
import { object } from '../src/model/view.js';
import { VERSIONS, LATEST } from '../src/model/versions.js';

const BANNER = '// Generated from src/model/spec.ts by `npm run gen`. Do not edit.\n';

export async function generatedArtifacts(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of VERSIONS) out[`schema/ignition-${v}.json`] = JSON.stringify(schemaFor(v), null, 2) + '\n';
  for (const [file, schema] of Object.entries({ ...butaneSchemas(), ...kindlingSchemas() })) out[file] = JSON.stringify(schema, null, 2) + '\n';
  out['schema/catalog.json'] = JSON.stringify(schemaCatalog(VERSIONS), null, 2) + '\n';

  const latest = schemaFor(LATEST, { nullable: false });
  const ts = await compile(latest as never, 'Config', {
    bannerComment: BANNER.trim(),
    additionalProperties: false,
    format: false,
    unreachableDefinitions: true,
  });
  out['src/generated/types.ts'] = ts;

  // The latest schema's types, compiled by ajv: the oracle that test/config/types-check.test.ts
  // holds the run-time type check (src/config/types-check.ts, a walk of the model) to. The walk
  // replaced this validator in the programs: 64 KB of generated code that every Ignition parse
  // ran cold (several per cent of a cold `kindling validate`).
  const ajv = new Ajv({ code: { source: true, lines: false }, allErrors: true, strict: true });
  const validate = ajv.compile(typesOnly(latest) as object);
  out['test/generated/validate-config.cjs'] = BANNER + withoutUnusedConstants(standaloneCode(ajv, validate)) + '\n';
  out['test/generated/validate-config.d.cts'] =
    BANNER +
    "import type { ErrorObject } from 'ajv';\n" +
    'declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };\nexport = validate;\n';
  out['docs/ignition-spec.md'] = specReference();
  Object.assign(out, await butaneTreeArtifacts(), modelObjectArtifacts());
  return out;
}

/**
 * The schema the oracle validator checks: only what decides a value's type. The type check reports
 * `type` errors and nothing else (required fields, enumerations and unknown keys have Ignition's
 * own messages, from the rules and the decoder).
 */
function typesOnly(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(typesOnly);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' || k === 'definitions') out[k] = Object.fromEntries(Object.entries(v as object).map(([name, s]) => [name, typesOnly(s)]));
    else if (['$schema', '$id', 'type', 'items', '$ref'].includes(k)) out[k] = typesOnly(v);
  }
  return out;
}

/** ajv's standalone code declares each schema it compiled (`const schemaN = {...};`) even where no code refers to it. */
function withoutUnusedConstants(code: string): string {
  for (const m of [...code.matchAll(/const (schema\d+) = /g)]) {
    if (code.split(new RegExp(`\\b${m[1]}\\b`)).length > 2) continue; // used beyond its declaration
    const start = code.indexOf(m[0]);
    // ajv writes the constant as JSON.
    const end = code.indexOf(';', valueEnd(code, start + m[0].length)) + 1;
    code = code.slice(0, start) + code.slice(end);
  }
  return code;
}

/** A field reference of every spec version, for people: docs/ignition-spec.md. */
export function specReference(): string {
  const lines = ['# Ignition spec fields', '', BANNER.replace('// ', '').trim(), '', 'Versions: ' + VERSIONS.join(', ') + '.', ''];
  const typeName = (t: TypeRef): string => (typeof t === 'string' ? t : 'list' in t ? `list of ${typeName(t.list)}` : t.ref);
  for (const name of objectNames()) {
    const o = object(name);
    lines.push(`## ${name}`, '', o.desc, '', '| field | Butane name | type | versions | description |', '|---|---|---|---|---|');
    for (const [field, f] of o.fields) {
      const versions = `${f.since ?? VERSIONS[0]}${f.until ? ` until ${f.until}` : ' and later'}`;
      lines.push(`| \`${field}\`${f.required ? ' (required)' : ''} | \`${butaneName(field, f)}\` | ${typeName(f.type)} | ${versions} | ${f.desc} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
