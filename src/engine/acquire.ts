// Acquiring the config for a stage, as Ignition's engine does (reference §4.1, §4.4, §4.5):
// the fetch stages ask the kernel command line, then the system `user.ign`, then the platform;
// render merge/replace; rewrite CA bundles into data: URLs; validate; cache. Every other stage
// reads the cache. Base configs (base.d, base.platform.d/<platform>) are read by every stage.
import { gunzipSync } from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { checkConfig } from '../config/check.js';
import { mergeConfigs } from '../config/merge.js';
import { sourceScheme } from '../config/url.js';
import { isObj } from '../config/decode.js';
import { parseIgnition } from '../config/parse.js';
import { checkTypes } from '../config/types-check.js';
import { hasErrors, type ConfigPath, type Diagnostic, type SourceSpan } from '../diag/diagnostic.js';
import { renderIgnition } from '../diag/render.js';
import { FetchError, Fetcher, isNeedNet, MAX_CONFIG_BYTES, redactUrl, type FetchOptions } from '../fetch/index.js';
import { realFetcher, type FetcherFactory } from '../fetch/resource-fetcher.js';
import { settingsFrom } from '../fetch/settings.js';
import type { Config, Resource } from '../generated/types.js';
import type { Host } from '../host/host.js';
import { randomHex } from '../host/temp-name.js';
import { loadConfig } from '../input/load.js';
import { LATEST } from '../model/versions.js';
import { cmdline, parseKernelCmdline, readKernelCmdline } from '../providers/cmdline.js';
import type { Provider, ProviderContext, ProviderSeams } from '../providers/provider.js';
import type { State } from '../stages/state.js';
import type { EngineLog } from './log.js';
import { renderConfig, RenderError } from './render.js';
import { baseFragments, systemConfigDirs, systemUserConfig } from './system-dirs.js';

export const EMPTY_CONFIG: Config = { ignition: { version: LATEST } };

/** A failure to get a usable config; `url` (redacted) names the source when one is to blame. */
export class AcquireError extends Error {
  constructor(
    message: string,
    readonly url?: string,
    readonly diagnostics: Diagnostic[] = [],
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'AcquireError';
  }
}

export interface AcquireContext {
  log: EngineLog;
  host: Host;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  platform: Provider;
  state: State;
  /** Base fetch options: offline (fetch-offline), logger, endpoints. */
  fetchOptions: FetchOptions;
  fetchTimeoutMs: number;
  seams: ProviderSeams;
  factory?: FetcherFactory;
}

