// JSON Schemas (draft-07) of the Butane YAML for editors (yaml-language-server), one per
// variant/version, generated from the same Butane view the decoder uses.
import { butaneObject, ROOT_OBJECT, type BType } from './model.js';
import { KINDLING, KINDLING_VERSIONS, kindlingSpec, VARIANTS, type VariantSpec } from './variants.js';

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
  const pair = `${spec.variant} ${spec.version}`;
  if (spec.kindling === undefined) {
    rootDef.properties.variant = { type: 'string', const: spec.variant, description: 'The Butane variant.' };
    rootDef.properties.version = { type: 'string', const: spec.version, description: `The version of the ${spec.variant} variant (produces Ignition ${spec.ignition}).` };
    (definitions[ROOT_OBJECT] as Schema).required = ['variant', 'version'];
  } else {
    rootDef.properties.variant = { type: 'string', const: KINDLING, description: 'A Kindling config: a Butane config (base) plus Kindling sections.' };
    rootDef.properties.version = { type: 'string', const: spec.kindling, description: 'The version of the Kindling extensions.' };
    rootDef.properties.base = { type: 'string', const: pair, description: `The Butane variant and version extended (produces Ignition ${spec.ignition}).` };
    (definitions[ROOT_OBJECT] as Schema).required = ['variant', 'version', 'base'];
  }
  const name = spec.kindling === undefined ? `butane/${spec.variant}-${spec.version}` : `kindling/${spec.kindling}/${spec.variant}-${spec.version}`;
  const title = spec.kindling === undefined ? `Butane ${pair}` : `Kindling ${spec.kindling} over Butane ${pair}`;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://kindling.dev/schema/${name}.json`,
    title,
    description:
      spec.kindling === undefined
        ? `Butane config, variant ${spec.variant} version ${spec.version}, translated to Ignition ${spec.ignition}.`
        : `Kindling ${spec.kindling} config over Butane ${pair} (a Butane config plus Kindling sections such as network), translated to Ignition ${spec.ignition}.`,
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

/** Editor schemas of `variant: kindling` configs, one per Kindling version and base pair. */
export function kindlingSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const k of KINDLING_VERSIONS) for (const base of VARIANTS) out[`schema/kindling/${k}/${base.variant}-${base.version}.json`] = butaneSchema(kindlingSpec(base, k));
  return out;
}
