// Proxmox VE: the `cidata` (NoCloud) drive's `/user-data`, else `/vendor-data`; a file that is a
// cloud-init `#cloud-config` or empty is skipped. Waits 30 s for the drive, then boots without a
// config, as Ignition does.
import { readInside, readOptionalDrive } from './configdrive.js';
import type { Provider, ProviderContext } from './provider.js';
import { scaled } from './wait.js';
import { utf8Text } from '../host/utf8.js';

export const PROXMOXVE_WAIT_MS = 30_000;
const CLOUD_CONFIG = '#cloud-config\n';

function firstIgnitionFile(ctx: ProviderContext, mnt: string): Buffer | null {
  for (const file of ['/user-data', '/vendor-data']) {
    let contents: Buffer | null;
    try {
      contents = readInside(ctx, mnt, file);
    } catch (e) {
      ctx.log.debug(`failed to read ${JSON.stringify(file)}: ${(e as Error).message}`);
      continue;
    }
    if (contents === null) continue;
    if (utf8Text(contents, 0, Math.min(contents.length, CLOUD_CONFIG.length)) === CLOUD_CONFIG) {
      ctx.log.debug(`config drive (${JSON.stringify(file)}) contains a cloud-config configuration, ignoring`);
    } else if (contents.length > 0) {
      ctx.log.debug(`config drive (${JSON.stringify(file)}) contains data`);
      return contents;
    } else {
      ctx.log.debug(`config drive (${JSON.stringify(file)}) is empty, ignoring`);
    }
  }
  return null;
}

export const proxmoxve: Provider = {
  id: 'proxmoxve',
  fetch: async (ctx) => ({
    config: await readOptionalDrive(ctx, 'cidata', scaled(ctx, PROXMOXVE_WAIT_MS), async (mnt) => firstIgnitionFile(ctx, mnt)),
  }),
};
