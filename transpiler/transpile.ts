// Butane YAML → Ignition JSON, in memory. Phases: parse, pick the variant/version, typed decode,
// translate (user config with in-place sugar; generated config from distro sugar), merge the user's
// config onto the generated one, variant filters, Ignition validation. Every phase runs even when an
// earlier one found problems (except when the YAML cannot be read), so one run reports everything;
// problems on values a previous phase rejected are not repeated.
import { checkModelBuilt } from '../src/config/check.js';
import { mergeConfigs } from '../src/config/merge.js';
import { formatPath, hasErrors, laterPlaceFirst, type Diagnostic, type SourceSpan } from '../src/diag/diagnostic.js';
import { byCodeUnit } from '../src/diag/order.js';
import { normalizeSemver, type Version } from '../src/model/versions.js';
import { translateBase } from './sugar/base.js';
import { translateBootDevice } from './sugar/bootdev.js';
import { Ctx } from './core/context.js';
import { ALIAS_LIMIT, decodeButane, type StringHook } from './core/decode.js';
import type { Butane, Draft, Obj, Path } from './butane/tree.js';
import { applyFilters } from './butane/filters.js';
import { translateGrub } from './sugar/grub.js';
import { closest } from '../src/diag/suggest.js';
import { ENUM_HINTS } from './butane/hints.js';
import { localFiles, type LocalFiles } from './core/local.js';
import { translateMountUnits } from './sugar/mounts.js';
import { hooksFor } from './variants/registry.js';
import type { VariantHooks } from './variants/hook.js';
import { canonical, toJson, toMachineConfigYaml } from './core/output.js';
import { SourceMap } from './core/provenance.js';
import { checkPartitionReuse, rootPartitionProblems, wrongReservedNumbers } from './sugar/partitions.js';
import { translateQuadlets } from './sugar/quadlets.js';
import { translateTrees } from './sugar/trees.js';
import { treeMismatches } from './core/treematch.js';
import {
  fcosAtLeast,
  findVariant,
  KINDLING,
  KINDLING_VERSIONS,
  kindlingSpec,
  RHCOS_REMOVED,
  variantNames,
  versionsOf,
  type VariantSpec,
} from './butane/variants.js';
import { Locator, parseYaml, type Parsed } from './yaml/yaml.js';
import type { YNode, YPair } from './yaml/ynode.js';

export interface TranspileOptions {
  /** Name of the input, for diagnostics. */
  file?: string;
  /** Directory that `local`, `*_local` and trees are relative to. */
  filesDir?: string;
  /** Warnings fail the translation. */
  strict?: boolean;
  /** openshift: produce the plain Ignition config instead of a MachineConfig. */
  raw?: boolean;
  /** Replaces the files-dir reader (tests). */
  local?: LocalFiles;
  /** Substitutes `${NAME}` in string values (see compose/vars.ts). */
  strings?: StringHook;
  /** A config without `variant` and `version` is of this pair (the later inputs of several). */
  inherit?: VariantSpec;
  /**
   * false: inline and local data stay uncompressed where Butane would gzip them. Only the output
   * differs (the choice never changes a diagnostic), so lint skips the deflate it would throw away.
   */
  compress?: boolean;
  /**
   * false: `config` is the translated config as checked, without the output form (Butane's field
   * order, Go's unset strings, empty values dropped). For lint, which reads the config and prints none.
   */
  output?: boolean;
}

export interface TranspileResult {
  /** The Ignition config, in Butane's key order; absent when there are errors (or warnings with strict). */
  config?: Obj;
  /** The MachineConfig around `config` (openshift without raw). */
  machineConfig?: Obj;
  ignitionVersion?: Version;
  variant?: VariantSpec;
  diagnostics: Diagnostic[];
  /**
   * Where in the YAML an output path (e.g. `storage.files.0`) came from, for runtime reports: the
   * recorded source of the path, or of its nearest ancestor in the config. With `exact`, only a
   * source recorded for this very path, at a YAML node the decoder saw.
   */
  sourceOf?: (path: Path, exact?: boolean) => SourceSpan | undefined;
  /**
   * Forgets what sourceOf answers from, once the caller is done with it (sourceOf then finds
   * nothing). For a batch: these records are large, and the young objects they point to outlive
   * young-generation collections once V8 has moved the records to its old generation, until a full
   * collection, even when the result is dead. A 100-file lint took 12 % longer without it.
   */
  release?: () => void;
  /** The YAML as read, for callers that look further at the text (lint). */
  yaml?: Parsed;
}

