// The kernel command line as a config source (Ignition's cmdline provider; not a platform: the
// engine asks it before the system user.ign and the platform). `ignition.config.url=<url>` (any
// scheme the fetcher knows; the last one wins; an empty value counts as absent) is fetched with
// the stage's fetcher. Beyond Ignition (which splits on white space only), double quotes group
// words as the kernel does. Otherwise `ignition.config.device=<label>` with `ignition.config.path=<file>`:
// wait up to 30 s for the labelled device, mount it read-only, read the file. The url wins over
// the device. No key at all: `{config: null}`, pass on to the next source.
import realFs from 'node:fs';
import { readInside, waitForLabel, withMountedDevice } from './configdrive.js';
import { goPathError } from './goerror.js';
import type { Provider, ProviderContext } from './provider.js';
import { childSignal, scaled, WaitAborted } from './wait.js';

export const URL_KEY = 'ignition.config.url';
export const DEVICE_KEY = 'ignition.config.device';
export const PATH_KEY = 'ignition.config.path';
export const DEVICE_WAIT_MS = 30_000;
export const DEFAULT_CMDLINE_PATH = '/proc/cmdline';

/**
 * The words of a kernel command line in order, as [key, value]; double quotes group words as the
 * kernel does (`k="a b"`), and are dropped. A word without `=` has the value null. Pure.
 */
export function kernelCmdlineWords(text: string): [string, string | null][] {
  const out: [string, string | null][] = [];
  for (const m of text.matchAll(/(?:[^\s"]+|"[^"]*")+/g)) {
    const word = m[0].replace(/"/g, '');
    const eq = word.indexOf('=');
    out.push(eq < 0 ? [word, null] : [word.slice(0, eq), word.slice(eq + 1)]);
  }
  return out;
}

/** Every key of a kernel command line with its value ('' for a bare word); the last of a key wins. Pure. */
export function parseKernelCmdline(text: string): Map<string, string> {
  return new Map(kernelCmdlineWords(text).map(([k, v]) => [k, v ?? '']));
}

export interface KernelCmdlineConfig {
  url?: string;
  device?: string;
  path?: string;
  /** Keys given without a value (ignored, logged). */
  empty: string[];
}

/**
 * The ignition.config.* keys as Ignition reads them: the last non-empty value of each wins; an
 * empty value is ignored (and noted); a word without `=` is not a key. Pure.
 */
export function ignitionCmdline(text: string): KernelCmdlineConfig {
  const out: KernelCmdlineConfig = { empty: [] };
  for (const [key, value] of kernelCmdlineWords(text)) {
    if (value === null) continue;
    const field = key === URL_KEY ? 'url' : key === DEVICE_KEY ? 'device' : key === PATH_KEY ? 'path' : null;
    if (!field) continue;
    if (value === '') out.empty.push(key);
    else out[field] = value;
  }
  return out;
}

/** The kernel command line: `$IGNITION_KERNEL_CMDLINE_PATH`, else /proc/cmdline. */
export function readKernelCmdline(env: Readonly<Record<string, string | undefined>>, fs: Pick<typeof realFs, 'readFileSync'> = realFs): string {
  const file = env.IGNITION_KERNEL_CMDLINE_PATH || DEFAULT_CMDLINE_PATH;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw goPathError('open', file, e);
  }
}

/** A device label must be one path component (it is joined to the by-label directory). */
function checkLabel(label: string): void {
  if (label.includes('/') || label === '.' || label === '..') throw new Error(`invalid device label ${JSON.stringify(label)}`);
}

async function fromDevice(ctx: ProviderContext, label: string, file: string): Promise<Buffer> {
  checkLabel(label);
  const wait = childSignal(ctx.signal, scaled(ctx, DEVICE_WAIT_MS));
  let device: string;
  try {
    device = await waitForLabel(ctx, label, wait.signal);
  } catch (e) {
    if (e instanceof WaitAborted && wait.timedOut()) throw new Error(`device ${JSON.stringify(label)} did not appear within timeout`);
    throw e;
  } finally {
    wait.dispose();
  }
  const data = await withMountedDevice(ctx, device, async (mnt) => readInside(ctx, mnt, file));
  if (data === null) throw new Error(`config file ${JSON.stringify(file)} not found on device ${JSON.stringify(label)}`);
  return data;
}

export const cmdline: Provider = {
  id: 'cmdline',
  async fetch(ctx) {
    let text: string;
    try {
      text = readKernelCmdline(ctx.env, ctx.host.fs);
    } catch (e) {
      ctx.log.error(`couldn't read cmdline: ${(e as Error).message}`);
      throw e;
    }
    const opts = ignitionCmdline(text);
    for (const key of opts.empty) ctx.log.info(`${key} found but no value provided`);
    if (opts.url !== undefined) {
      if (opts.device !== undefined || opts.path !== undefined)
        ctx.log.warn(`${JSON.stringify(URL_KEY)} takes precedence; ignoring ${JSON.stringify(DEVICE_KEY)} and ${JSON.stringify(PATH_KEY)}`);
      return { config: await ctx.fetchResource({ source: opts.url }) };
    }
    if (opts.device !== undefined && opts.path !== undefined) return { config: await fromDevice(ctx, opts.device, opts.path) };
    if (opts.device !== undefined || opts.path !== undefined)
      throw new Error(`both ${JSON.stringify(DEVICE_KEY)} and ${JSON.stringify(PATH_KEY)} must be provided together`);
    return { config: null };
  },
};
