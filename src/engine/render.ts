// ignition.config.replace / merge, rendered recursively as Ignition does (§4.4): replace drops
// everything else and renders the fetched config; merges are fetched in order, each child rendered
// depth-first and merged onto the merged-so-far config, whose timeouts/CAs/proxy govern the next
// fetch. The result is validated again as a whole.
import type { Diagnostic } from '../diag/diagnostic.js';
import { isNeedNet, type FetchOptions } from '../fetch/index.js';
import { redactIn, redactUrl } from '../fetch/redact.js';
import type { Config, Resource } from '../generated/types.js';
import type { FetcherFactory } from '../fetch/resource-fetcher.js';
import { settingsFrom as fetchSettings } from '../fetch/settings.js';
import { FetchError } from '../fetch/errors.js';

export interface RenderDeps {
  factory: FetcherFactory;
  /** Parses, validates and translates a fetched config (config undefined on any error). */
  parse: (input: Buffer, opts: { file?: string }) => { config?: Config; diagnostics: Diagnostic[] };
  merge: (parent: Config, child: Config) => Config;
  /** Validates the final rendered config (errors make rendering fail). */
  validate?: (config: Config) => Diagnostic[];
  /** Base fetch options (offline, logger, endpoints...). */
  fetchOptions?: FetchOptions;
  /** Guards against configs that (indirectly) reference themselves. */
  maxDepth?: number;
  /** Told about each referenced config once it is fetched and valid (the boot state records them). */
  onFetched?: (source: string) => void;
}

export class RenderError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    /** The (redacted) source that failed, for reports. */
    readonly url?: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

/** The settings a config sets for the fetches after it; a CA bundle that cannot be had fails the render. */
async function settingsFrom(config: Config, base: FetchOptions, factory: FetcherFactory): Promise<FetchOptions> {
  try {
    return await fetchSettings(config, base, factory);
  } catch (e) {
    if (isNeedNet(e) || !(e instanceof FetchError)) throw e;
    throw new RenderError(e.message, [], e.url);
  }
}

export function hasReferences(config: Config): boolean {
  const c = config.ignition.config;
  return Boolean(c?.replace?.source) || (c?.merge?.length ?? 0) > 0;
}

export async function renderConfig(config: Config, deps: RenderDeps): Promise<Config> {
  if (!hasReferences(config)) return config;
  const base = deps.fetchOptions ?? {};
  const out = await render(config, await settingsFrom(config, base, deps.factory), deps, 0);
  const problems = deps.validate?.(out).filter((d) => d.severity === 'error') ?? [];
  if (problems.length > 0) throw new RenderError('merging configs resulted in an invalid config', problems);
  return out;
}

async function fetchConfig(ref: Resource, settings: FetchOptions, deps: RenderDeps): Promise<Config> {
  if (!ref.source) throw new RenderError('source is required');
  const f = deps.factory(settings);
  let raw: Buffer;
  try {
    raw = await f.toBuffer(ref);
  } catch (e) {
    // fetch-offline turns this into the neednet flag; it is not a failure.
    if (isNeedNet(e)) throw e;
    throw new RenderError(
      `failed to fetch config ${redactUrl(ref.source)}: ${redactIn(String((e as Error)?.message ?? e), ref.source)}`,
      [],
      redactUrl(ref.source),
    );
  } finally {
    await f.close();
  }
  const r = deps.parse(raw, { file: redactUrl(ref.source) });
  if (!r.config) throw new RenderError(`referenced config ${redactUrl(ref.source)} is not valid`, r.diagnostics, redactUrl(ref.source));
  deps.onFetched?.(ref.source);
  return r.config;
}

async function render(cfg: Config, settings: FetchOptions, deps: RenderDeps, depth: number): Promise<Config> {
  if (depth > (deps.maxDepth ?? 32)) throw new RenderError('too many nested config references (merge/replace loop?)');
  const refs = cfg.ignition.config;
  if (refs?.replace?.source) {
    const next = await fetchConfig(refs.replace, settings, deps);
    return render(next, await settingsFrom(next, settings, deps.factory), deps, depth + 1);
  }
  let merged = cfg;
  for (const ref of refs?.merge ?? []) {
    let child = await fetchConfig(ref, settings, deps);
    settings = await settingsFrom(deps.merge(merged, child), settings, deps.factory);
    child = await render(child, settings, deps, depth + 1);
    merged = deps.merge(merged, child);
  }
  return merged;
}
