// JSON Schemas (draft-07) of the Butane YAML for editors (yaml-language-server), one per
// variant/version, generated from the same Butane view the decoder uses. Beyond the shape they
// carry what an editor shows: a markdown description (type, default, whether Butane or Ignition
// handles the field), enums, Ignition's defaults, and snippets for the entries people write most.
import { butaneObject, ROOT_OBJECT, type BField, type BType } from './model.js';
import { VARIANTS, type VariantSpec } from './variants.js';

type Schema = Record<string, unknown>;

const SCHEMA_BASE = 'https://kindling.dev/schema';

const typeName = (t: BType): string =>
  typeof t === 'string' ? t : 'list' in t ? `list of ${typeName(t.list)}` : 'map' in t ? `map of ${t.map}` : t.obj;

/** How a default reads in YAML: modes in octal, as Butane configs write them. */
const yamlValue = (f: BField, v: boolean | number) => (typeof v === 'number' && /mode$/.test(f.name) ? `0${v.toString(8)}` : String(v));

function markdown(f: BField): string {
  const facts = [`\`${typeName(f.type)}\``];
  if (f.default !== undefined) facts.push(`default \`${yamlValue(f, f.default)}\``);
  if (f.enum) facts.push(`one of ${f.enum.map((e) => `\`${e === '' ? '""' : e}\``).join(', ')}`);
  const origin = f.sugar ? 'Butane sugar: Butane translates it into Ignition fields.' : `Ignition field \`${f.key}\`.`;
  return `**${f.name}** (${facts.join(', ')})\n\n${f.desc}\n\n${origin}`;
}

/** Snippets offered when a new entry is started in these lists (yaml-language-server `defaultSnippets`). */
const SNIPPETS: Record<string, Schema[]> = {
  File: [
    {
      label: 'file with inline contents',
      description: 'A file written by Ignition: path, mode, inline contents.',
      bodyText: 'path: ${1:/etc/example.conf}\nmode: ${2:0644}\ncontents:\n  inline: |\n    ${3:key = value}',
    },
  ],
  Unit: [
    {
      label: 'unit with a drop-in',
      description: 'A systemd unit with its contents, enabled, and a drop-in.',
      body: {
        name: '${1:example.service}',
        enabled: true,
        contents: '[Unit]\nDescription=${2:Example}\n\n[Service]\nExecStart=${3:/usr/bin/true}\n\n[Install]\nWantedBy=multi-user.target\n',
        dropins: [{ name: '${4:10-override.conf}', contents: '[Service]\nEnvironment=${5:KEY=value}\n' }],
      },
    },
  ],
  PasswdUser: [
    {
      label: 'user with an SSH key',
      description: 'A user who logs in with an SSH key.',
      body: { name: '${1:core}', ssh_authorized_keys: ['${2:ssh-ed25519 AAAA... user@host}'], groups: ['${3:wheel}'] },
    },
  ],
};

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
        const s: Schema = { ...typeSchema(f.type), description: f.desc, markdownDescription: markdown(f) };
        if (f.enum) s.enum = [...f.enum];
        if (f.default !== undefined) s.default = f.default;
        properties[f.name] = s;
      }
      definitions[name] = { type: 'object', properties, additionalProperties: false };
      if (SNIPPETS[t.obj]) definitions[name].defaultSnippets = SNIPPETS[t.obj];
    }
    return { $ref: `#/definitions/${name}` };
  };

  const root = typeSchema({ obj: ROOT_OBJECT });
  const rootDef = definitions[ROOT_OBJECT] as { properties: Record<string, Schema> };
  rootDef.properties.variant = { type: 'string', const: spec.variant, description: 'The Butane variant.', markdownDescription: `**variant**: \`${spec.variant}\` for this schema.` };
  rootDef.properties.version = {
    type: 'string',
    const: spec.version,
    description: `The version of the ${spec.variant} variant (produces Ignition ${spec.ignition}).`,
    markdownDescription: `**version**: \`${spec.version}\` for this schema; Butane translates it to an Ignition ${spec.ignition} config.`,
  };
  (definitions[ROOT_OBJECT] as Schema).required = ['variant', 'version'];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE}/butane/${spec.variant}-${spec.version}.json`,
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

/**
 * schema/catalog.json, in the JSON Schema Store catalog format: one entry per variant (its
 * versions mapped to their schemas, the newest stable one as the default) and one for Ignition.
 * `ignitionVersions` are the Ignition spec versions with a schema in schema/.
 */
export function schemaCatalog(ignitionVersions: readonly string[]): object {
  const variants = [...new Set(VARIANTS.map((v) => v.variant))];
  const schemas = variants.map((variant) => {
    const specs = VARIANTS.filter((v) => v.variant === variant);
    const stable = specs.filter((v) => !v.experimental);
    const latest = (stable.length ? stable : specs)[(stable.length ? stable : specs).length - 1];
    return {
      name: `Butane ${variant}`,
      description: `Butane config, variant ${variant} (each version has its own schema; pick it with a yaml-language-server modeline)`,
      fileMatch: variant === 'fcos' ? ['*.bu'] : [],
      url: `${SCHEMA_BASE}/butane/${variant}-${latest.version}.json`,
      versions: Object.fromEntries(specs.map((v) => [v.version, `${SCHEMA_BASE}/butane/${v.variant}-${v.version}.json`])),
    };
  });
  const stableIgn = ignitionVersions.filter((v) => !v.includes('-'));
  schemas.push({
    name: 'Ignition',
    description: 'Ignition config (each spec version has its own schema)',
    fileMatch: ['*.ign'],
    url: `${SCHEMA_BASE}/ignition-${stableIgn[stableIgn.length - 1]}.json`,
    versions: Object.fromEntries(ignitionVersions.map((v) => [v, `${SCHEMA_BASE}/ignition-${v}.json`])),
  });
  return { $schema: 'https://json.schemastore.org/schema-catalog.json', version: 1, schemas };
}
