// One interface for every stage of a first boot (Ignition's internal/exec/stages/*). A stage is
// given the fully merged config and a context (root, Host, state, fetcher) and either finishes or
// throws. `kindling boot` runs one stage per process; `kindling apply` runs several in one process.
// Add a stage: one module in this folder and one line in registry.ts.
import type { ConfigPath } from '../diag/diagnostic.js';
import type { Config } from '../generated/types.js';
import type { ResourceFetcher } from '../fetch/resource-fetcher.js';
import type { Host } from '../host/host.js';
import type { State } from './state.js';

export const STAGE_NAMES = ['fetch-offline', 'fetch', 'kargs', 'disks', 'mount', 'files', 'umount'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface StageContext {
  /** Host path of the target root (`/sysroot` in the initramfs). */
  root: string;
  host: Host;
  /** Carried between stage processes through the state file; stages read and update it. */
  state: State;
  /** One fetcher for the stage, configured from the config's timeouts, CAs and proxy. */
  fetcher: ResourceFetcher;
  /** `boot`: a real first boot (result file, relabel); `apply`: `kindling apply` on a directory. */
  mode: 'boot' | 'apply';
  /** Block devices the disks stage may modify outside an initramfs (inside one: any). */
  devices?: string[];
  /** Whether a user config (not only base configs) was provided; recorded in the result file. */
  userConfigProvided: boolean;
}

/** One step of a dry run: what would run, and the config entry it comes from. */
export interface PlannedStep {
  text: string;
  configPath?: ConfigPath;
}

/** What a stage would do, computed without touching anything (probing is allowed). */
export interface StagePlan {
  steps: PlannedStep[];
  /** Problems that would stop the stage before it touches anything. */
  errors: { message: string; configPath?: ConfigPath; hint?: string }[];
}

export interface Stage {
  readonly name: StageName;
  /**
   * What this stage cannot do to a live directory for `config` (`kindling apply`, like
   * ignition-apply's "cannot apply … live"); empty when it has nothing to do or can do it.
   */
  liveRefusals(config: Config): string[];
  /** The dry run: the same decisions `run` makes, as steps. Absent when the stage has no actions. */
  plan?(config: Config, ctx: StageContext): Promise<StagePlan>;
  run(config: Config, ctx: StageContext): Promise<void>;
}
