// The files stage as one call: probe the root, plan, execute. Used by the boot `files` stage
// (mode 'boot': result file + SELinux relabel) and by `kindling apply` (mode 'apply').
import type { FetchOptions } from '../../fetch/index.js';
import type { Config } from '../../generated/types.js';
import type { Host } from '../../host/host.js';
import { executePlan } from './execute.js';
import { realFetcher, type FetcherFactory, type ResourceFetcher } from '../../fetch/resource-fetcher.js';
import { planFilesStage } from './plan/plan.js';
import type { Plan } from './plan/ops.js';
import { settingsFrom } from '../../fetch/settings.js';
import { fsRootView } from './rootview.js';

export interface FilesStageOptions {
  /** Host path of the target root ("/sysroot" at boot). */
  root: string;
  mode?: 'boot' | 'apply';
  /** Options for resource fetches (offline, logger...); the config's timeouts/CAs/proxy are added. */
  fetchOptions?: FetchOptions;
  fetcherFactory?: FetcherFactory;
  /** An already configured fetcher to use (and leave open), e.g. the one the disks stage used. */
  fetcher?: ResourceFetcher;
  /** Virtual paths of directories the mount stage created (state `notatedDirectories`). */
  notatedDirectories?: readonly string[];
  userConfigProvided?: boolean;
  /** Plan only; touch nothing. */
  dryRun?: boolean;
  bootIdPath?: string;
}

/** Plans and (unless dryRun) applies `config` to the root. Throws OpError on failure. */
export async function runFilesStage(config: Config, host: Host, opts: FilesStageOptions): Promise<Plan> {
  const plan = planFilesStage(config, fsRootView(host.fs, opts.root), {
    root: opts.root,
    mode: opts.mode ?? 'boot',
    notatedDirectories: opts.notatedDirectories,
    userConfigProvided: opts.userConfigProvided,
    tools: host.tools,
    paths: host.paths,
  });
  for (const w of plan.warnings) host.log.warn(w);
  if (opts.dryRun) return plan;
  if (opts.fetcher) {
    await executePlan(plan, { root: opts.root, host, fetcher: opts.fetcher, bootIdPath: opts.bootIdPath });
    return plan;
  }
  // The config's timeouts, CAs and proxy govern the fetches (CA bundles are fetched once, here).
  const factory = opts.fetcherFactory ?? realFetcher;
  const fetcher = factory(await settingsFrom(config, { log: host.log, ...opts.fetchOptions }, factory));
  try {
    await executePlan(plan, { root: opts.root, host, fetcher, bootIdPath: opts.bootIdPath });
  } finally {
    await fetcher.close();
  }
  return plan;
}