const VARIANT_MISSING = 'error parsing variant; must be specified';
const VERSION_BAD = 'error parsing version; must be a valid semver';

/** A Butane config read and decoded, ready to translate (the front half of transpileButane). */
export interface ReadButane {
  diagnostics: Diagnostic[];
  spec?: VariantSpec;
  ctx?: Ctx;
  /** The decoded config. */
  src?: Butane.Config;
  /** The YAML as read. */
  yaml?: Parsed;
}

/** Parses, picks the variant/version and decodes; spec, ctx and src are absent when that fails. */
export function readButane(text: string, opts: TranspileOptions = {}): ReadButane {
  const parsed = parseYaml(text, opts.file);
  const loc = new Locator(opts.file, parsed.lines);
  const diagnostics = [...parsed.diagnostics];
  // Syntax errors make the tree unreliable.
  if (hasErrors(diagnostics) || !parsed.root) {
    if (!parsed.root && !hasErrors(diagnostics))
      diagnostics.push({ severity: 'error', code: 'variant-missing', message: VARIANT_MISSING, source: { file: opts.file, line: 1, column: 1 } });
    return { diagnostics, yaml: parsed };
  }
  const spec = opts.inherit && !hasKey(parsed.root, 'variant') && !hasKey(parsed.root, 'version') ? opts.inherit : pickVariant(parsed.root, loc, diagnostics);
  if (!spec) return { diagnostics, yaml: parsed };

  const decoded = decodeButane(parsed.root, spec, loc, opts.strings);
  // An alias bomb leaves a tree cut short and full of copies: checking it further would report
  // each copy (tens of thousands of duplicates, megabytes of output). Its own diagnostics suffice.
  if (decoded.diagnostics.some((d) => d.code === ALIAS_LIMIT)) {
    diagnostics.push(...decoded.diagnostics);
    sortByPosition(diagnostics, [opts.file]);
    return { diagnostics, yaml: parsed };
  }
  const mismatches = decoded.treeMatches ? [] : treeMismatches(parsed.root, spec, loc);
  const shifted = new Set(mismatches.map((d) => formatPath(d.path)));
  // An empty list item that shifts the later ones is reported once, by the mismatch warning.
  diagnostics.push(...decoded.diagnostics.filter((d) => d.code !== 'null-list-item' || !shifted.has(formatPath(d.path))), ...mismatches);
  const ctx = new Ctx(spec, decoded.origins, loc, opts.local ?? localFiles(opts.filesDir), decoded.failed, opts.compress ?? true);
  return { diagnostics, spec, ctx, src: decoded.value, yaml: parsed };
}

export function transpileButane(text: string, opts: TranspileOptions = {}): TranspileResult {
  const read = readButane(text, opts);
  const { diagnostics, spec, ctx, src, yaml } = read;
  if (!spec || !ctx || !src) return { diagnostics, yaml };
  const hooks = hooksFor(spec);
  for (const h of hooks) h.check?.(ctx, src, !!opts.raw);
  const { config, sources } = translateInput(ctx, src);
  return {
    ...finishTranspile({ spec, hooks, main: { ctx, src }, ctxs: [ctx], config, sources: sources.tag([0]), diagnostics, files: [opts.file], opts }),
    yaml,
  };
}

/**
 * One decoded input translated: the user's config (with in-place sugar) merged over the generated
 * config (distro sugar), and where each value came from (decoded paths of this input).
 */
