// Config drives and other labelled devices, shared by the disk-based providers and the kernel
// command line source: wait for the label, mount the device read-only on a temporary directory,
// read, and always unmount and remove the directory again.
import os from 'node:os';
import path from 'node:path';
import { commandError } from '../host/host.js';
import type { ProviderContext } from './provider.js';
import { childSignal, pollUntil, scaled, WaitAborted, type RaceSource } from './wait.js';

export const DEFAULT_BY_LABEL_DIR = '/dev/disk/by-label';
/** Ignition polls for a missing drive once a second. */
export const DEVICE_POLL_MS = 1000;

/**
 * The device node carrying `label` now, or null. Uses the by-label links when the directory exists
 * (udev runs); without udev, asks blkid, which probes the devices itself.
 */
export async function findByLabel(ctx: ProviderContext, label: string): Promise<string | null> {
  const dir = ctx.seams.byLabelDir ?? DEFAULT_BY_LABEL_DIR;
  if (ctx.host.fs.existsSync(dir)) {
    const link = path.join(dir, label);
    return ctx.host.fs.existsSync(link) ? link : null;
  }
  const r = await ctx.host.run([ctx.host.tools.blkid, '-l', '-o', 'device', '-t', `LABEL=${label}`]);
  const dev = r.code === 0 ? r.stdout.split('\n')[0].trim() : '';
  return dev || null;
}

/** Polls for `label` until it appears or `signal` fires (WaitAborted). */
export function waitForLabel(ctx: ProviderContext, label: string, signal: AbortSignal): Promise<string> {
  return pollUntil(
    async () => (await findByLabel(ctx, label)) ?? undefined,
    scaled(ctx, DEVICE_POLL_MS),
    signal,
    () => ctx.log.debug(`config drive (${JSON.stringify(label)}) not found. Waiting...`),
  );
}

/**
 * Mounts `device` read-only (`mount -o ro -t <fstype>`) on a fresh temporary directory, runs `fn`
 * on it, then unmounts and removes the directory whatever happened.
 */
export async function withMountedDevice<T>(ctx: ProviderContext, device: string, fn: (mnt: string) => Promise<T>, fstype = 'auto'): Promise<T> {
  const { fs, tools } = ctx.host;
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-configdrive-'));
  try {
    const mount = [tools.mount, '-o', 'ro', '-t', fstype, device, mnt];
    ctx.log.info(`mounting config drive: executing: ${JSON.stringify(mount)}`);
    const r = await ctx.host.run(mount);
    if (r.code !== 0) throw new Error(commandError(mount, r));
    try {
      return await fn(mnt);
    } finally {
      const umount = [tools.umount, mnt];
      const u = await ctx.host.run(umount);
      if (u.code !== 0) ctx.log.error(`unmounting ${JSON.stringify(device)} at ${JSON.stringify(mnt)}: ${commandError(umount, u)}`);
    }
  } finally {
    try {
      fs.rmdirSync(mnt);
    } catch (e) {
      ctx.log.warn(`failed to remove temp directory ${JSON.stringify(mnt)}: ${(e as Error).message}`);
    }
  }
}

/**
 * Reads `rel` (taken as absolute within the device) under the mount point `mnt`; null when it does
 * not exist. A symlink on the device may not lead outside it.
 */
export function readInside(ctx: ProviderContext, mnt: string, rel: string): Buffer | null {
  const { fs } = ctx.host;
  const full = path.join(mnt, path.posix.normalize(`/${rel}`));
  if (!fs.existsSync(full)) return null;
  const real = fs.realpathSync(full);
  const root = fs.realpathSync(mnt);
  if (real !== root && !real.startsWith(`${root}/`)) throw new Error(`${JSON.stringify(rel)} on the config drive points outside it`);
  return fs.readFileSync(real);
}

/**
 * The usual config drive: wait for `label` (until `signal` fires), mount it, read `file` (null when
 * the drive has no such file).
 */
export async function readConfigDrive(ctx: ProviderContext, label: string, file: string, signal: AbortSignal): Promise<Buffer | null> {
  const device = await waitForLabel(ctx, label, signal);
  return withMountedDevice(ctx, device, async (mnt) => readInside(ctx, mnt, file));
}

/**
 * A drive that may never come (ibmcloud, proxmoxve): waits at most `timeoutMs` for `label`, then
 * reads it with `read`. As in Ignition, a drive that does not appear in time or fails to mount
 * means "no config" (null), with the reason logged.
 */
export async function readOptionalDrive(
  ctx: ProviderContext,
  label: string,
  timeoutMs: number,
  read: (mnt: string) => Promise<Buffer | null>,
): Promise<Buffer | null> {
  const name = `config drive (${label})`;
  const wait = childSignal(ctx.signal, timeoutMs);
  try {
    const device = await waitForLabel(ctx, label, wait.signal);
    return await withMountedDevice(ctx, device, read);
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    if (wait.timedOut() && e instanceof WaitAborted) {
      ctx.log.error(`timed out while fetching config from ${name}`);
      ctx.log.info(`${label} drive was not available in time. Continuing without a config...`);
    } else {
      ctx.log.error(`failed to fetch config from ${name}: ${(e as Error).message}`);
    }
    return null;
  } finally {
    wait.dispose();
  }
}

/** A config drive as one source of a `firstSuccess` race (waits for it without limit). */
export function driveSource(ctx: ProviderContext, name: string, label: string, file: string): RaceSource<Buffer | null> {
  return { name, run: (signal) => readConfigDrive(ctx, label, file, signal) };
}
