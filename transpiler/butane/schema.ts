// JSON Schemas (draft-07) of the Butane YAML for editors (yaml-language-server), one per
// variant/version, generated from the same Butane view the decoder uses.
import { butaneObject, ROOT_OBJECT, type BType } from './model.js';
import { VARIANTS, type VariantSpec } from './variants.js';

type Schema = Record<string, unknown>;

export function butaneSchema(spec: VariantSpec): Schema {
  const definitions: Record<string, Schema> = {};
  const defName = (name: string, later?: Record<string, string>) => (later ? `${name}_${Object.keys(later).sort().join('_')}_later` : name);

  const typeSchema = (t: BType): Schema => {
    if (t === 'string') return { type: 'string' };
    if (t === 'integer') return { type: 'integer' };
    if (t === 'boolean') return { type: 'boolean' };
    if ('list' in t) return { type: 'array', items: typeSchema(t.list) };
    if ('map' in t) return { type: 'object', additionalProperties: typeSchema(t.map) };
    const name = defName(t.obj, t.later);
    if (!definitions[name]) {
      definitions[name] = {}; // placeholder against recursion
      const obj = butaneObject(spec, t.obj, t.later);
      const properties: Record<string, Schema> = {};
      for (const f of obj.fields.values()) {
        const s: Schema = { ...typeSchema(f.type), description: f.desc };
        if (f.enum) s.enum = [...f.enum];
        properties[f.name] = s;
      }
      definitions[name] = { type: 'object', properties, additionalProperties: false };
    }
    return { $ref: `#/definitions/${name}` };
  };

  const root = typeSchema({ obj: ROOT_OBJECT });
  const rootDef = definitions[ROOT_OBJECT] as { properties: Record<string, Schema> };
  rootDef.properties.variant = { type: 'string', const: spec.variant, description: 'The Butane variant.' };
  rootDef.properties.version = { type: 'string', const: spec.version, description: `The version of the ${spec.variant} variant (produces Ignition ${spec.ignition}).` };
  (definitions[ROOT_OBJECT] as Schema).required = ['variant', 'version'];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://kindling.dev/schema/butane/${spec.variant}-${spec.version}.json`,
    title: `Butane ${spec.variant} ${spec.version}`,
    description: `Butane config, variant ${spec.variant} version ${spec.version}, translated to Ignition ${spec.ignition}.`,
    ...root,
    definitions,
  };
}

/** Every editor schema, keyed by its path in the repository. */
export function butaneSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const spec of VARIANTS) out[`schema/butane/${spec.variant}-${spec.version}.json`] = butaneSchema(spec);
  return out;
}