export function translateInput(ctx: Ctx, src: Butane.Config): { config: Draft; sources: SourceMap } {
  const spec = ctx.spec;
  checkPartitionReuse(ctx, src);
  const user = translateBase(ctx, src);
  // Each sugar translator below runs only where its section is written: a function that is never
  // called costs a cold run nothing (it is neither loaded from the code cache nor compiled).
  if (src.storage?.trees) translateTrees(ctx, src, user);
  if (src.systemd?.quadlets) translateQuadlets(ctx, src, user);
  user.ignition = { ...user.ignition, version: spec.ignition };
  ctx.userSources.fill(['ignition'], ['version']);
  ctx.userSources.set(['ignition', 'version'], ['version']);

  // Generated config, outermost sugar first (Butane merges grub over boot_device over mount units).
  const sugar: Draft = {};
  for (const h of hooksFor(spec)) h.sugar?.(ctx, src, sugar);
  if (src.grub) translateGrub(ctx, src, sugar);
  if (src.boot_device) translateBootDevice(ctx, src, sugar);
  translateMountUnits(ctx, src, sugar);
  const hasSugar = Object.keys(sugar).length > 0;
  const merging = hasSugar ? SourceMap.merging(ctx.sugarSources, ctx.userSources) : undefined;
  const merged = merging ? mergeConfigs(sugar, user, spec.ignition, merging.trace) : user;
  return { config: merged, sources: merging?.result ?? ctx.userSources };
}

export interface Finish {
  spec: VariantSpec;
  hooks: VariantHooks[];
  /** The input whose variant settings (openshift metadata...) shape the output: the first. */
  main: { ctx: Ctx; src: Butane.Config };
  /** Every input's context, in order. */
  ctxs: Ctx[];
  config: Draft;
  /** Where each value of `config` came from: the input's index, then the decoded path in it (SourceMap.tagged). */
  sources: SourceMap;
  diagnostics: Diagnostic[];
  /** Input names in order (diagnostics are sorted by input, then by line). */
  files: (string | undefined)[];
  opts: TranspileOptions;
}

/** The checks of the translated config (variant filters, Butane's warnings, Ignition's validation) and the result. */
export function finishTranspile(f: Finish): TranspileResult {
  const { spec, hooks, main, config: merged, sources, diagnostics, opts } = f;
  for (const h of hooks) h.adjust?.(main.ctx, main.src, merged, sources.recordingAs([0]));
  // Every diagnostic on the output is reported where the YAML wrote what it is about.
  const inInput = (tagged: Path) => ({ ctx: f.ctxs[tagged[0] as number], path: tagged.slice(1) });
  const locate = (p: Path) => inInput(sources.resolve(p));
  const raw = !hooks.every((h) => h.filtersOutput?.(!!opts.raw) ?? true);
  const report = (severity: 'error' | 'warning', code: string, message: string, p: Path, hint?: string) => {
    const l = locate(p);
    l.ctx.report(severity, code, message, l.path, hint);
  };
  for (const hit of applyFilters(merged, spec.filters, raw)) report('error', 'variant-field', hit.message, hit.path);
  if (fcosAtLeast(spec, '1.3.0')) {
    for (const p of rootPartitionProblems(merged)) report('warning', 'root-partition-size', p.message, p.path, p.hint);
  }
  if (spec.fcos) {
    for (const p of wrongReservedNumbers(merged)) {
      report(
        'warning',
        'reserved-partition-label',
        'incorrect partition number; a new partition will be created using reserved label',
        p,
        'BIOS-BOOT and PowerPC-PReP-boot are 1, EFI-SYSTEM 2, boot 3, root 4',
      );
    }
  }
  // One error per place: Ignition's view of a problem Butane's checks already reported is noise.
  const place = (d: Diagnostic) => (d.source ? `${d.source.file ?? ''}:${d.source.line}:${d.source.column}` : '');
  const seen = new Set([...diagnostics, ...f.ctxs.flatMap((c) => c.diagnostics)].filter((d) => d.severity === 'error').map(place));
  // Butane 0.29 validates with Ignition v2.26, whose 3.7.0-experimental has no virtiofs yet.
  for (const d of checkModelBuilt(merged, spec.ignition, { virtiofs: false })) {
    const from = locate(d.path ?? []);
    if (from.ctx.isFailed(from.path)) continue;
    const nd = from.ctx.at(d.severity, d.code, d.message, from.path, d.hint ?? enumHint(d, from.path));
    if (d.related?.path) {
      const o = locate(d.related.path);
      const other = o.ctx.at('info', 'related', '', o.path);
      nd.related = { ...d.related, path: other.path, source: other.source };
      laterPlaceFirst(nd);
    }
    if (nd.severity === 'error' && seen.has(place(nd))) continue;
    from.ctx.diagnostics.push(nd);
  }
  for (const c of f.ctxs) diagnostics.push(...c.diagnostics);
  sortByPosition(diagnostics, f.files);

  const result: TranspileResult = { ignitionVersion: spec.ignition, variant: spec, diagnostics };
  let released = false;
  result.release = () => {
    released = true;
    for (const c of f.ctxs) c.release();
    sources.clear();
  };
  result.sourceOf = (p, exact) => {
    if (released) return undefined;
    const tagged = exact ? sources.get(p) : sources.resolve(p);
    if (!tagged) return undefined;
    const from = inInput(tagged);
    if (exact && !from.ctx.origins.get(from.path)) return undefined;
    return from.ctx.sourceAt(from.path);
  };
  const failed = hasErrors(diagnostics) || (opts.strict && diagnostics.some((d) => d.severity === 'warning'));
  if (failed) return result;
  if (opts.output === false) {
    result.config = merged;
    return result;
  }
  // Values only the output format adds (Go's unset plain strings) come from their object.
  result.config = canonical(merged, spec.ignition, (p) => sources.set(p, sources.resolve(p.slice(0, -1)))) ?? {};
  const wrapped = hooks.map((h) => h.wrap?.(main.src, result.config!, !!opts.raw)).find((w) => w !== undefined);
  if (wrapped) result.machineConfig = wrapped;
  return result;
}

