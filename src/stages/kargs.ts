// kargs: hands kernelArguments to the distribution's helper with Ignition's exact arguments. The
// helper edits the boot loader entries and reboots when it changed anything (Kindling ships one:
// `kindling kargs-helper`, also installed as `ignition-kargs-helper`).
import type { Config } from '../generated/types.js';
import { commandError } from '../host/host.js';
import type { Stage } from './stage.js';

export function kargsArgv(config: Config, helper: string): string[] | null {
  const k = config.kernelArguments;
  const add = k?.shouldExist ?? [];
  const del = k?.shouldNotExist ?? [];
  if (add.length + del.length === 0) return null;
  return [helper, ...add.flatMap((a) => ['--should-exist', a]), ...del.flatMap((a) => ['--should-not-exist', a])];
}

export const kargs: Stage = {
  name: 'kargs',
  liveRefusals: (config) => (kargsArgv(config, 'x') ? ['cannot apply kargs modifications live (kernelArguments)'] : []),
  async run(config, ctx) {
    const argv = kargsArgv(config, ctx.host.tools.kargsHelper);
    if (!argv) return;
    // Outside an initramfs (kindling apply --disks) the helper may only look at the named devices.
    const env = ctx.devices ? { KINDLING_KARGS_DEVICES: ctx.devices.join(',') } : undefined;
    const r = await ctx.host.run(argv, { env });
    if (r.code !== 0) throw new Error(`failed adding kernel arguments: ${commandError(argv, r)}`);
  },
};
