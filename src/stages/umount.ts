// umount: unmounts what the mount stage mounted, deepest first.
import { formatCommand, planMount, runUmount } from '../disks/index.js';
import type { Stage } from './stage.js';

export const umount: Stage = {
  name: 'umount',
  liveRefusals: () => [],
  plan: async (config, ctx) => ({
    steps: planMount(config, ctx.root, ctx.host.tools).umount.map((c) => ({ text: formatCommand(c) })),
    errors: [],
  }),
  async run(config, ctx) {
    await runUmount(config, ctx.host, { root: ctx.root });
  },
};
