// KubeVirt: whichever config drive appears first, waited for without limit: NoCloud `cidata`
// (`/user-data`) or ConfigDrive `config-2` (`/openstack/latest/user_data`). No network needed.
import { driveSource } from './configdrive.js';
import type { Provider } from './provider.js';
import { firstSuccess } from './wait.js';

export const kubevirt: Provider = {
  id: 'kubevirt',
  async fetch(ctx) {
    const config = await firstSuccess<Buffer | null>(
      ctx,
      [
        driveSource(ctx, 'config drive (cidata)', 'cidata', '/user-data'),
        driveSource(ctx, 'config drive (config-2)', 'config-2', '/openstack/latest/user_data'),
      ],
      null,
    );
    return { config };
  },
};
