// kargs: hands kernelArguments to the distribution's helper with Ignition's exact arguments. The
// helper edits the boot loader entries and reboots when it changed anything (Kindling ships one:
// `kindling kargs-helper`, also installed as `ignition-kargs-helper`).
import type { Config } from '../generated/types.js';
import { applyKargs } from '../bootloader/kargs.js';
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
  plan: async (config, ctx) => {
    const argv = kargsArgv(config, ctx.host.tools.kargsHelper);
    return { steps: argv ? [{ text: argv.join(' '), configPath: ['kernelArguments'] }] : [], errors: [] };
  },
  async run(config, ctx) {
    const argv = kargsArgv(config, ctx.host.tools.kargsHelper);
    if (!argv) return;
    const k = config.kernelArguments ?? {};
    if (ctx.mode === 'apply') {
      // kindling apply --disks: our own helper, in-process, looking only at the named devices.
      const changed = await applyKargs(ctx.host, { shouldExist: k.shouldExist ?? [], shouldNotExist: k.shouldNotExist ?? [], searchDevices: ctx.devices });
      ctx.host.log.info(changed.length ? `kernel arguments changed in ${changed.join(', ')}` : 'kernel arguments already as requested');
      return;
    }
    const r = await ctx.host.run(argv);
    if (r.code !== 0) throw new Error(`failed adding kernel arguments: ${commandError(argv, r)}`);
  },
};
