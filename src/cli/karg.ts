// kindling karg [--max BYTES] [--gzip] CONFIG: the config as one kernel argument,
// `ignition.config.url=data:...`, when it is small enough for a kernel command line.
// kindling karg --network CONFIG: the network section of a kindling config as ip=/nameserver=...
// arguments, for the initramfs to reach a config server before any config is read.
import { COMMAND_LINE_SIZE, DEFAULT_KARG_BUDGET, kernelArgument } from '../delivery/karg.js';
import { readCommandLine, usageError, type CommandSpec } from './args.js';
import { readConfigToDeliver } from './delivery-io.js';
import { printNetworkKargs } from './karg-network.js';

const SPEC = {
  name: 'karg',
  operands: 'CONFIG|-',
  summary:
    'Print the kernel argument ignition.config.url=data:... that carries CONFIG (Ignition JSON,\n' +
    `compacted; Butane YAML is transpiled first). Linux keeps ${COMMAND_LINE_SIZE} bytes of command line on\n` +
    "x86-64 and arm64 and cuts the rest off silently, and the boot loader's own arguments share\n" +
    `them, so the argument may use ${DEFAULT_KARG_BUDGET} bytes unless --max says otherwise.`,
  maxOperands: 1,
  flags: {
    max: { value: 'BYTES', help: `the budget for this argument (at most ${COMMAND_LINE_SIZE - 1})` },
    gzip: { help: 'gzip the config (read by Kindling, not by Ignition)' },
    'files-dir': { short: 'd', value: 'DIR', help: "where Butane local files are (default: the config's directory)" },
    network: {
      help: 'print the network section of a `variant: kindling` config as ip=, nameserver=,\nrd.route=, vlan=, bond= and bridge= arguments (dracut syntax) instead',
    },
  },
} as const satisfies CommandSpec;

export async function main(argv: string[]): Promise<number> {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  if (cl.operands.length !== 1) return usageError(SPEC, 'one config file (or - for stdin) is required');
  if (cl.values.network) {
    if (cl.values.gzip || cl.values.max !== undefined) return usageError(SPEC, '--network takes neither --gzip nor --max');
    return printNetworkKargs(cl.operands[0]);
  }
  let budget = DEFAULT_KARG_BUDGET;
  if (cl.values.max !== undefined) {
    budget = Number(cl.values.max);
    if (!Number.isInteger(budget) || budget < 1 || budget >= COMMAND_LINE_SIZE)
      return usageError(SPEC, `--max must be a whole number of bytes from 1 to ${COMMAND_LINE_SIZE - 1}`);
  }
  const config = readConfigToDeliver('karg', cl.operands[0], cl.values['files-dir']);
  if (typeof config === 'number') return config;
  const r = kernelArgument(config, { budget, gzip: cl.values.gzip });
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
