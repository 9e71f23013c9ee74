// IBM z/VM: the config is a spool file of type `ign` in the virtual reader (device 000c). The
// reader is brought online (`chccwdev -e`, after `cio_ignore -r` when needed), listed with
// `vmur li`, and the file received with `vmur re -f`; NULs around it are trimmed. No such file =
// no config. No network needed.
import os from 'node:os';
import path from 'node:path';
import { commandError } from '../host/host.js';
import { runChecked } from './command.js';
import { trimNuls } from './decode.js';
import type { Provider, ProviderContext } from './provider.js';

const READER = '000c';

export interface SpoolFile {
  spoolId: string;
  /** `NAME.TYPE` as vmur names the received file. */
  file: string;
  type: string;
}

/** The spool files of `vmur li` (header and short lines skipped, stops at a blank line). Pure. */
export function parseVmurList(out: string): SpoolFile[] {
  const files: SpoolFile[] = [];
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/).filter(Boolean);
    if (f.length <= 1) break;
    if (f.length < 11) continue;
    files.push({ spoolId: f[1], file: `${f[9]}.${f[10]}`, type: f[10] });
  }
  return files;
}

async function onlineReader(ctx: ProviderContext): Promise<void> {
  const { tools } = ctx.host;
  try {
    await runChecked(ctx, [tools.chccwdev, '-e', READER], 'Brings a Linux device online');
  } catch {
    try {
      await runChecked(ctx, [tools.cio_ignore, '-r', READER], 'Expose reader device');
    } catch (e) {
      ctx.log.error(`Couldn't expose reader device ${JSON.stringify(READER)}: ${(e as Error).message}`);
      throw new Error(`couldn't expose reader device ${JSON.stringify(READER)}: ${(e as Error).message}`);
    }
    try {
      await runChecked(ctx, [tools.chccwdev, '-e', READER], 'Brings a Linux device online');
    } catch {
      ctx.log.error("Couldn't online reader device");
      throw new Error("couldn't online reader device");
    }
  }
  // Without udevd there is nothing to settle (and udevadm would wait for it).
  if (ctx.host.fs.existsSync(ctx.host.paths.udevControl)) await runChecked(ctx, [tools.udevadm, 'settle'], 'Settle udev device');
}

export const zvm: Provider = {
  id: 'zvm',
  async fetch(ctx) {
    const { tools, fs } = ctx.host;
    try {
      await runChecked(ctx, [tools.modprobe, 'vmur'], 'Loading zVM control program module');
    } catch (e) {
      ctx.log.error(`Couldn't install vmur module: ${(e as Error).message}`);
      throw new Error(`couldn't install vmur module: ${(e as Error).message}`);
    }
    await onlineReader(ctx);
    const li = [tools.vmur, 'li'];
    const list = await ctx.host.run(li);
    if (list.code !== 0) {
      ctx.log.error(`Can not get reader device: ${commandError(li, list)}`);
      throw new Error(`can not get reader device: ${commandError(li, list)}`);
    }
    const spool = parseVmurList(list.stdout + list.stderr).find((f) => f.type === 'ign');
    if (!spool) return { config: null };
    // received into a private directory (Ignition uses its working directory)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-zvm-'));
    try {
      const target = path.join(dir, path.basename(spool.file));
      await runChecked(ctx, [tools.vmur, 're', '-f', spool.spoolId, target], 'Receive the spool file');
      ctx.log.info(`using config file at ${JSON.stringify(spool.file)}`);
      try {
        return { config: trimNuls(fs.readFileSync(target)) };
      } catch (e) {
        ctx.log.error(`Couldn't read config from configFile ${JSON.stringify(spool.file)}: ${(e as Error).message}`);
        return { config: null };
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