export interface ParsedConfig {
  config: Config;
  /** Butane input: where each output path came from. */
  sourceOf?: (path: ConfigPath) => SourceSpan | undefined;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Bytes from any source → a config at the latest version. Ignition JSON of any supported version
 * or Butane YAML; beyond Ignition, a gzip-compressed config is recognised. null = empty input
 * ("not a config (empty)": the boot goes on with an empty config).
 */
export async function parseConfigBytes(data: Buffer, file: string, log: EngineLog): Promise<ParsedConfig | null> {
  if (data.length >= 2 && data[0] === GZIP_MAGIC[0] && data[1] === GZIP_MAGIC[1]) {
    try {
      data = gunzipSync(data, { maxOutputLength: MAX_CONFIG_BYTES });
    } catch (e) {
      throw new AcquireError(`config from ${file} looks gzip-compressed but does not decompress: ${(e as Error).message}`);
    }
    log.info(`config from ${file} was gzip-compressed`);
  }
  if (data.length === 0) return null;
  const r = await loadConfig(data, { file });
  for (const d of r.diagnostics) (d.severity === 'error' ? log.crit.bind(log) : log.warn.bind(log))(renderIgnition(d));
  if (!r.config || hasErrors(r.diagnostics)) {
    const version = r.diagnostics.find((d) => d.code === 'version' && d.severity === 'error');
    throw new AcquireError(version ? version.message : 'config is not valid', undefined, r.diagnostics);
  }
  return { config: r.config, sourceOf: r.sourceOf };
}

/** The merged base configs; an invalid base.d fragment fails the stage, a base.platform.d one is skipped (Ignition). */
export async function baseConfig(a: Pick<AcquireContext, 'env' | 'log' | 'platform'>): Promise<Config> {
  const dirs = systemConfigDirs(a.env);
  let base = EMPTY_CONFIG;
  for (const f of baseFragments(dirs, 'base.d', a.log)) {
    const c = await parseConfigBytes(f.data, f.path, a.log);
    if (c) base = mergeConfigs(base, c.config);
  }
  const platformDir = path.join('base.platform.d', a.platform.id);
  let platformBase = EMPTY_CONFIG;
  try {
    for (const f of baseFragments(dirs, platformDir, a.log)) {
      const c = await parseConfigBytes(f.data, f.path, a.log);
      if (c) platformBase = mergeConfigs(platformBase, c.config);
    }
  } catch (e) {
    a.log.info(`no config at ${JSON.stringify(platformDir)}: ${(e as Error).message}`);
    platformBase = EMPTY_CONFIG;
  }
  return mergeConfigs(base, platformBase);
}

/**
 * An AbortController made when its signal is first asked for: most stages wait on nothing, and
 * the first AbortController of a process loads Node's module for it.
 */
export interface LazyDeadline {
  signal(): AbortSignal;
  abort(): void;
}
export function lazyDeadline(): LazyDeadline {
  let ctl: AbortController | undefined;
  return { signal: () => (ctl ??= new AbortController()).signal, abort: () => ctl?.abort() };
}

export function providerContext(a: AcquireContext, deadline: LazyDeadline): ProviderContext {
  const opts: FetchOptions = {
    ...a.fetchOptions,
    timeouts: { httpTotal: Math.ceil(a.fetchTimeoutMs / 1000) },
    get signal() {
      return deadline.signal();
    },
  };
  return {
    host: a.host,
    log: a.log,
    env: a.env,
    cwd: a.cwd,
    offline: a.fetchOptions.offline === true,
    fetchTimeoutMs: a.fetchTimeoutMs,
    get signal() {
      return deadline.signal();
    },
    seams: a.seams,
    fetchResource: async (res) => {
      const f = new Fetcher(opts);
      try {
        return await f.fetchToBuffer(res, MAX_CONFIG_BYTES);
      } finally {
        await f.close();
      }
    },
  };
}

interface Fetched {
  source: string;
  data: Buffer;
  /** Redacted URL, for reports. */
  url?: string;
}

/** First hit wins: kernel command line, system user.ign, then the platform. */
async function fetchFromSources(a: AcquireContext, pctx: ProviderContext): Promise<Fetched> {
  let fromCmdline;
  try {
    fromCmdline = await cmdline.fetch(pctx);
  } catch (e) {
    if (isNeedNet(e)) throw e;
    const url = parseKernelCmdline(readKernelCmdline(a.env)).get('ignition.config.url');
    throw new AcquireError((e as Error).message, url ? redactUrl(url) : undefined, [], e);
  }
  if (fromCmdline.config) return { source: 'cmdline', data: fromCmdline.config };
  const sys = systemUserConfig(systemConfigDirs(a.env), a.log);
  if (sys) return { source: 'system', data: sys.data };
  const r = await a.platform.fetch(pctx);
  if (r.files?.length) {
    a.state.providerOutputFiles = r.files.map((f) => ({ path: f.path, mode: f.mode, contents: { source: `data:;base64,${f.contents}` }, overwrite: true }));
  }
  return { source: a.platform.id, data: r.config ?? Buffer.alloc(0) };
}

export interface UserConfig {
  config: Config;
  sourceOf?: ParsedConfig['sourceOf'];
}

/**
 * The fetch stages' acquisition: sources, render, CA rewrite, validation. Throws NeedNetError when
 * offline and the network is needed, AcquireError/RenderError otherwise. Updates the state.
 */
export async function fetchUserConfig(a: AcquireContext): Promise<UserConfig> {
  const deadline = lazyDeadline();
  const pctx = providerContext(a, deadline);
  let fetched: Fetched;
  try {
    fetched = await fetchFromSources(a, pctx);
  } catch (e) {
    if (isNeedNet(e)) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    a.log.warn(`failed to fetch config: ${msg}`);
    throw e instanceof AcquireError ? e : new AcquireError(msg, e instanceof FetchError ? e.url : undefined, [], e);
  }
  const parsed = await parseConfigBytes(fetched.data, fetched.source, a.log);
  if (!parsed) {
    a.log.info('not a config (empty): provider config was empty, continuing with empty cache config');
    return { config: EMPTY_CONFIG };
  }
  a.state.fetchedConfigs.push({ kind: 'user', source: fetched.source, referenced: false });
  const factory = a.factory ?? realFetcher;
  let config: Config;
  try {
    config = await renderConfig(parsed.config, {
      factory,
      parse: (buf, o) => parseIgnition(buf, o),
      merge: mergeConfigs,
      fetchOptions: a.fetchOptions,
      onFetched: (src) => a.state.fetchedConfigs.push({ kind: 'user', source: urlPath(src), referenced: true }),
    });
  } catch (e) {
    if (e instanceof RenderError) for (const d of e.diagnostics) (d.severity === 'error' ? a.log.crit.bind(a.log) : a.log.warn.bind(a.log))(renderIgnition(d));
    throw e;
  }
  config = await inlineCertificateAuthorities(config, a, factory);
  const problems = checkConfig(config, LATEST).filter((d) => d.severity === 'error');
  if (problems.length > 0) {
    for (const d of problems) a.log.crit(renderIgnition(d));
    throw new AcquireError('merging configs resulted in an invalid config', undefined, problems);
  }
  return { config, sourceOf: parsed.sourceOf };
}

/** Ignition records a referenced config by its URL path only (never its query or credentials). */
function urlPath(src: string): string {
  try {
    return new URL(src).pathname;
  } catch {
    return '';
  }
}

/** CA bundles are fetched now and cached as data: URLs, so later stages never fetch them again. */
async function inlineCertificateAuthorities(config: Config, a: AcquireContext, factory: FetcherFactory): Promise<Config> {
  const cas = config.ignition.security?.tls?.certificateAuthorities ?? [];
  if (!cas.some((c) => c.source && sourceScheme(c.source) !== 'data')) return config;
  const f = factory(await settingsFrom({ ...config, ignition: { ...config.ignition, security: undefined } }, a.fetchOptions, factory));
  try {
    const inlined: Resource[] = [];
    for (const c of cas) {
      const bytes = await f.toBuffer(c);
      inlined.push({ source: `data:;base64,${bytes.toString('base64')}`, ...(c.verification ? { verification: c.verification } : {}) });
    }
    return {
      ...config,
      ignition: { ...config.ignition, security: { ...config.ignition.security, tls: { ...config.ignition.security?.tls, certificateAuthorities: inlined } } },
    };
  } finally {
    await f.close();
  }
}

/** Reads the cache the fetch stages wrote; Go's message when it is missing. */
export function readCache(file: string, log: EngineLog): Config {
  let text: string;
  try {
    // Text, not bytes: the fetch stage wrote it with JSON.stringify, so it is UTF-8 (and Node's
    // module loader has compiled this read already; a Buffer read is six more of its functions).
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AcquireError(`open ${file}: no such file or directory`);
    throw new AcquireError(`open ${file}: ${(e as Error).message}`);
  }
  // As Ignition reads it back (acquireCachedConfig: unmarshalled, not validated again): the fetch
  // stage wrote it after checking it, in the newest version, so only its shape is checked here, and
  // a cache damaged since fails before the stage does anything. A cache in another version (which
  // no stage of this release writes) gets the whole check and translation.
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // not JSON: parseIgnition below says where
  }
  const ign = isObj(raw) ? raw.ignition : undefined;
  if (isObj(ign) && ign.version === LATEST && !hasErrors(checkTypes(raw))) return raw as Config;
  const r = parseIgnition(text, { file });
  if (!r.config) {
    for (const d of r.diagnostics) log.crit(renderIgnition(d));
    throw new AcquireError('failed to parse cached config');
  }
  return r.config;
}

/** Writes a file atomically (temp file in the same directory, fsync, rename) with `mode`. */
export function writeAtomic(file: string, data: string, mode: number, dirMode = 0o755): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: dirMode });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomHex(8)}.tmp`);
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeSync(fd, data);
    fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
