// Azure's provisioning disc: a CD-ROM holding `ovf-env.xml` and, when the user gave custom data,
// `CustomData.bin`. Shared by azure (UDF) and azurestack (UDF or ISO 9660). Only CD-ROM drives are
// read, so a user-attached disk can never supply the config; a drive counts as a CD-ROM when sysfs
// says its SCSI peripheral type is 5 (Ignition asks the drive with the CDROM_DRIVE_STATUS ioctl,
// which Node cannot issue; a disc with a filesystem on it is a disc present). Polls once a second
// until a disc is read, like Ignition (or until the stage gives up).
import path from 'node:path';
import { withMountedDevice, readInside, DEVICE_POLL_MS } from './configdrive.js';
import { sysPath } from './kernel.js';
import type { ProviderContext, ProviderResult } from './provider.js';
import { scaled, sleep } from './wait.js';

/** Block devices holding a filesystem of `fstype` (libblkid's probe-all, as Ignition does). */
async function devicesOfType(ctx: ProviderContext, fstype: string): Promise<string[]> {
  const argv = [ctx.host.tools.blkid, '-c', '/dev/null', '-o', 'device', '-t', `TYPE=${fstype}`];
  const r = await ctx.host.run(argv);
  if (r.code === 2) return []; // nothing matched
  if (r.code !== 0) throw new Error(`failed to retrieve block devices with FSTYPE=${JSON.stringify(fstype)}: ${r.stderr.trim() || `exit status ${r.code}`}`);
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

function isCdrom(ctx: ProviderContext, device: string): boolean {
  const { fs } = ctx.host;
  try {
    const name = path.basename(fs.realpathSync(device));
    const type = fs.readFileSync(sysPath(ctx, `class/block/${name}/device/type`), 'utf8').trim();
    ctx.log.debug(`${device}: SCSI peripheral type ${type}`);
    return type === '5';
  } catch (e) {
    ctx.log.debug(`${device} is not a CD-ROM drive: ${(e as Error).message}`);
    return false;
  }
}

async function readDisc(ctx: ProviderContext, device: string, fstype: string): Promise<Buffer | null> {
  return withMountedDevice(
    ctx,
    device,
    async (mnt) => {
      // the file that is always there tells a provisioning disc from any other CD
      if (!ctx.host.fs.existsSync(path.join(mnt, 'ovf-env.xml'))) throw new Error(`device ${JSON.stringify(device)} does not appear to be a config drive`);
      return readInside(ctx, mnt, 'CustomData.bin');
    },
    fstype,
  );
}

export async function fetchFromOvfDevice(ctx: ProviderContext, fstypes: readonly string[]): Promise<ProviderResult> {
  const checked = new Set<string>();
  for (;;) {
    for (const fstype of fstypes) {
      for (const device of await devicesOfType(ctx, fstype)) {
        if (!checked.has(device) && isCdrom(ctx, device)) {
          try {
            const config = await readDisc(ctx, device, fstype);
            ctx.log.info('config has been read from custom data');
            return { config };
          } catch (e) {
            ctx.log.debug(`failed to retrieve config from device ${JSON.stringify(device)}: ${(e as Error).message}`);
          }
        }
        checked.add(device);
      }
    }
    await sleep(scaled(ctx, DEVICE_POLL_MS), ctx.signal);
  }
}
