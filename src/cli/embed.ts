// kindling embed --config CONFIG [--platform ID] [--force] DISK_IMAGE|DEVICE|ISO
// kindling embed --show TARGET | kindling embed --remove TARGET
// The installer's hand-off: the config goes to ignition/config.ign on the filesystem labelled
// `boot` (for a live ISO: the initrd at /images/ignition.img), where the initramfs finds it at
// first boot.
import { realHost } from '../host/host.js';
import { getProvider, platformIds } from '../providers/registry.js';
import { classify } from '../delivery/bootfs.js';
import { toolCodecs } from '../delivery/codecs.js';
import { embedOnDisk, type EmbedAction } from '../delivery/embed.js';
import { embedInIso } from '../delivery/iso.js';
import { parseFlags, readConfigToDeliver, reportFailure } from './delivery-io.js';

const USAGE = `usage: kindling embed --config CONFIG [--platform ID] [--force] TARGET
       kindling embed --show TARGET
       kindling embed --remove TARGET

TARGET is a disk image file, a block device that is not in use, or a live ISO image.
On a disk the config is written to ignition/config.ign on the filesystem labelled "boot";
in an ISO it is stored as the initrd /images/ignition.img (see kindling initrd wrap).
Butane YAML is transpiled first.

  -c, --config CONFIG   the config to embed (- for stdin)
  --platform ID         also set ignition.platform.id=ID in the boot loader entries
                        (loader/entries/*.conf) on the boot filesystem
  -f, --force           replace a config that is already embedded
  --show                print the embedded config
  --remove              remove the embedded config
  -d, --files-dir DIR   where Butane local files are (default: the config's directory)
`;

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseFlags(argv, {
    values: { '-c': 'config', '--config': 'config', '--platform': 'platform', '-d': 'filesDir', '--files-dir': 'filesDir' },
    bools: { '--show': 'show', '--remove': 'remove', '-f': 'force', '--force': 'force' },
  });
  const usage = (msg: string) => (process.stderr.write(`kindling embed: ${msg}\n${USAGE}`), 2);
  if (typeof parsed === 'string') return usage(parsed);
  const { opts, positional } = parsed;
  const modes = [opts.config !== undefined, opts.show === true, opts.remove === true].filter(Boolean).length;
  if (modes !== 1) return usage('give exactly one of --config, --show and --remove');
  if (positional.length !== 1) return usage('one target (disk image, device or ISO) is required');
  if (opts.platform !== undefined && opts.config === undefined) return usage('--platform goes with --config');
  const platform = opts.platform as string | undefined;
  if (platform !== undefined && !getProvider(platform)) return usage(`${JSON.stringify(platform)} is not a known platform (known: ${platformIds().join(', ')})`);

  let action: EmbedAction;
  if (opts.show) action = { op: 'show' };
  else if (opts.remove) action = { op: 'remove' };
  else {
    const config = readConfigToDeliver('embed', opts.config as string, opts.filesDir as string | undefined);
    if (typeof config === 'number') return config;
    action = { op: 'write', config, force: opts.force === true, platform };
  }
  try {
    const target = classify(positional[0]);
    const host = realHost();
    const result = target.kind === 'iso' ? await embedInIso(host, target.path, action, toolCodecs()) : await embedOnDisk(host, target, action);
    if (result.config) process.stdout.write(result.config);
    for (const line of result.done) process.stderr.write(`kindling embed: ${line}\n`);
    return 0;
  } catch (e) {
    return reportFailure('embed', e);
  }
}
