// IBM Power Virtual Server: the `config-2` config drive's `/openstack/latest/user_data`, waited for without limit
// (as in Ignition; the stage's own timeout ends the wait). No network needed.
import { readConfigDrive } from './configdrive.js';
import type { Provider } from './provider.js';

export const powervs: Provider = {
  id: 'powervs',
  fetch: async (ctx) => ({ config: await readConfigDrive(ctx, 'config-2', '/openstack/latest/user_data', ctx.signal) }),
};
