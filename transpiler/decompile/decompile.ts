// Ignition JSON (or an openshift MachineConfig) back to Butane YAML that transpiles to the same
// config. Ignition fields become their Butane names; data URLs become `inline` text (or `local`
// files with a files directory) when Butane's own encoding gives them back byte for byte; units
// that are exactly what `with_mount_unit` generates become that flag. The result is checked by
// transpiling it: anything that does not come back the same is reported, never dropped.
import { checkConfig } from '../../src/config/check.js';
import { formatPath, type ConfigPath, type Diagnostic } from '../../src/diag/diagnostic.js';
import { byCodeUnit } from '../../src/diag/order.js';
import { objectDef } from '../../src/model/spec.js';
import { isGoPointer, isList, refOf } from '../../src/model/view.js';
import { compareSemver, VERSIONS, type Version } from '../../src/model/versions.js';
import { butaneObject, type BField } from '../butane/model.js';
import type { Obj } from '../butane/tree.js';
import { findVariant, versionsOf, type VariantSpec } from '../butane/variants.js';
import { isObj } from '../core/context.js';
import { canonical, toMachineConfigYaml } from '../core/output.js';
import { transpileButane } from '../transpile.js';
import { Octal, toYaml, type YamlValue } from './emit.js';
import { memoryFiles } from './memfiles.js';
import { recogniseMountUnits } from './mounts.js';
import { resourceSugar } from './resources.js';
import type { Walk } from './walk.js';
import { childPath } from '../../src/diag/config-path.js';

export interface DecompileOptions {
  variant?: string;
  version?: string;
  /** Resources become `local` files (returned in `localFiles`, relative to this directory). */
  filesDir?: string;
}

export interface DecompileResult {
  yaml?: string;
  /** Files the YAML refers to with `local`: path relative to the files directory → bytes. */
  localFiles: Map<string, Buffer>;
  diagnostics: Diagnostic[];
  spec?: VariantSpec;
}

const problem = (message: string, path: ConfigPath = [], hint?: string): Diagnostic => ({ severity: 'error', code: 'decompile', message, path, hint });

/** Keys written first in every mapping (what identifies an entry), and last (long text). */
const FIRST = ['variant', 'version', 'metadata', 'name', 'path', 'device', 'label', 'number'];
const LAST = ['contents', 'contents_local', 'openshift'];
const TOP = ['ignition', 'kernel_arguments', 'passwd', 'storage', 'systemd'];
// Sections in the order a machine is built (as Butane's documentation writes them).
const SECTIONS = ['users', 'groups', 'disks', 'raid', 'luks', 'filesystems', 'files', 'directories', 'links'];

function ordered(m: Record<string, YamlValue>, top = false): Record<string, YamlValue> {
  const rank = (k: string) => {
    const f = FIRST.indexOf(k);
    if (f >= 0) return f - 100;
    const l = LAST.indexOf(k);
    if (l >= 0) return 100 + l;
    const t = top ? TOP.indexOf(k) : SECTIONS.indexOf(k);
    return t >= 0 ? t : 50;
  };
  const out: Record<string, YamlValue> = {};
  for (const k of Object.keys(m).sort((a, b) => rank(a) - rank(b) || byCodeUnit(a, b))) out[k] = m[k];
  return out;
}

/** The Butane pair to write: the one asked for, else the newest stable one of the variant for this spec. */
function pickPair(variant: string, version: string | undefined, ignition: Version): VariantSpec | Diagnostic {
  if (version !== undefined) {
    const spec = findVariant(variant, version);
    if (!spec)
      return problem(
        `No translator exists for variant ${variant} with version ${version}`,
        [],
        versionsOf(variant).length
          ? `${variant} accepts versions ${versionsOf(variant)
              .map((v) => v.version)
              .join(', ')}`
          : undefined,
      );
    if (spec.ignition !== ignition)
      return problem(
        `${variant} ${version} produces Ignition ${spec.ignition}, but this config is Ignition ${ignition}`,
        ['ignition', 'version'],
        pairsFor(variant, ignition),
      );
    return spec;
  }
  const fits = versionsOf(variant).filter((v) => v.ignition === ignition);
  if (!fits.length)
    return problem(
      `no ${variant} version produces Ignition ${ignition}`,
      ['ignition', 'version'],
      versionsOf(variant).length ? undefined : `unknown variant ${variant}`,
    );
  return fits.sort((a, b) => Number(a.experimental) - Number(b.experimental) || compareSemver(b.version, a.version))[0];
}

