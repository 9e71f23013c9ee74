// Butane YAML → Ignition JSON, in memory. Phases: parse, pick the variant/version, typed decode,
// translate (user config with in-place sugar; generated config from distro sugar), merge the user's
// config onto the generated one, variant filters, Ignition validation. Every phase runs even when an
// earlier one found problems (except when the YAML cannot be read), so one run reports everything;
// problems on values a previous phase rejected are not repeated.
import { checkConfig } from '../src/config/check.js';
import { mergeConfigs } from '../src/config/merge.js';
import { formatPath, hasErrors, laterPlaceFirst, type Diagnostic, type SourceSpan } from '../src/diag/diagnostic.js';
import { normalizeSemver, type Version } from '../src/model/versions.js';
import { translateBase } from './sugar/base.js';
import { translateBootDevice } from './sugar/bootdev.js';
import { Ctx } from './core/context.js';
import { ALIAS_LIMIT, decodeButane } from './core/decode.js';
import type { Draft, Obj, Path } from './butane/tree.js';
import { applyFilters } from './butane/filters.js';
import { translateGrub } from './sugar/grub.js';
import { closest } from '../src/diag/suggest.js';
import { ENUM_HINTS } from './butane/hints.js';
import { localFiles, type LocalFiles } from './core/local.js';
import { translateMountUnits } from './sugar/mounts.js';
import { hooksOf } from './variants/registry.js';
import { canonical, toJson, toMachineConfigYaml } from './core/output.js';
import { SourceMap } from './core/provenance.js';
import { checkPartitionReuse, rootPartitionProblems, wrongReservedNumbers } from './sugar/partitions.js';
import { translateQuadlets } from './sugar/quadlets.js';
import { translateTrees } from './sugar/trees.js';
import { treeMismatches } from './core/treematch.js';
import { fcosAtLeast, findVariant, RHCOS_REMOVED, VARIANTS, versionsOf, type VariantSpec } from './butane/variants.js';
import { Locator, parseYaml } from './yaml/yaml.js';
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
}

const VARIANT_MISSING = 'error parsing variant; must be specified';
const VERSION_BAD = 'error parsing version; must be a valid semver';

export function transpileButane(text: string, opts: TranspileOptions = {}): TranspileResult {
  const parsed = parseYaml(text, opts.file);
  const loc = new Locator(opts.file, parsed.lines);
  const diagnostics = [...parsed.diagnostics];
  // Syntax errors make the tree unreliable.
  if (hasErrors(diagnostics) || !parsed.root) {
    if (!parsed.root && !hasErrors(diagnostics)) diagnostics.push({ severity: 'error', code: 'variant-missing', message: VARIANT_MISSING, source: { file: opts.file, line: 1, column: 1 } });
    return { diagnostics };
  }
  const spec = pickVariant(parsed.root, loc, diagnostics);
  if (!spec) return { diagnostics };

  const decoded = decodeButane(parsed.root, spec, loc);
  // An alias bomb leaves a tree cut short and full of copies: checking it further would report
  // each copy (tens of thousands of duplicates, megabytes of output). Its own diagnostics suffice.
  if (decoded.diagnostics.some((d) => d.code === ALIAS_LIMIT)) {
    diagnostics.push(...decoded.diagnostics);
    sortByPosition(diagnostics, opts.file);
    return { diagnostics };
  }
  const mismatches = treeMismatches(parsed.root, spec, loc);
  const shifted = new Set(mismatches.map((d) => formatPath(d.path)));
  // An empty list item that shifts the later ones is reported once, by the mismatch warning.
  diagnostics.push(...decoded.diagnostics.filter((d) => d.code !== 'null-list-item' || !shifted.has(formatPath(d.path))), ...mismatches);
  const ctx = new Ctx(spec, decoded.origins, loc, opts.local ?? localFiles(opts.filesDir), decoded.failed);
  const src = decoded.value;

  const hooks = hooksOf(spec.variant);
  hooks.check?.(ctx, src, !!opts.raw);
  checkPartitionReuse(ctx, src);
  const user = translateBase(ctx, src);
  translateTrees(ctx, src, user);
  translateQuadlets(ctx, src, user);
  user.ignition = { ...user.ignition, version: spec.ignition };
  ctx.userSources.fill(['ignition'], ['version']);
  ctx.userSources.set(['ignition', 'version'], ['version']);

  // Generated config, outermost sugar first (Butane merges grub over boot_device over mount units).
  const sugar: Draft = {};
  translateGrub(ctx, src, sugar);
  translateBootDevice(ctx, src, sugar);
  translateMountUnits(ctx, src, sugar);
  const hasSugar = Object.keys(sugar).length > 0;
  const merging = hasSugar ? SourceMap.merging(ctx.sugarSources, ctx.userSources) : undefined;
  const merged = merging ? mergeConfigs(sugar, user, spec.ignition, merging.trace) : user;
  const sources = merging?.result ?? ctx.userSources;
  hooks.adjust?.(ctx, src, merged, sources);

  // Every diagnostic on the output is reported where the YAML wrote what it is about.
  const locate = (p: Path) => sources.resolve(p);
  for (const hit of applyFilters(merged, spec.filters, !(hooks.filtersOutput?.(!!opts.raw) ?? true))) ctx.error('variant-field', hit.message, locate(hit.path));
  if (fcosAtLeast(spec, '1.3.0')) {
    for (const p of rootPartitionProblems(merged)) ctx.warn('root-partition-size', p.message, locate(p.path), p.hint);
  }
  if (spec.fcos) {
    for (const p of wrongReservedNumbers(merged)) {
      ctx.warn('reserved-partition-label', 'incorrect partition number; a new partition will be created using reserved label', locate(p), 'BIOS-BOOT and PowerPC-PReP-boot are 1, EFI-SYSTEM 2, boot 3, root 4');
    }
  }
  // One error per place: Ignition's view of a problem Butane's checks already reported is noise.
  const place = (d: Diagnostic) => (d.source ? `${d.source.line}:${d.source.column}` : '');
  const seen = new Set([...diagnostics, ...ctx.diagnostics].filter((d) => d.severity === 'error').map(place));
  // Butane 0.29 validates with Ignition v2.26, whose 3.7.0-experimental has no virtiofs yet.
  for (const d of checkConfig(merged, spec.ignition, { virtiofs: false })) {
    const from = locate(d.path ?? []);
    if (ctx.isFailed(from)) continue;
    const nd = ctx.at(d.severity, d.code, d.message, from, d.hint ?? enumHint(d, from));
    if (d.related?.path) {
      const other = ctx.at('info', 'related', '', locate(d.related.path));
      nd.related = { ...d.related, path: other.path, source: other.source };
      laterPlaceFirst(nd);
    }
    if (nd.severity === 'error' && seen.has(place(nd))) continue;
    ctx.diagnostics.push(nd);
  }
  diagnostics.push(...ctx.diagnostics);
  sortByPosition(diagnostics, opts.file);

  const result: TranspileResult = { ignitionVersion: spec.ignition, variant: spec, diagnostics };
  result.sourceOf = (p, exact) => {
    const from = exact ? sources.get(p) : locate(p);
    if (!from || (exact && !ctx.origins.get(from))) return undefined;
    return ctx.at('info', 'source', '', from).source;
  };
  const failed = hasErrors(diagnostics) || (opts.strict && diagnostics.some((d) => d.severity === 'warning'));
  if (failed) return result;
  // Values only the output format adds (Go's unset plain strings) come from their object.
  result.config = canonical(merged, spec.ignition, (p) => sources.set(p, locate(p.slice(0, -1)))) ?? {};
  const wrapped = hooks.wrap?.(src, result.config, !!opts.raw);
  if (wrapped) result.machineConfig = wrapped;
  return result;
}

