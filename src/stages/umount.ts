// umount: unmounts what the mount stage mounted, deepest first.
import { runUmount } from '../disks/index.js';
import type { Stage } from './stage.js';

export const umount: Stage = {
  name: 'umount',
  liveRefusals: () => [],
  async run(config, ctx) {
    await runUmount(config, ctx.host, { root: ctx.root });
  },
};
