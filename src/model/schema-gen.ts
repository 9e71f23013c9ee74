// Generates the closed draft-07 JSON Schema of one spec version from the config model.
import { ROOT, type FieldDef, type TypeRef } from './spec.js';
import { fieldsAt, object } from './view.js';
import { type Version } from './versions.js';

type Json = Record<string, unknown>;

export interface SchemaOptions {
  /** Accept JSON null for every field, as Go's decoder does (true for published schemas). */
  nullable?: boolean;
}

export function schemaFor(v: Version, opts: SchemaOptions = { nullable: true }): Json {
  const defs: Record<string, Json> = {};

  const defName = (objName: string, later?: Record<string, Version>): string => {
    const present = fieldsAt(objName, v, later);
    const dropped = later ? Object.keys(later).filter((f) => !present.has(f) && fieldsAt(objName, v).has(f)) : [];
    const name = object(objName).title + dropped.map((f) => 'Without' + f[0].toUpperCase() + f.slice(1)).join('');
    if (!defs[name]) {
      defs[name] = {}; // reserve before recursing (no cycles today, but cheap insurance)
      defs[name] = objectSchema(objName, later);
    }
    return name;
  };

  const typeSchema = (t: TypeRef, f: FieldDef): Json => {
    if (typeof t === 'string') {
      const sch: Json = { type: opts.nullable ? [t, 'null'] : t };
      if (f.enum) sch.enum = opts.nullable ? [...f.enum, null] : [...f.enum];
      return sch;
    }
    if ('list' in t) {
      const sch: Json = { type: opts.nullable ? ['array', 'null'] : 'array', items: typeSchema(t.list, f) };
      return sch;
    }
    const target = { $ref: `#/definitions/${defName(t.ref, f.later)}` };
    return opts.nullable ? { anyOf: [target, { type: 'null' }] } : target;
  };

  const objectSchema = (objName: string, later: Record<string, Version> | undefined): Json => {
    const o = object(objName);
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    for (const [name, f] of fieldsAt(objName, v, later)) {
      const sch = typeSchema(f.type, f);
      // A sibling of $ref is ignored by draft-07 and makes json-schema-to-typescript invent a new type.
      properties[name] = '$ref' in sch ? sch : { description: f.desc, ...sch };
      if (f.required) required.push(name);
    }
    const sch: Json = { title: o.title, description: o.desc, type: 'object', properties, additionalProperties: false };
    if (required.length) sch.required = required;
    return sch;
  };

  const root = objectSchema(ROOT, undefined);
  (root.properties as Record<string, Json>).ignition = { $ref: `#/definitions/${defName('Ignition')}` };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://kindling.dev/schema/ignition-${v}.json`,
    title: `Ignition config, spec ${v}`,
    ...root,
    required: ['ignition'],
    definitions: defs,
  };
}