/** The text Butane would print for a successful result. */
export function formatResult(result: TranspileResult, pretty: boolean): string {
  if (result.machineConfig) return toMachineConfigYaml(result.machineConfig);
  return toJson(result.config ?? {}, pretty);
}

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
    diags.push({ severity: 'error', code: 'variant-missing', message: VARIANT_MISSING, source: span(vp), hint: `add a \`variant:\` line, e.g. \`variant: fcos\` (known: ${knownVariants().join(', ')})` });
    return undefined;
  }
  const verp = find('version');
  // The registry key is the version as Butane's go-semver prints it.
  const version = normalizeSemver(scalarText(verp) ?? '');
  if (version === undefined) {
    diags.push({ severity: 'error', code: 'version-invalid', message: VERSION_BAD, source: span(verp), path: ['version'], hint: 'write the full version as a string, e.g. `version: 1.6.0`' });
    return undefined;
  }
  if (variant === 'rhcos' && version === '0.1.0') {
    diags.push({ severity: 'error', code: 'variant-removed', message: RHCOS_REMOVED, source: span(vp), path: ['variant'] });
    return undefined;
  }
  const spec = findVariant(variant, version);
  if (spec) return spec;
  const known = versionsOf(variant);
  let hint: string;
  if (known.length) hint = `${variant} accepts versions ${known.map((v) => v.version).join(', ')}`;
  else {
    const near = closest(variant, knownVariants()) ?? knownVariants().find((k) => k.toLowerCase() === variant.toLowerCase());
    hint = near ? `did you mean \`${near}\`? variants are case-sensitive` : `known variants: ${knownVariants().join(', ')}`;
  }
  diags.push({
    severity: 'error',
    code: 'variant-unknown',
    message: `No translator exists for variant ${variant} with version ${version}`,
    source: known.length ? span(verp) : span(vp),
    path: known.length ? ['version'] : ['variant'],
    hint,
  });
  return undefined;
}

const knownVariants = () => [...new Set(VARIANTS.map((v) => v.variant))];

function enumHint(d: Diagnostic, from: Path): string | undefined {
  if (!/unrecognized|invalid|unsupported|must be/.test(d.message)) return undefined;
  const last = [...from].reverse().find((s) => typeof s === 'string');
  const values = last ? ENUM_HINTS[last] : undefined;
  return values ? `accepted values: ${values.join(', ')}` : undefined;
}

/** Orders diagnostics by place: the Butane file first, then other files (local files), by line. */
function sortByPosition(diags: Diagnostic[], file: string | undefined): void {
  const rank = (d: Diagnostic) => (d.source?.file === file ? 0 : 1);
  const key = (d: Diagnostic) => (d.source ? d.source.line * 1e6 + d.source.column : 0);
  diags.sort((a, b) => rank(a) - rank(b) || String(a.source?.file ?? '').localeCompare(String(b.source?.file ?? '')) || key(a) - key(b));
}
