// `--dry-run` for the disks stage: the same flow as the run (flow.ts) through the dry driver, which
// records the steps and reads only. What it prints is what `runDisks` runs, step for step; where a
// value or a device's contents are only known at run time, the command says `<…>` or carries a note.
import type { Config } from '../generated/types.js';
import type { Host } from '../host/host.js';
import { DryDriver } from './dry.js';
import { disksFlow, isNoOp } from './flow.js';
import type { PlannedCommand } from './model.js';

/** The disks stage's commands for this machine as it is now. Throws DisksError where the run would fail. */
export async function planDisks(config: Config, host: Host, opts: { devices?: string[] } = {}): Promise<PlannedCommand[]> {
  if (isNoOp(config)) return [];
  const d = new DryDriver(host, opts.devices);
  await disksFlow(config, d, 1);
  return d.plan;
}

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argument as a POSIX shell reads it back: plain words as they are, anything else (an empty
 * `mount -o ''`, spaces, JSON) single-quoted. A run-time value `<…>` stays as it is, unquoted, so it
 * cannot be mistaken for a literal argument (a literal `<` is always quoted).
 */
export function shellWord(arg: string): string {
  if (PLAIN.test(arg) || /^<[^<>]+>$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Numbered lines `  1. argv…  # why [note]`, for the dry-run output. */
/** One planned command as the dry run prints it: shell-quoted argv, why, and any note. */
export function formatCommand(c: PlannedCommand): string {
  return `${c.argv.map(shellWord).join(' ')}  # ${c.why}${c.note ? ` [${c.note}]` : ''}`;
}

export function formatPlan(commands: PlannedCommand[], first = 1): string {
  return commands.map((c, i) => `${String(first + i).padStart(4)}. ${formatCommand(c)}\n`).join('');
}
