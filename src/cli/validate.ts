// `kindling validate [FILE|-]`: like ignition-validate. Prints nothing for a valid config, warnings
// and errors otherwise; exit 1 when there is an error.
import { hasErrors } from '../diag/diagnostic.js';
import { renderGithub, renderIgnition, renderJson, renderPretty, renderSarif } from '../diag/render.js';
import { loadConfig } from '../input/load.js';
import { readCommandLine, usageError, type CommandSpec } from './args.js';
import { readInput } from './input.js';
import { PRODUCT_VERSION } from '../model/product.js';
import { versionsInWords } from '../model/versions.js';

const FORMATS = ['ignition', 'pretty', 'json', 'github', 'sarif'];

const SPEC = {
  name: 'validate',
  operands: '[FILE|-]',
  summary:
    `Check an Ignition config (JSON, spec ${versionsInWords()}) or a Butane config\n` +
    '(YAML with a top-level variant key) as ignition-validate does. Reads stdin when FILE is - or\nabsent. Prints nothing for a valid config; exit 1 when there is an error, 2 on a usage error.',
  maxOperands: 1,
  flags: {
    format: { short: 'f', value: 'FORMAT', help: `output format: ${FORMATS.join(', ')} (default ignition)` },
    'files-dir': { short: 'd', value: 'DIR', help: 'Butane input: directory that local file references are relative to' },
  },
} as const satisfies CommandSpec;

export async function main(argv: string[]): Promise<number> {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  const format = cl.values.format ?? 'ignition';
  if (!FORMATS.includes(format)) return usageError(SPEC, `unknown format "${format}" (${FORMATS.join(', ')})`);
  const input = readInput(cl.operands[0]);
  if ('error' in input) {
    process.stderr.write(`kindling validate: ${input.error}\n`);
    return 1;
  }
  const { bytes, name } = input;
  const result = await loadConfig(bytes, { file: name, filesDir: cl.values['files-dir'], output: false });
  const diags = result.diagnostics;
  let out = '';
  if (format === 'ignition') out = diags.map((d) => renderIgnition(d) + '\n').join('');
  else if (format === 'pretty')
    out = renderPretty(diags, new Map(result.text ? [[name, result.text]] : []), { color: !process.env.NO_COLOR && process.stdout.isTTY });
  else if (format === 'json') out = diags.length ? renderJson(diags) : '';
  else if (format === 'github') out = renderGithub(diags);
  else out = renderSarif(diags, { version: PRODUCT_VERSION });
  process.stdout.write(out);
  return hasErrors(diags) ? 1 : 0;
}
