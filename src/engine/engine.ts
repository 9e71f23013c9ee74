// Runs one stage the way Ignition's engine does (reference §2.1, §4.1, §4.5): load the state, the
// base configs, acquire the user config (the fetch stages from the sources, the others from the
// cache), merge, run the stage, save the state. One call per process at boot.
import fs from 'node:fs';
import path from 'node:path';
import { mergeConfigs } from '../config/merge.js';
import type { ConfigPath, SourceSpan } from '../diag/diagnostic.js';
import { isNeedNet, type FetchOptions } from '../fetch/index.js';
import { realFetcher, type FetcherFactory } from '../fetch/resource-fetcher.js';
import { settingsFrom } from '../fetch/settings.js';
import type { Config } from '../generated/types.js';
import type { Host } from '../host/host.js';
import type { Provider, ProviderContext, ProviderSeams } from '../providers/provider.js';
import { getStage } from '../stages/registry.js';
import type { StageName } from '../stages/stage.js';
import { emptyState, hasUserConfig, parseState, type State } from '../stages/state.js';
import { baseConfig, EMPTY_CONFIG, fetchUserConfig, lazyDeadline, providerContext, readCache, writeAtomic, type AcquireContext } from './acquire.js';
import { describeFailure, summarize, type FailureReport } from './failure.js';
import type { EngineLog } from './log.js';
import { readSources, sourceOfSpans, userPath, writeSources } from './provenance.js';

export interface EngineOptions {
  stage: StageName;
  platform: Provider;
  root: string;
  configCache: string;
  needNet: string;
  stateFile: string;
  /** Bounds the initial provider fetch (Ignition's -fetch-timeout). */
  fetchTimeoutMs: number;
  log: EngineLog;
  host: Host;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Beyond Ignition: the devices the disks stage may modify outside an initramfs. */
  devices?: string[];
  /** Where the failure report goes (null: nowhere). */
  failureReport?: string | null;
  /** Tests only: where providers look, and fetcher extras (endpoints, DNS). */
  seams?: ProviderSeams;
  fetchOptions?: FetchOptions;
  factory?: FetcherFactory;
}

export interface StageOutcome {
  /** 0 ok, 1 stage or config failure, 3 state failure (Ignition's codes). */
  code: number;
  report?: FailureReport;
}

export const DEFAULT_FAILURE_REPORT = '/run/kindling/failure.json';

function loadState(file: string): State {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new Error(`reading state file: ${(e as Error).message}`);
  }
  return parseState(text);
}

function saveState(file: string, state: State): void {
  writeAtomic(file, JSON.stringify(state) + '\n', 0o600, 0o700);
}

function touch(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  fs.closeSync(fs.openSync(file, 'a', 0o644));
}

export async function runStage(o: EngineOptions): Promise<StageOutcome> {
  const log = o.log;
  const stage = getStage(o.stage);
  if (!stage) throw new Error(`unknown stage ${o.stage}`);
  let state: State;
  try {
    state = loadState(o.stateFile);
  } catch (e) {
    log.crit(`reading state: ${(e as Error).message}`);
    return { code: 3 };
  }

  const offline = o.stage === 'fetch-offline';
  const fetchOptions: FetchOptions = { ...o.fetchOptions, log, offline };
  const acquire: AcquireContext = {
    log,
    host: o.host,
    env: o.env,
    cwd: o.cwd,
    platform: o.platform,
    state,
    fetchOptions,
    fetchTimeoutMs: o.fetchTimeoutMs,
    seams: o.seams ?? {},
    factory: o.factory,
  };
  const deadline = lazyDeadline();
  const pctx: ProviderContext = providerContext(acquire, deadline);
  let sourceOf: ((p: ConfigPath) => SourceSpan | undefined) | undefined;
  let failure: unknown;

  const needNet = () => {
    log.info('config requires networking');
    touch(o.needNet);
  };

  try {
    let base: Config;
    try {
      base = await baseConfig(acquire);
    } catch (e) {
      log.crit(`failed to acquire system base config: ${(e as Error).message}`);
      throw e;
    }
    state.fetchedConfigs.push({ kind: 'base', source: 'system', referenced: false });

    try {
      await o.platform.init?.(pctx);
    } catch (e) {
      if (offline && isNeedNet(e)) return finish(needNet);
      throw new Error(`initializing platform config: ${(e as Error).message}`);
    }

    let user: Config;
    if (o.stage === 'fetch-offline' || o.stage === 'fetch') {
      try {
        const got = await fetchUserConfig(acquire);
        user = got.config;
        sourceOf = got.sourceOf;
      } catch (e) {
        if (offline && isNeedNet(e)) {
          log.info(`failed to fetch config: ${(e as Error).message}`);
          return finish(needNet);
        }
        log.crit(`failed to acquire config: ${(e as Error).message}`);
        throw e;
      }
      writeAtomic(o.configCache, JSON.stringify(user), 0o640);
      writeSources(o.configCache, user, sourceOf);
    } else {
      try {
        user = readCache(o.configCache, log);
      } catch (e) {
        log.crit(`failed to acquire config: ${(e as Error).message}`);
        throw e;
      }
      const spans = readSources(o.configCache);
      if (spans) sourceOf = sourceOfSpans(spans);
    }

    const full = mergeConfigs(EMPTY_CONFIG, mergeConfigs(base, user));
    if (sourceOf) {
      // Reports name paths into the full config; the YAML positions are the user config's.
      const ofUser = sourceOf;
      sourceOf = (p) => {
        const up = userPath(full, user, p);
        return up ? ofUser(up) : undefined;
      };
    }
    log.pushPrefix(o.stage);
    const factory = o.factory ?? realFetcher;
    const fetcher = factory(await settingsFrom(full, fetchOptions, factory));
    try {
      await stage.run(full, {
        root: o.root,
        host: o.host,
        state,
        fetcher,
        mode: 'boot',
        devices: o.devices,
        userConfigProvided: hasUserConfig(state),
      });
    } catch (e) {
      if (!(offline && isNeedNet(e))) throw e;
      needNet();
    } finally {
      await fetcher.close();
      log.popPrefix();
    }
    log.info(`${o.stage} passed`);
  } catch (e) {
    failure = e;
  }
  return finish();

  async function finish(before?: () => void): Promise<StageOutcome> {
    before?.();
    // The platform hears how the stage went (packet posts an event) while its context is live.
    if (o.platform.status) {
      try {
        await o.platform.status(pctx, o.stage, failure instanceof Error ? failure : undefined);
      } catch (e) {
        log.error(`POST Status error: ${(e as Error).message}`);
      }
    }
    deadline.abort();
    if (failure !== undefined) {
      const report = describeFailure(o.stage, failure, sourceOf);
      log.crit(`Ignition failed: ${report.message}`);
      if (o.failureReport !== null) {
        try {
          writeAtomic(o.failureReport ?? DEFAULT_FAILURE_REPORT, JSON.stringify(report, null, 2) + '\n', 0o600, 0o700);
        } catch (e) {
          log.error(`writing the failure report: ${(e as Error).message}`);
        }
      }
      process.stderr.write(summarize(report) + '\n');
      return { code: 1, report };
    }
    try {
      saveState(o.stateFile, state);
    } catch (e) {
      log.crit(`writing state: ${(e as Error).message}`);
      return { code: 1 };
    }
    log.info('Kindling finished successfully');
    return { code: 0 };
  }
}
