// mount: mounts every filesystem with a path under the root, shallowest first; the directories it
// had to create go into the state so the files stage can hand those under a new home to the user.
import { formatCommand, planMount, runMount } from '../disks/index.js';
import type { Stage } from './stage.js';

export const mount: Stage = {
  name: 'mount',
  liveRefusals: () => [],
  plan: async (config, ctx) => ({
    steps: planMount(config, ctx.root, ctx.host.tools).mount.map((c) => ({ text: formatCommand(c) })),
    errors: [],
  }),
  async run(config, ctx) {
    const { createdDirs } = await runMount(config, ctx.host, { root: ctx.root });
    if (createdDirs.length > 0) ctx.state.notatedDirectories = [...(ctx.state.notatedDirectories ?? []), ...createdDirs];
  },
};
