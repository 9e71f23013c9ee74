// JSON Schemas (draft-07) of the Butane YAML for editors (yaml-language-server), one per
// variant/version (and one per Kindling version and base pair), generated from the same Butane view
// the decoder uses. Beyond the shape they carry what an editor shows: a markdown description (type,
// default, whether Butane, Kindling or Ignition handles the field), enums, Ignition's defaults, and
// snippets for the entries people write most.
import { butaneObject, ROOT_OBJECT, type BField, type BType } from './model.js';
import { allVariants, KINDLING, KINDLING_VERSIONS, kindlingSpecs, variantNames, versionsOf, type VariantSpec } from './variants.js';

type Schema = Record<string, unknown>;

const SCHEMA_BASE = 'https://kindling.dev/schema';

const typeName = (t: BType): string =>
  typeof t === 'string' ? t : 'list' in t ? `list of ${typeName(t.list)}` : 'map' in t ? `map of ${typeName(t.map)}` : t.obj;

/** How a default reads in YAML: modes in octal, as Butane configs write them. */
const yamlValue = (f: BField, v: boolean | number) => (typeof v === 'number' && /mode$/.test(f.name) ? `0${v.toString(8)}` : String(v));

function markdown(f: BField): string {
  const facts = [`\`${typeName(f.type)}\``];
  if (f.default !== undefined) facts.push(`default \`${yamlValue(f, f.default)}\``);
  if (f.enum) facts.push(`one of ${f.enum.map((e) => `\`${e === '' ? '""' : e}\``).join(', ')}`);
  const origin = f.kindling
    ? 'Kindling section: Kindling translates it into files of the generated config.'
    : f.sugar
      ? 'Butane sugar: Butane translates it into Ignition fields.'
      : `Ignition field \`${f.key}\`.`;
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
  NetEthernet: [
    {
      label: 'ethernet with a static address',
      description: 'An interface with a static address, a default route and DNS servers (Kindling network section).',
      body: { addresses: ['${1:192.0.2.10/24}'], routes: [{ to: 'default', via: '${2:192.0.2.1}' }], nameservers: { addresses: ['${3:192.0.2.53}'] } },
    },
    { label: 'ethernet by DHCP', description: 'An interface configured by DHCP (Kindling network section).', body: { dhcp4: true } },
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
  const pair = `${spec.variant} ${spec.version}`;
  if (spec.kindling === undefined) {
    rootDef.properties.variant = {
      type: 'string',
      const: spec.variant,
      description: 'The Butane variant.',
      markdownDescription: `**variant**: \`${spec.variant}\` for this schema.`,
    };
    rootDef.properties.version = {
      type: 'string',
      const: spec.version,
      description: `The version of the ${spec.variant} variant (produces Ignition ${spec.ignition}).`,
      markdownDescription: `**version**: \`${spec.version}\` for this schema; Butane translates it to an Ignition ${spec.ignition} config.`,
    };
    (definitions[ROOT_OBJECT] as Schema).required = ['variant', 'version'];
  } else {
    rootDef.properties.variant = {
      type: 'string',
      const: KINDLING,
      description: 'A Kindling config: a Butane config (base) plus Kindling sections.',
      markdownDescription: `**variant**: \`${KINDLING}\`: a Butane config (\`base\`) plus Kindling's own sections, such as \`network\`.`,
    };
    rootDef.properties.version = {
      type: 'string',
      const: spec.kindling,
      description: 'The version of the Kindling extensions.',
      markdownDescription: `**version**: \`${spec.kindling}\`, the version of the Kindling extensions for this schema.`,
    };
    rootDef.properties.base = {
      type: 'string',
      const: pair,
      description: `The Butane variant and version extended (produces Ignition ${spec.ignition}).`,
      markdownDescription: `**base**: \`${pair}\` for this schema: the Butane variant and version extended; the config translates to an Ignition ${spec.ignition} config.`,
    };
    (definitions[ROOT_OBJECT] as Schema).required = ['variant', 'version', 'base'];
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE}/${schemaName(spec)}.json`,
    title: spec.kindling === undefined ? `Butane ${pair}` : `Kindling ${spec.kindling} over Butane ${pair}`,
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
  for (const spec of allVariants()) out[`schema/${schemaName(spec)}.json`] = butaneSchema(spec);
  return out;
}

/** Editor schemas of `variant: kindling` configs, one per Kindling version and base pair. */
export function kindlingSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const spec of kindlingSpecs()) out[`schema/${schemaName(spec)}.json`] = butaneSchema(spec);
  return out;
}

/** A schema's path below schema/, without `.json`. */
const schemaName = (spec: VariantSpec) =>
  spec.kindling === undefined ? `butane/${spec.variant}-${spec.version}` : `kindling/${spec.kindling}/${spec.variant}-${spec.version}`;

/** The newest stable spec of a list (the newest of all when none is stable). */
const newestStable = (specs: VariantSpec[]) => {
  const stable = specs.filter((v) => !v.experimental);
  return (stable.length ? stable : specs)[(stable.length ? stable : specs).length - 1];
};

/**
 * schema/catalog.json, in the JSON Schema Store catalog format: one entry per variant (its
 * versions mapped to their schemas, the newest stable one as the default), one per Kindling
 * version (keyed by base pair, e.g. `fcos 1.6.0`), and one for Ignition.
 * `ignitionVersions` are the Ignition spec versions with a schema in schema/.
 */
export function schemaCatalog(ignitionVersions: readonly string[]): object {
  const variants = variantNames();
  const schemas = variants.map((variant) => {
    const specs = versionsOf(variant);
    return {
      name: `Butane ${variant}`,
      description: `Butane config, variant ${variant} (each version has its own schema; pick it with a yaml-language-server modeline)`,
      fileMatch: variant === 'fcos' ? ['*.bu'] : [],
      url: `${SCHEMA_BASE}/${schemaName(newestStable(specs))}.json`,
      versions: Object.fromEntries(specs.map((v) => [v.version, `${SCHEMA_BASE}/${schemaName(v)}.json`])),
    };
  });
  for (const k of KINDLING_VERSIONS) {
    const specs = kindlingSpecs().filter((s) => s.kindling === k);
    schemas.push({
      name: `Kindling ${k}`,
      description: `Kindling ${k} config (variant: ${KINDLING}) over a Butane pair; each base pair has its own schema`,
      fileMatch: [],
      url: `${SCHEMA_BASE}/${schemaName(newestStable(specs.filter((s) => s.variant === 'fcos')))}.json`,
      versions: Object.fromEntries(specs.map((v) => [`${v.variant} ${v.version}`, `${SCHEMA_BASE}/${schemaName(v)}.json`])),
    });
  }
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
