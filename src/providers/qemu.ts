// QEMU. On x86 and arm the config is the fw_cfg blob `opt/com.coreos/config`, read through sysfs
// (after `modprobe qemu_fw_cfg`); no blob = no config. On s390x and ppc64le, which have no fw_cfg,
// it is the virtio disk with serial `ignition` (`/dev/disk/by-id/virtio-ignition`), polled every
// 5 s for up to 5 minutes, trailing NULs trimmed. Beyond Ignition: without udev (no by-id links)
// the disk is found by its serial in sysfs. No network needed.
import path from 'node:path';
import { trimNuls } from './decode.js';
import { goPathError } from './goerror.js';
import { loadModuleUnless, sysPath } from './kernel.js';
import type { Provider, ProviderContext, ProviderResult } from './provider.js';
import { childSignal, pollUntil, scaled, WaitAborted } from './wait.js';

const FW_CFG_DIR = 'firmware/qemu_fw_cfg';
const FW_CFG_ENTRY = `${FW_CFG_DIR}/by_name/opt/com.coreos/config`;
export const BLOCK_DEVICE_TIMEOUT_MS = 5 * 60_000;
const BLOCK_DEVICE_POLL_MS = 5_000;
const DEFAULT_BY_ID_DIR = '/dev/disk/by-id';

async function fromFwCfg(ctx: ProviderContext): Promise<ProviderResult> {
  const { fs } = ctx.host;
  await loadModuleUnless(ctx, FW_CFG_DIR, 'qemu_fw_cfg', 'loading QEMU firmware config module');
  const sizeFile = sysPath(ctx, `${FW_CFG_ENTRY}/size`);
  let sizeText: string;
  try {
    sizeText = fs.readFileSync(sizeFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      ctx.log.info('QEMU firmware config was not found. Ignoring...');
      return { config: null };
    }
    ctx.log.error(`couldn't read QEMU firmware config size: ${goPathError('open', sizeFile, e).message}`);
    throw goPathError('open', sizeFile, e);
  }
  const trimmed = sizeText.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(trimmed)}: invalid syntax`);
  const size = Number(trimmed);
  const rawFile = sysPath(ctx, `${FW_CFG_ENTRY}/raw`);
  let data: Buffer;
  try {
    data = fs.readFileSync(rawFile);
  } catch (e) {
    throw goPathError('read', rawFile, e);
  }
  if (data.length > size) {
    ctx.log.error('missing EOF reading QEMU firmware config');
    throw new Error('missing EOF');
  }
  if (data.length < size) {
    ctx.log.error("couldn't read QEMU firmware config: EOF");
    throw new Error('EOF');
  }
  return { config: data };
}

/** The virtio disk with serial `ignition`: its by-id link, or (no udev) its node found via sysfs. */
function ignitionDisk(ctx: ProviderContext): string | null {
  const { fs } = ctx.host;
  const byId = ctx.seams.byIdDir ?? DEFAULT_BY_ID_DIR;
  if (fs.existsSync(byId)) {
    const link = path.join(byId, 'virtio-ignition');
    return fs.existsSync(link) ? link : null;
  }
  const blocks = sysPath(ctx, 'block');
  for (const name of fs.existsSync(blocks) ? fs.readdirSync(blocks) : []) {
    try {
      if (fs.readFileSync(path.join(blocks, name, 'serial'), 'utf8').trim() === 'ignition') return `/dev/${name}`;
    } catch {
      // no serial: not a virtio disk
    }
  }
  return null;
}

/** Go's time.Duration text for whole seconds and above (`5m0s`, `30s`). Pure. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = +(s % 60).toFixed(3);
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${sec}s`;
}

async function fromBlockDevice(ctx: ProviderContext): Promise<ProviderResult> {
  ctx.log.warn('Fetching the Ignition config via the Virtio block driver is currently experimental and subject to change.');
  await loadModuleUnless(ctx, 'bus/virtio/drivers/virtio_blk', 'virtio_blk', 'loading Virtio block driver module');
  const timeoutMs = scaled(ctx, BLOCK_DEVICE_TIMEOUT_MS);
  const wait = childSignal(ctx.signal, timeoutMs);
  try {
    const data = await pollUntil(
      async () => {
        const dev = ignitionDisk(ctx);
        if (!dev) return undefined;
        try {
          return ctx.host.fs.readFileSync(dev);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw goPathError('open', dev, e);
        }
      },
      scaled(ctx, BLOCK_DEVICE_POLL_MS),
      wait.signal,
      () => ctx.log.debug(`block device (${JSON.stringify(`${DEFAULT_BY_ID_DIR}/virtio-ignition`)}) not found. Waiting...`),
    );
    return { config: trimNuls(data, true) };
  } catch (e) {
    if (e instanceof WaitAborted && wait.timedOut())
      throw new Error(`timed out after ${goDuration(timeoutMs)} waiting for block device ${JSON.stringify(`${DEFAULT_BY_ID_DIR}/virtio-ignition`)} to appear`);
    throw e;
  } finally {
    wait.dispose();
  }
}

export const qemu: Provider = {
  id: 'qemu',
  fetch(ctx) {
    const arch = ctx.seams.arch ?? process.arch;
    // Node calls ppc64le "ppc64"
    return arch === 's390x' || arch === 'ppc64' || arch === 'ppc64le' ? fromBlockDevice(ctx) : fromFwCfg(ctx);
  },
};
