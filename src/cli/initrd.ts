// kindling initrd wrap [-i CONFIG] [-o FILE] | kindling initrd unwrap [FILE]
// The PXE hand-off, interchangeable with `coreos-installer pxe ignition wrap/unwrap`: the output
// is appended to the initramfs (or listed as a second initrd), and the config appears as
// /config.ign in the early root.
import fs from 'node:fs';
import { toolCodecs } from '../delivery/codecs.js';
import { configArchive, unwrapConfig } from '../delivery/initrd.js';
import { readCommandLine, usageError, type CommandSpec } from './args.js';
import { readConfigToDeliver, reportFailure } from './delivery-io.js';
import { readInput } from './input.js';

/** An initramfs with a config appended runs to tens or hundreds of MiB, far past a config's bound. */
const INITRD_MAX_BYTES = 2048 * 1048576;

const SPEC = {
  name: 'initrd',
  operands: 'wrap | unwrap [FILE|-]',
  summary:
    'wrap: put a config (Butane YAML is transpiled first) into an initrd as config.ign, one cpio\n' +
    'archive compressed with xz, the layout of coreos-installer pxe ignition wrap; append it to the\n' +
    'initramfs or give it to the boot loader as a second initrd.\n' +
    'unwrap: print the config an initrd carries (plain, gzip, xz or zstd archives, concatenated).',
  maxOperands: 2,
  flags: {
    'ignition-file': { short: 'i', value: 'CONFIG', help: 'wrap: the config (default: stdin)' },
    output: { short: 'o', value: 'FILE', help: 'wrap: write the initrd to FILE (default: stdout, unless a terminal)' },
    'files-dir': { short: 'd', value: 'DIR', help: "wrap: where Butane local files are (default: the config's directory)" },
  },
} as const satisfies CommandSpec;

export async function main(argv: string[]): Promise<number> {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  const [sub, file] = cl.operands;
  const v = cl.values;
  try {
    if (sub === 'wrap') {
      if (file !== undefined) return usageError(SPEC, `unexpected argument ${JSON.stringify(file)} (the config goes with -i)`);
      if (!v.output && process.stdout.isTTY) return usageError(SPEC, 'refusing to write an initrd to a terminal: use -o FILE or a redirection');
      const config = readConfigToDeliver('initrd wrap', v['ignition-file'], v['files-dir']);
      if (typeof config === 'number') return config;
      const initrd = toolCodecs().xz(configArchive(config));
      if (v.output) fs.writeFileSync(v.output, initrd, { mode: 0o600 });
      else process.stdout.write(initrd);
      return 0;
    }
    if (sub === 'unwrap') {
      if (v['ignition-file'] || v.output || v['files-dir']) return usageError(SPEC, 'unwrap takes one initrd (a file, or stdin) and no options');
      const input = readInput(file, INITRD_MAX_BYTES, 'an initrd');
      if ('error' in input) {
        process.stderr.write(`kindling initrd unwrap: ${input.error}\n`);
        return 1;
      }
      const config = unwrapConfig(Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.length), toolCodecs());
      if (!config) {
        process.stderr.write(`kindling initrd unwrap: no config.ign in ${input.name}\n`);
        return 1;
      }
      process.stdout.write(config);
      return 0;
    }
    return usageError(SPEC, sub === undefined ? 'wrap or unwrap?' : `unknown subcommand ${JSON.stringify(sub)} (wrap or unwrap)`);
  } catch (e) {
    return reportFailure(`initrd ${sub}`, e);
  }
}
