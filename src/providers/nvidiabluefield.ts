// NVIDIA BlueField DPU: the config is pushed through the boot FIFO, read from sysfs after
// `modprobe mlxbf_bootctl`; NULs around it are trimmed; an absent or empty FIFO = no config.
import { trimNuls } from './decode.js';
import { goPathError } from './goerror.js';
import { runChecked } from './command.js';
import { sysPath } from './kernel.js';
import type { Provider } from './provider.js';

const BOOTFIFOS = ['bus/platform/devices/MLNXBF04:00/bootfifo'];

export const nvidiabluefield: Provider = {
  id: 'nvidiabluefield',
  async fetch(ctx) {
    await runChecked(ctx, [ctx.host.tools.modprobe, 'mlxbf_bootctl'], 'loading mlxbf-bootctl kernel module');
    for (const rel of BOOTFIFOS) {
      const fifo = sysPath(ctx, rel);
      ctx.log.debug(`Attempting to read bootfifo at ${fifo}`);
      let raw: Buffer;
      try {
        raw = ctx.host.fs.readFileSync(fifo);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') ctx.log.error(`Could not read bootfifo at ${fifo}: ${goPathError('read', fifo, e).message}`);
        continue;
      }
      if (raw.length === 0) {
        ctx.log.info(`${fifo} is empty`);
        continue;
      }
      return { config: trimNuls(raw) };
    }
    ctx.log.info('No config found in any of the NVIDIA BlueField bootfifo interfaces');
    return { config: null };
  },
};
