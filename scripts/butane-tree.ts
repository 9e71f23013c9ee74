// The TypeScript types of the decoded Butane tree (transpiler/generated/butane-tree.ts), generated
// from the Butane view of the model (transpiler/butane/model.ts) the way src/generated/types.ts is
// from the Ignition model. The decoder (transpiler/core/decode.ts) produces exactly this shape:
// Ignition fields under their JSON names, sugar under its Butane names, every field optional (nulls
// and rejected values are dropped), scalars of their declared type. One type covers every
// variant/version, Kindling's included: an object has the fields it has in any of them. Enumerations
// stay plain strings, because the decoder does not check them (Ignition's validation of the output does).
import { compile } from 'json-schema-to-typescript';
import { butaneObject, ROOT_OBJECT, type BType } from '../transpiler/butane/model.js';
import { allVariants, kindlingSpecs } from '../transpiler/butane/variants.js';

const OUT = 'transpiler/generated/butane-tree.ts';
const BANNER = '// Generated from transpiler/butane/model.ts by `npm run gen`. Do not edit.';

type Json = Record<string, unknown>;

/** The JSON Schema of the decoded tree: one closed definition per object, fields of every pair. */
export function butaneTreeSchema(): Json {
  const definitions: Record<string, Json> = {};
  const typeSchema = (t: BType): Json => {
    if (t === 'string' || t === 'integer' || t === 'boolean') return { type: t };
    if ('list' in t) return { type: 'array', items: typeSchema(t.list) };
    if ('map' in t) return { type: 'object', additionalProperties: typeSchema(t.map) };
    define(t.obj);
    return { $ref: `#/definitions/${t.obj}` };
  };
  function define(name: string): void {
    if (definitions[name]) return;
    const def: Json = { title: name, type: 'object', additionalProperties: false };
    definitions[name] = def; // reserved before recursing
    const properties: Record<string, Json> = {};
    const seen = new Map<string, string>();
    for (const spec of [...allVariants(), ...kindlingSpecs()]) {
      for (const f of butaneObject(spec, name).fields.values()) {
        const shape = JSON.stringify(f.type);
        const before = seen.get(f.key);
        if (before !== undefined && before !== shape) throw new Error(`butane tree: ${name}.${f.key} has two types (${before}, ${shape})`);
        if (before !== undefined) continue;
        seen.set(f.key, shape);
        const sch = typeSchema(f.type);
        // A sibling of $ref is ignored by draft-07 and makes json-schema-to-typescript invent a new type.
        properties[f.key] = '$ref' in sch ? sch : { description: f.desc, ...sch };
      }
    }
    def.properties = Object.fromEntries(Object.entries(properties).sort(([a], [b]) => a.localeCompare(b)));
  }
  define(ROOT_OBJECT);
  const { [ROOT_OBJECT]: root, ...rest } = definitions;
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...root, definitions: rest };
}

/** The generated file, keyed by its path. */
export async function butaneTreeArtifacts(): Promise<Record<string, string>> {
  const ts = await compile(butaneTreeSchema() as never, ROOT_OBJECT, {
    bannerComment: BANNER,
    additionalProperties: false,
    format: false,
    unreachableDefinitions: true,
  });
  return { [OUT]: ts };
}
