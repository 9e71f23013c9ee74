// kindling transpile [FILE|-]: Butane YAML → Ignition JSON (or an openshift MachineConfig), with
// Butane's options and exit codes (0 ok, 1 config problem, 2 usage) and positioned diagnostics.
import fs from 'node:fs';
import { binaryKind, notTextDiagnostic } from '../input/text.js';
import { readInput } from './input.js';
import { readCommandLine, usageError, type CommandSpec } from './args.js';

const SPEC = {
  name: 'transpile',
  operands: '[FILE|-]',
  summary: 'Translate a Butane config (YAML) into an Ignition config (JSON), as Butane does. Reads stdin\nwhen FILE is - or absent. Exit 0 on success, 1 on a config error, 2 on a usage error.',
  maxOperands: 1,
  flags: {
    strict: { short: 's', help: 'fail on any warning' },
    pretty: { short: 'p', help: 'indent the JSON output' },
    'files-dir': { short: 'd', value: 'DIR', help: 'directory that local file references (local:, trees) are relative to' },
    output: { short: 'o', value: 'FILE', help: 'write the output to FILE instead of stdout' },
    input: { value: 'FILE', help: 'read the config from FILE (the same as giving FILE as an argument)' },
    check: { short: 'c', help: 'check the config only, print nothing on success' },
    raw: { short: 'r', help: 'openshift: print the Ignition config, not a MachineConfig' },
  },
} as const satisfies CommandSpec;

export async function main(argv: string[]): Promise<number> {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  const args = cl.values;
  if (cl.operands.length > 0 && args.input !== undefined) return usageError(SPEC, 'give the input either as an argument or with --input');
  const input = readInput(cl.operands[0] ?? args.input);
  if ('error' in input) {
    process.stderr.write(`kindling transpile: ${input.error}\n`);
    return 1;
  }
  const file = input.name;
  const binary = binaryKind(input.bytes);
  const text = binary ? '' : input.bytes.toString('utf8');
  const [{ transpileButane, formatResult }, { renderPretty }] = await Promise.all([import('../../transpiler/transpile.js'), import('../diag/render.js')]);
  const result = binary ? { diagnostics: [notTextDiagnostic(binary, file)] } : transpileButane(text, { file, filesDir: args['files-dir'], strict: args.strict, raw: args.raw });
  const color = !process.env.NO_COLOR && process.stderr.isTTY === true;
  if (result.diagnostics.length) process.stderr.write(renderPretty(result.diagnostics, new Map(binary ? [] : [[file, text]]), { color }));
  if (!result.config) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    if (errors === 0 && args.strict) process.stderr.write('Config produced warnings and --strict was specified\n');
    else process.stderr.write(`${errors} error${errors === 1 ? '' : 's'}; no config written\n`);
    return 1;
  }
  if (args.check) return 0;
  const out = formatResult(result, args.pretty);
  try {
    if (args.output) fs.writeFileSync(args.output, out, { mode: 0o644 });
    else process.stdout.write(out);
  } catch (e) {
    process.stderr.write(`kindling transpile: cannot write ${args.output}: ${(e as Error).message}\n`);
    return 1;
  }
  return 0;
}
