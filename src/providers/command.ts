// External commands of the providers, logged the way Ignition's LogCmd does and always through the
// Host (names from the tools table, so distros and tests can swap them).
import { commandError, type CommandResult } from '../host/host.js';
import type { ProviderContext } from './provider.js';

/** Runs argv; a non-zero exit becomes an Error in Ignition's `exit status N: Cmd: ...` format. */
export async function runChecked(ctx: ProviderContext, argv: string[], what: string): Promise<CommandResult> {
  ctx.log.info(`${what}: executing: ${JSON.stringify(argv)}`);
  const r = await ctx.host.run(argv);
  if (r.code !== 0) throw new Error(commandError(argv, r));
  return r;
}