/** The text Butane would print for a successful result. */
export function formatResult(result: TranspileResult, pretty: boolean): string {
  if (result.machineConfig) return toMachineConfigYaml(result.machineConfig);
  return toJson(result.config ?? {}, pretty);
}

const hasKey = (root: YNode, k: string) => root.kind === 'map' && root.pairs.some((p) => p.key?.kind === 'scalar' && p.key.text === k);

function pickVariant(root: YNode | null, loc: Locator, diags: Diagnostic[]): VariantSpec | undefined {
  const pairs = root && root.kind === 'map' ? root.pairs : [];
  const find = (k: string) => pairs.find((p) => p.key?.kind === 'scalar' && p.key.text === k);
  const scalarText = (p: YPair | undefined) => (p?.value?.kind === 'scalar' && p.value.text !== '' ? p.value.text : undefined);
  const span = (p: YPair | undefined) => {
    const n = p?.value ?? p?.key ?? root;
    return n ? loc.span(n.range[0], n.range[1]) : { file: loc.file, line: 1, column: 1 };
  };
  const vp = find('variant');
  const variant = scalarText(vp);
  if (!variant) {
    // `ignition.version` exists in Ignition configs only (Butane's `ignition` section has none).
    const ign = find('ignition')?.value;
    const isIgnition = !vp && ign?.kind === 'map' && ign.pairs.some((p) => p.key?.kind === 'scalar' && p.key.text === 'version');
    if (isIgnition) {
      diags.push({
        severity: 'error',
        code: 'already-ignition',
        message: `${VARIANT_MISSING}: this is already an Ignition config, which needs no transpiling`,
        source: span(find('ignition')),
        hint: 'check it with `kindling validate FILE`; transpile takes Butane configs (YAML with `variant:` and `version:`)',
      });
      return undefined;
    }
    diags.push({
      severity: 'error',
      code: 'variant-missing',
      message: VARIANT_MISSING,
      source: span(vp),
      hint: `add a \`variant:\` line, e.g. \`variant: fcos\` (known: ${variantNames().join(', ')})`,
    });
    return undefined;
  }
  const verp = find('version');
  // The registry key is the version as Butane's go-semver prints it.
  const version = normalizeSemver(scalarText(verp) ?? '');
  if (version === undefined) {
    diags.push({
      severity: 'error',
      code: 'version-invalid',
      message: VERSION_BAD,
      source: span(verp),
      path: ['version'],
      hint: 'write the full version as a string, e.g. `version: 1.6.0`',
    });
    return undefined;
  }
  if (variant === KINDLING) return pickKindling(version, find('base'), { version: span(verp), variant: span(vp), base: span(find('base')) }, scalarText, diags);
  return lookupPair(variant, version, { variant: span(vp), version: span(verp) }, diags);
}

