// `kindling validate [FILE|-]`: like ignition-validate. Prints nothing for a valid config, warnings
// and errors otherwise; exit 1 when there is an error.
import { readFileSync } from 'node:fs';
import { hasErrors } from '../diag/diagnostic.js';
import { renderGithub, renderIgnition, renderJson, renderPretty, renderSarif } from '../diag/render.js';
import { loadConfig } from '../input/load.js';

const USAGE = `usage: kindling validate [--format ignition|pretty|json|github|sarif] [FILE|-]\n`;

export async function main(argv: string[]): Promise<number> {
  let format = 'ignition';
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--format' || a === '-f') format = argv[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a !== '-' && a.startsWith('-')) {
      process.stderr.write(`kindling validate: unknown option ${a}\n${USAGE}`);
      return 2;
    } else if (file === undefined) file = a;
    else {
      process.stderr.write(`kindling validate: only one config can be validated at a time\n${USAGE}`);
      return 2;
    }
  }
  if (!['ignition', 'pretty', 'json', 'github', 'sarif'].includes(format)) {
    process.stderr.write(`kindling validate: unknown format "${format}" (ignition, pretty, json, github or sarif)\n`);
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file === undefined || file === '-' ? 0 : file);
  } catch (e) {
    process.stderr.write(`kindling validate: ${(e as Error).message}\n`);
    return 1;
  }
  const name = file === undefined || file === '-' ? '<stdin>' : file;
  const result = await loadConfig(bytes, { file: name });
  const diags = result.diagnostics;
  let out = '';
  if (format === 'ignition') out = diags.map((d) => renderIgnition(d) + '\n').join('');
  else if (format === 'pretty') out = renderPretty(diags, new Map([[name, result.text]]), { color: !process.env.NO_COLOR && process.stdout.isTTY });
  else if (format === 'json') out = diags.length ? renderJson(diags) : '';
  else if (format === 'github') out = renderGithub(diags);
  else out = renderSarif(diags);
  process.stdout.write(out);
  return hasErrors(diags) ? 1 : 0;
}
