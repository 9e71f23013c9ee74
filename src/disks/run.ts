// `runDisks`: the disks stage for real. The flow (flow.ts) decides every step; the live driver
// (live.ts) runs exactly those steps and reports them, so a run can be compared with its dry run.
import os from 'node:os';
import type { Config, Luks } from '../generated/types.js';
import type { Host } from '../host/host.js';
import { bindClevis, disksFlow, isNoOp } from './flow.js';
import { LiveDriver, type DisksOptions } from './live.js';
import type { LuksArtifacts, PlannedCommand } from './model.js';

export { isNoOp, type DisksOptions, type LuksArtifacts };

export interface DisksResult extends LuksArtifacts {
  /** The steps that ran, as `planDisks` plans them (`<…>` for run-time values), in plan order. */
  plan: PlannedCommand[];
  /** The commands those steps ran, values substituted (a retried step twice), in plan order. */
  ran: string[][];
}

/** Runs the disks stage. Throws DisksError with Ignition's stage-level prefixes. */
export async function runDisks(config: Config, host: Host, opts: DisksOptions = {}): Promise<DisksResult> {
  if (isNoOp(config)) return { plan: [], ran: [], crypttab: [], keyFiles: [] };
  const d = new LiveDriver(host, opts);
  await disksFlow(config, d, opts.concurrency ?? os.availableParallelism());
  return { plan: d.plan, ran: d.ran, ...d.artifacts };
}

/**
 * Binds clevis to an already formatted LUKS volume (the clevis steps of the LUKS sub-stage on
 * their own): lets a machine without device-mapper still test tang/tpm2/custom bindings for real.
 */
export async function bindClevisOnly(l: Luks, host: Host, keyFile: string, opts: DisksOptions = {}): Promise<string[][]> {
  const d = new LiveDriver(host, opts);
  const [t] = (await d.prepare([l.device], 'luks')).values();
  await bindClevis(d, l, t, keyFile);
  return d.ran;
}
