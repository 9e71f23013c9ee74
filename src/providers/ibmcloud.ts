// IBM Cloud (VPC): the `cidata` config drive's `/user-data`. Ignition waits 30 s for the drive and
// then boots without a config; so does this.
import { readInside, readOptionalDrive } from './configdrive.js';
import type { Provider } from './provider.js';
import { scaled } from './wait.js';

export const IBMCLOUD_WAIT_MS = 30_000;

export const ibmcloud: Provider = {
  id: 'ibmcloud',
  fetch: async (ctx) => ({
    config: await readOptionalDrive(ctx, 'cidata', scaled(ctx, IBMCLOUD_WAIT_MS), async (mnt) => readInside(ctx, mnt, '/user-data')),
  }),
};
