// `kindling embed` on a live ISO 9660 image: the config travels as the initrd `initrd wrap` makes,
// stored at /images/ignition.img, where Fedora CoreOS live ISOs keep it and their boot menus load
// it as an extra initrd (coreos-installer `iso ignition embed`). The ISO is rewritten with xorriso,
// its boot records replayed, into a new file that then replaces the original.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandError, type Host } from '../host/host.js';
import { DeliveryError } from './bootfs.js';
import type { Codecs } from './compression.js';
import type { EmbedAction, EmbedResult } from './embed.js';
import { configArchive, unwrapConfig } from './initrd.js';

export const ISO_CONFIG_PATH = '/images/ignition.img';

export interface IsoCodecs extends Codecs {
  xz(data: Buffer): Buffer;
}

async function xorriso(host: Host, args: string[], what: string): Promise<string> {
  const argv = [host.tools.xorriso, '-report_about', 'SORRY', ...args];
  const r = await host.run(argv);
  if (r.code === 127) throw new DeliveryError(`${what} needs xorriso, which is not installed (apt-get install xorriso)`);
  if (r.code !== 0) throw new DeliveryError(`${what}: ${commandError(argv, r)}`);
  return r.stdout + r.stderr;
}

/** The wrapped initrd at ISO_CONFIG_PATH, or undefined when the ISO has none. */
async function readEmbedded(host: Host, iso: string, tmp: string): Promise<Buffer | undefined> {
  const out = path.join(tmp, 'ignition.img');
  const listing = await xorriso(host, ['-indev', iso, '-find', path.dirname(ISO_CONFIG_PATH), '-name', path.basename(ISO_CONFIG_PATH)], `reading ${iso}`).catch(
    () => '',
  );
  if (!listing.includes(ISO_CONFIG_PATH)) return undefined;
  await xorriso(host, ['-osirrox', 'on', '-indev', iso, '-extract', ISO_CONFIG_PATH, out], `extracting ${ISO_CONFIG_PATH} from ${iso}`);
  return fs.readFileSync(out);
}

export async function embedInIso(host: Host, iso: string, action: EmbedAction, codecs: IsoCodecs): Promise<EmbedResult> {
  if (action.op === 'write' && action.platform)
    throw new DeliveryError(
      '--platform edits boot loader entries on a disk; an ISO keeps its kernel arguments in its boot menu',
      'set ignition.platform.id in the ISO boot menu (or on the kernel command line) instead',
    );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-iso-'));
  try {
    const current = await readEmbedded(host, iso, tmp);
    const config = current && current.some((b) => b !== 0) ? unwrapConfig(current, codecs) : undefined;
    if (action.op === 'show') {
      if (!config) throw new DeliveryError(`no embedded config in ${iso} (${ISO_CONFIG_PATH} is ${current ? 'empty' : 'absent'})`);
      return { config, done: [] };
    }
    if (action.op === 'write' && config && !action.force)
      throw new DeliveryError(`${iso} already has an embedded config`, 'use --force to replace it, or --remove first');
    if (action.op === 'remove' && !current) return { done: ['no embedded config to remove'] };
    const next = path.join(path.dirname(path.resolve(iso)), `.${path.basename(iso)}.kindling-${process.pid}`);
    let change: string[];
    if (action.op === 'write') {
      const img = path.join(tmp, 'new.img');
      fs.writeFileSync(img, codecs.xz(configArchive(action.config)), { mode: 0o600 });
      change = ['-map', img, ISO_CONFIG_PATH];
    } else change = ['-rm', ISO_CONFIG_PATH, '--']; // -rm takes paths up to "--"
    try {
      await xorriso(host, ['-indev', iso, '-outdev', next, '-boot_image', 'any', 'replay', ...change, '-commit'], `rewriting ${iso}`);
      fs.renameSync(next, iso);
    } finally {
      fs.rmSync(next, { force: true });
    }
    return { done: [action.op === 'write' ? `wrote ${ISO_CONFIG_PATH} (config ${action.config.length} bytes)` : `removed ${ISO_CONFIG_PATH}`] };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
