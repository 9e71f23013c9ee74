// Several stages in one process, sharing one state in memory: `kindling apply` (files, or
// kargs → disks → mount → files → umount with --disks). The same stage modules as `kindling boot`;
// only the transport of the state differs. A root that was mounted is always unmounted again.
import type { Config } from '../generated/types.js';
import type { ResourceFetcher } from '../fetch/resource-fetcher.js';
import type { Host } from '../host/host.js';
import { getStage } from '../stages/registry.js';
import { STAGE_NAMES, type StageContext, type StageName, type StagePlan } from '../stages/stage.js';
import { emptyState } from '../stages/state.js';

export interface InProcessOptions {
  root: string;
  host: Host;
  fetcher: ResourceFetcher;
  devices?: string[];
  mode?: 'boot' | 'apply';
}

function context(o: InProcessOptions): StageContext {
  return { root: o.root, host: o.host, state: emptyState(), fetcher: o.fetcher, mode: o.mode ?? 'apply', devices: o.devices, userConfigProvided: true };
}

/**
 * What the stages that will NOT run would have had to do: `kindling apply` refuses a config whose
 * disks or kernel arguments it was not asked to handle, as ignition-apply does.
 */
export function refusals(config: Config, running: readonly StageName[]): string[] {
  return STAGE_NAMES.filter((n) => !running.includes(n)).flatMap((n) => getStage(n)!.liveRefusals(config));
}

export async function runInProcess(config: Config, stages: readonly StageName[], o: InProcessOptions): Promise<void> {
  const ctx = context(o);
  let mounted = false;
  try {
    for (const name of stages) {
      if (name === 'umount') continue; // runs in finally, only after a mount
      await getStage(name)!.run(config, ctx);
      if (name === 'mount') mounted = true;
    }
  } finally {
    if (mounted && stages.includes('umount')) await getStage('umount')!.run(config, ctx);
  }
}

/** The dry run of each stage in turn; stops at a stage that needs an earlier one to have run. */
export async function planInProcess(config: Config, stages: readonly StageName[], o: InProcessOptions): Promise<{ stage: StageName; plan: StagePlan }[]> {
  const ctx = context(o);
  const out: { stage: StageName; plan: StagePlan }[] = [];
  for (const name of stages) {
    // The files stage plans against the root as mounted; after a planned mount it can't be known.
    if (name === 'files' && stages.includes('mount')) break;
    const plan = await getStage(name)!.plan?.(config, ctx);
    if (plan) out.push({ stage: name, plan });
  }
  return out;
}