const pairsFor = (variant: string, ignition: Version) => {
  const fits = versionsOf(variant)
    .filter((v) => v.ignition === ignition)
    .map((v) => v.version);
  return fits.length ? `for Ignition ${ignition} use --version ${fits.join(' or ')}` : undefined;
};

export function decompile(input: unknown, opts: DecompileOptions = {}): DecompileResult {
  const localFiles = new Map<string, Buffer>();
  const fail = (d: Diagnostic): DecompileResult => ({ localFiles, diagnostics: [d] });
  if (!isObj(input)) return fail(problem('the config must be a JSON object'));
  const mc =
    input.kind === 'MachineConfig' && typeof input.apiVersion === 'string' && input.apiVersion.startsWith('machineconfiguration.openshift.io/')
      ? input
      : undefined;
  const spec0 = mc && isObj(mc.spec) ? mc.spec : {};
  const config = mc ? spec0.config : input;
  if (!isObj(config)) return fail(problem('the MachineConfig has no spec.config', ['spec', 'config']));
  const version = isObj(config.ignition) ? config.ignition.version : undefined;
  if (typeof version !== 'string' || !(VERSIONS as readonly string[]).includes(version)) {
    return fail(
      problem(
        `ignition.version ${JSON.stringify(version ?? null)} is not a spec version Kindling knows`,
        ['ignition', 'version'],
        `known: ${VERSIONS.join(', ')}`,
      ),
    );
  }
  const variant = opts.variant ?? (mc ? 'openshift' : 'fcos');
  if (mc && variant !== 'openshift') return fail(problem('a MachineConfig is written in the openshift variant', ['kind']));
  const picked = pickPair(variant, opts.version, version as Version);
  if ('severity' in picked) return fail(picked);
  const spec = picked;

  // Butane only writes valid configs: an invalid one has no YAML that transpiles to it.
  const invalid = checkConfig(config, version as Version).filter((d) => d.severity === 'error');
  if (invalid.length) return { localFiles, diagnostics: invalid.map((d) => ({ ...d, message: `the Ignition config is invalid: ${d.message}` })), spec };
  const diagnostics: Diagnostic[] = [];
  const cfg = structuredClone(config);
  const ctx: Walk = { spec, diagnostics, localFiles, filesDir: opts.filesDir !== undefined, mountFilesystems: new Set(), root: cfg };
  recogniseMountUnits(spec, cfg, ctx.mountFilesystems);
  const body = walkObject(ctx, cfg, 'Config', undefined, []);
  const doc: Record<string, YamlValue> = { variant: spec.variant, version: spec.version };
  if (mc) Object.assign(doc, machineConfigFields(mc, spec0));
  Object.assign(doc, body);
  if (diagnostics.length) return { localFiles, diagnostics, spec };
  const yaml = toYaml(ordered(doc, true));
  // The proof: Butane's translation of the YAML is the input config.
  const back = transpileButane(yaml, { file: 'decompiled.bu', local: memoryFiles(opts.filesDir, localFiles) });
  const errors = back.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    for (const e of errors)
      diagnostics.push(
        problem(
          `the ${spec.variant} ${spec.version} form does not transpile: ${e.message}`,
          e.path,
          'pick another variant or version with --variant/--version',
        ),
      );
    return { localFiles, diagnostics, spec };
  }
  const want = canonical(config, version as Version) ?? {};
  const got = back.config ?? {};
  const diff = firstDifference(want, got);
  if (diff) {
    diagnostics.push(
      problem(`the decompiled YAML does not transpile back to the same config (at ${formatPath(diff)})`, diff, 'please report this with the config'),
    );
    return { localFiles, diagnostics, spec };
  }
  if (mc) {
    const wantMc = toMachineConfigYaml({ ...mc, spec: { ...spec0, config: want } });
    if (!back.machineConfig || toMachineConfigYaml(back.machineConfig) !== wantMc) {
      diagnostics.push(problem('the decompiled YAML does not give back the same MachineConfig around the config', [], 'please report this with the config'));
      return { localFiles, diagnostics, spec };
    }
  }
  return { yaml, localFiles, diagnostics: diagnostics.concat(back.diagnostics.filter((d) => d.severity === 'warning')), spec };
}

