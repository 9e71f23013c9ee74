// kindling embed --config CONFIG [--platform ID] [--force] DISK_IMAGE|DEVICE|ISO
// kindling embed --show TARGET | kindling embed --remove TARGET
// The installer's hand-off: the config goes to ignition/config.ign on the filesystem labelled
// `boot` (for a live ISO: the initrd at /images/ignition.img), where the initramfs finds it at
// first boot.
import { realHost } from '../host/host.js';
import { isPlatformId, platformIds } from '../providers/platforms.js';
import { classify } from '../delivery/bootfs.js';
import { toolCodecs } from '../delivery/codecs.js';
import { embedOnDisk, type EmbedAction } from '../delivery/embed.js';
import { embedInIso } from '../delivery/iso.js';
import { readCommandLine, usageError, type CommandSpec } from './args.js';
import { readConfigToDeliver, reportFailure } from './delivery-io.js';

const SPEC = {
  name: 'embed',
  operands: 'TARGET',
  summary:
    'Write a config to TARGET, a disk image file, a block device that is not in use, or a live ISO\n' +
    'image. On a disk it goes to ignition/config.ign on the filesystem labelled "boot"; in an ISO it\n' +
    'is stored as the initrd /images/ignition.img (see kindling initrd). Butane YAML is transpiled first.',
  maxOperands: 1,
  flags: {
    config: { short: 'c', value: 'CONFIG', help: 'the config to embed (- for stdin)' },
    platform: { value: 'ID', help: 'also set ignition.platform.id=ID in the boot loader entries\n(loader/entries/*.conf) on the boot filesystem' },
    force: { short: 'f', help: 'replace a config that is already embedded' },
    show: { help: 'print the embedded config' },
    remove: { help: 'remove the embedded config' },
    'files-dir': { short: 'd', value: 'DIR', help: "where Butane local files are (default: the config's directory)" },
  },
} as const satisfies CommandSpec;

export async function main(argv: string[]): Promise<number> {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  const v = cl.values;
  if ([v.config !== undefined, v.show, v.remove].filter(Boolean).length !== 1) return usageError(SPEC, 'give exactly one of --config, --show and --remove');
  if (cl.operands.length !== 1) return usageError(SPEC, 'one target (disk image, device or ISO) is required');
  if (v.platform !== undefined && v.config === undefined) return usageError(SPEC, '--platform goes with --config');
  if (v.platform !== undefined && !isPlatformId(v.platform))
    return usageError(SPEC, `${JSON.stringify(v.platform)} is not a known platform (known: ${platformIds().join(', ')})`);

  let action: EmbedAction;
  if (v.show) action = { op: 'show' };
  else if (v.remove) action = { op: 'remove' };
  else {
    const config = readConfigToDeliver('embed', v.config, v['files-dir']);
    if (typeof config === 'number') return config;
    action = { op: 'write', config, force: v.force, platform: v.platform };
  }
  try {
    const target = classify(cl.operands[0]);
    const host = realHost();
    const result = target.kind === 'iso' ? await embedInIso(host, target.path, action, toolCodecs()) : await embedOnDisk(host, target, action);
    if (result.config) process.stdout.write(result.config);
    for (const line of result.done) process.stderr.write(`kindling embed: ${line}\n`);
    return 0;
  } catch (e) {
    return reportFailure('embed', e);
  }
}