/** The Butane pair of `variant` `version`, or an error placed on the line that names it. */
function lookupPair(
  variant: string,
  version: string,
  at: { variant: SourceSpan; version: SourceSpan },
  diags: Diagnostic[],
  pathOf: (k: 'variant' | 'version') => Path = (k) => [k],
): VariantSpec | undefined {
  if (variant === 'rhcos' && version === '0.1.0') {
    diags.push({ severity: 'error', code: 'variant-removed', message: RHCOS_REMOVED, source: at.variant, path: pathOf('variant') });
    return undefined;
  }
  const spec = findVariant(variant, version);
  if (spec) return spec;
  const known = versionsOf(variant);
  let hint: string;
  if (known.length) hint = `${variant} accepts versions ${known.map((v) => v.version).join(', ')}`;
  else {
    const near = closest(variant, variantNames()) ?? variantNames().find((k) => k.toLowerCase() === variant.toLowerCase());
    hint = near ? `did you mean \`${near}\`? variants are case-sensitive` : `known variants: ${variantNames().join(', ')}`;
  }
  diags.push({
    severity: 'error',
    code: 'variant-unknown',
    message: `No translator exists for variant ${variant} with version ${version}`,
    source: known.length ? at.version : at.variant,
    path: pathOf(known.length ? 'version' : 'variant'),
    hint,
  });
  return undefined;
}

/**
 * `variant: kindling`: the Kindling extension `version`, over the Butane pair named by `base`
 * (`fcos 1.6.0`). The config is that pair's config plus Kindling's sections.
 */
function pickKindling(
  version: string,
  basePair: YPair | undefined,
  at: { version: SourceSpan; variant: SourceSpan; base: SourceSpan },
  scalarText: (p: YPair | undefined) => string | undefined,
  diags: Diagnostic[],
): VariantSpec | undefined {
  if (!KINDLING_VERSIONS.includes(version)) {
    diags.push({
      severity: 'error',
      code: 'variant-unknown',
      message: `No translator exists for variant ${KINDLING} with version ${version}`,
      source: at.version,
      path: ['version'],
      hint: `${KINDLING} accepts versions ${KINDLING_VERSIONS.join(', ')}`,
    });
    return undefined;
  }
  const example = 'e.g. `base: fcos 1.6.0` or `base: flatcar 1.1.0`';
  const text = scalarText(basePair);
  if (text === undefined) {
    diags.push({
      severity: 'error',
      code: 'kindling-base',
      message: 'a kindling config needs `base:`, the Butane variant and version it extends',
      source: basePair ? at.base : at.variant,
      path: ['base'],
      hint: example,
    });
    return undefined;
  }
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(text);
  const baseVersion = m ? normalizeSemver(m[2]) : undefined;
  if (!m || baseVersion === undefined || m[1] === KINDLING) {
    diags.push({
      severity: 'error',
      code: 'kindling-base',
      message: `base must name a Butane variant and its version, not \`${text}\``,
      source: at.base,
      path: ['base'],
      hint: example,
    });
    return undefined;
  }
  const base = lookupPair(m[1], baseVersion, { variant: at.base, version: at.base }, diags, () => ['base']);
  return base && kindlingSpec(base, version);
}

function enumHint(d: Diagnostic, from: Path): string | undefined {
  if (!/unrecognized|invalid|unsupported|must be/.test(d.message)) return undefined;
  const last = [...from].reverse().find((s) => typeof s === 'string');
  const values = last ? ENUM_HINTS[last] : undefined;
  return values ? `accepted values: ${values.join(', ')}` : undefined;
}

/** Orders diagnostics by place: the Butane files in input order, then other files (local files), by line. */
function sortByPosition(diags: Diagnostic[], files: (string | undefined)[]): void {
  const rank = (d: Diagnostic) => {
    const i = files.indexOf(d.source?.file);
    return i >= 0 ? i : files.length;
  };
  const key = (d: Diagnostic) => (d.source ? d.source.line * 1e6 + d.source.column : 0);
  const file = (d: Diagnostic) => String(d.source?.file ?? '');
  diags.sort((a, b) => rank(a) - rank(b) || byCodeUnit(file(a), file(b)) || key(a) - key(b));
}
