// kindling karg [--max BYTES] [--gzip] CONFIG: the config as one kernel argument,
// `ignition.config.url=data:...`, when it is small enough for a kernel command line.
import { COMMAND_LINE_SIZE, DEFAULT_KARG_BUDGET, kernelArgument } from '../delivery/karg.js';
import { parseFlags, readConfigToDeliver } from './delivery-io.js';

const USAGE = `usage: kindling karg [--max BYTES] [--gzip] [-d DIR] CONFIG|-

Print the kernel argument ignition.config.url=data:... that carries CONFIG (Ignition JSON,
compacted; Butane YAML is transpiled first). Linux keeps ${COMMAND_LINE_SIZE} bytes of command line on
x86-64 and arm64 and cuts the rest off silently, and the boot loader's own arguments share them,
so the argument may use ${DEFAULT_KARG_BUDGET} bytes unless --max says otherwise.

  --max BYTES   the budget for this argument (at most ${COMMAND_LINE_SIZE - 1})
  --gzip        gzip the config (read by Kindling, not by Ignition)
  -d DIR        where Butane local files are (default: the config's directory)
`;

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseFlags(argv, { values: { '--max': 'max', '-d': 'filesDir', '--files-dir': 'filesDir' }, bools: { '--gzip': 'gzip' } });
  const usage = (msg: string) => (process.stderr.write(`kindling karg: ${msg}\n${USAGE}`), 2);
  if (typeof parsed === 'string') return usage(parsed);
  const { opts, positional } = parsed;
  if (positional.length !== 1) return usage('one config file (or - for stdin) is required');
  let budget = DEFAULT_KARG_BUDGET;
  if (opts.max !== undefined) {
    budget = Number(opts.max);
    if (!Number.isInteger(budget) || budget < 1 || budget >= COMMAND_LINE_SIZE) return usage(`--max must be a whole number of bytes from 1 to ${COMMAND_LINE_SIZE - 1}`);
  }
  const config = readConfigToDeliver('karg', positional[0], opts.filesDir as string | undefined);
  if (typeof config === 'number') return config;
  const r = kernelArgument(config, { budget, gzip: opts.gzip === true });
  if (r.arg) {
    process.stdout.write(r.arg + '\n');
    return 0;
  }
  process.stderr.write(
    `kindling karg: the config does not fit on a kernel command line: the argument would be ${r.length} bytes, over the budget of ${budget} ` +
      `(Linux keeps ${COMMAND_LINE_SIZE} bytes of command line, boot loader arguments included)\n`,
  );
  if (r.gzipLength) process.stderr.write(`hint: gzip-compressed it is ${r.gzipLength} bytes: use --gzip if Kindling (not Ignition) boots it\n`);
  process.stderr.write('hint: serve it over HTTP (ignition.config.url=http://...), or use kindling initrd wrap or kindling embed\n');
  return 1;
}
