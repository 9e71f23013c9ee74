// kindling initrd wrap -i CONFIG [-o FILE] | kindling initrd unwrap [FILE]
// The PXE hand-off, interchangeable with `coreos-installer pxe ignition wrap/unwrap`: the output
// is appended to the initramfs (or listed as a second initrd), and the config appears as
// /config.ign in the early root.
import * as fs from 'node:fs';
import { toolCodecs } from '../delivery/codecs.js';
import { configArchive, unwrapConfig } from '../delivery/initrd.js';
import { parseFlags, readConfigToDeliver, reportFailure } from './delivery-io.js';

const USAGE = `usage: kindling initrd wrap [-i CONFIG] [-o FILE] [-d DIR]
       kindling initrd unwrap [FILE]

  wrap     put a config into an initrd (cpio, xz) as config.ign, the layout of
           coreos-installer pxe ignition wrap; append it to the initramfs or give
           it to the boot loader as a second initrd. Butane YAML is transpiled first.
  unwrap   print the config carried by an initrd (any initrd: plain, gzip, xz or
           zstd archives, concatenated)

  -i, --ignition-file CONFIG   config to wrap (default: stdin)
  -o, --output FILE            write the initrd to FILE (default: stdout, not a terminal)
  -d, --files-dir DIR          where Butane local files are (default: the config's directory)
`;

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '-h' || sub === '--help' || rest.includes('-h') || rest.includes('--help')) {
    process.stdout.write(USAGE);
    return sub ? 0 : 2;
  }
  const parsed = parseFlags(rest, { values: { '-i': 'input', '--ignition-file': 'input', '-o': 'output', '--output': 'output', '-d': 'filesDir', '--files-dir': 'filesDir' }, bools: {} });
  const usage = (msg: string) => (process.stderr.write(`kindling initrd: ${msg}\n${USAGE}`), 2);
  if (typeof parsed === 'string') return usage(parsed);
  const { opts, positional } = parsed;
  try {
    if (sub === 'wrap') {
      if (positional.length) return usage(`unexpected argument ${JSON.stringify(positional[0])} (the config goes with -i)`);
      const out = opts.output as string | undefined;
      if (!out && process.stdout.isTTY) return usage('refusing to write an initrd to a terminal: use -o FILE or a redirection');
      const config = readConfigToDeliver('initrd wrap', (opts.input as string | undefined) ?? '-', opts.filesDir as string | undefined);
      if (typeof config === 'number') return config;
      const initrd = toolCodecs().xz(configArchive(config));
      if (out) fs.writeFileSync(out, initrd, { mode: 0o600 });
      else process.stdout.write(initrd);
      return 0;
    }
    if (sub === 'unwrap') {
      if (positional.length > 1 || opts.input || opts.output) return usage('unwrap takes one initrd file (or stdin)');
      const file = positional[0] ?? '-';
      const config = unwrapConfig(fs.readFileSync(file === '-' ? 0 : file), toolCodecs());
      if (!config) {
        process.stderr.write(`kindling initrd unwrap: no config.ign in ${file === '-' ? '<stdin>' : file}\n`);
        return 1;
      }
      process.stdout.write(config);
      return 0;
    }
    return usage(`unknown subcommand ${JSON.stringify(sub)}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`kindling initrd: ${(e as Error).message}\n`);
      return 1;
    }
    return reportFailure(`initrd ${sub}`, e);
  }
}