// An object's Butane fields that are Ignition's, by their JSON name; made once per object view
// (butaneObject keeps one view per object, variant and version), not once per entry written.
const byJsonCache = new WeakMap<Map<string, BField>, Map<string, BField>>();
function byJsonName(fields: Map<string, BField>): Map<string, BField> {
  let byJson = byJsonCache.get(fields);
  if (!byJson) {
    byJson = new Map();
    for (const f of fields.values()) if (!f.sugar) byJson.set(f.key, f);
    byJsonCache.set(fields, byJson);
  }
  return byJson;
}

function walkObject(ctx: Walk, v: Obj, objName: string, later: Record<string, Version> | undefined, path: ConfigPath): Record<string, YamlValue> {
  const byJson = byJsonName(butaneObject(ctx.spec, objName, later).fields);
  const out: Record<string, YamlValue> = {};
  const def = objectDef(objName);
  for (const [k, val] of Object.entries(v)) {
    if (val === null || val === undefined) continue;
    if (objName === 'Ignition' && k === 'version') continue; // given by the variant and version
    const f = byJson.get(k);
    const model = def?.fields.get(k);
    if (!f || !model) {
      ctx.diagnostics.push(
        problem(
          `${k} is not a field Butane ${ctx.spec.variant} ${ctx.spec.version} has here, so it cannot be written`,
          childPath(path, k),
          'check the field name and the Ignition version',
        ),
      );
      continue;
    }
    const ref = refOf(model.type);
    const at = childPath(path, k);
    if (ref && isList(model.type) && Array.isArray(val))
      out[f.name] = val.map((x, i) => (isObj(x) ? ordered(walkObject(ctx, x, ref, model.later, childPath(at, i))) : (x as YamlValue)));
    else if (ref && isObj(val)) {
      const inner = ordered(walkObject(ctx, val, ref, model.later, at));
      // An empty section says nothing, except where Go keeps an empty object (held by a pointer).
      if (Object.keys(inner).length || isGoPointer(model, ctx.spec.ignition)) out[f.name] = inner;
    } else if (Array.isArray(val) && val.length === 0) continue;
    else if (k === 'mode' && typeof val === 'number') out[f.name] = new Octal(val);
    else out[f.name] = structuredClone(val) as YamlValue;
  }
  if (objName === 'Resource') resourceSugar(ctx, v, out, path);
  if (objName === 'Filesystem' && path[0] === 'storage' && typeof path[2] === 'number' && ctx.mountFilesystems.has(path[2])) out.with_mount_unit = true;
  return out;
}

function machineConfigFields(mc: Obj, spec: Obj): Record<string, YamlValue> {
  const md = isObj(mc.metadata) ? mc.metadata : {};
  const metadata: Record<string, YamlValue> = {};
  if (typeof md.name === 'string') metadata.name = md.name;
  if (isObj(md.labels)) metadata.labels = md.labels as Record<string, YamlValue>;
  const os: Record<string, YamlValue> = {};
  if (Array.isArray(spec.kernelArguments)) os.kernel_arguments = spec.kernelArguments as YamlValue[];
  if (Array.isArray(spec.extensions)) os.extensions = spec.extensions as YamlValue[];
  if (typeof spec.fips === 'boolean') os.fips = spec.fips;
  if (typeof spec.kernelType === 'string') os.kernel_type = spec.kernelType;
  return { metadata, ...(Object.keys(os).length ? { openshift: os } : {}) };
}

/**
 * The first path where two JSON values differ: a differing value, a key on one side only (keys of
 * `a` first, then those only `b` has), or the same keys in another order. The path is one array,
 * copied only for the difference (decompile compares every config it writes).
 */
function firstDifference(a: unknown, b: unknown): ConfigPath | undefined {
  const at: (string | number)[] = [];
  const differ = (x: unknown, y: unknown): boolean => {
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.max(x.length, y.length); i++) {
        at.push(i);
        if (differ(x[i], y[i])) return true;
        at.pop();
      }
      return false;
    }
    if (isObj(x) && isObj(y)) {
      const xKeys = Object.keys(x);
      const yKeys = Object.keys(y);
      for (const k of xKeys) {
        at.push(k);
        if (differ(x[k], y[k])) return true;
        at.pop();
      }
      for (const k of yKeys) {
        if (Object.hasOwn(x, k)) continue;
        at.push(k);
        if (differ(x[k], y[k])) return true;
        at.pop();
      }
      return xKeys.length !== yKeys.length || xKeys.some((k, i) => k !== yKeys[i]);
    }
    return x !== y;
  };
  return differ(a, b) ? at.slice() : undefined;
}
