// kindling transpile [FILE|-]: Butane YAML → Ignition JSON (or an openshift MachineConfig), with
// Butane's options and exit codes (0 ok, 1 config problem, 2 usage) and positioned diagnostics.
import fs from 'node:fs';

const USAGE = `usage: kindling transpile [options] [FILE|-]

Translate a Butane config into an Ignition config.

options:
  -s, --strict           fail on any warning
  -p, --pretty           indent the JSON output
  -d, --files-dir DIR    directory that local file references are relative to
  -o, --output FILE      write the output to FILE instead of stdout
  -c, --check            check the config only, print nothing on success
  -r, --raw              openshift: print the Ignition config, not a MachineConfig
  -h, --help             show this help
`;

interface Args {
  input?: string;
  strict: boolean;
  pretty: boolean;
  filesDir?: string;
  output?: string;
  check: boolean;
  raw: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = { strict: false, pretty: false, check: false, raw: false };
  const positional: string[] = [];
  const flags: Record<string, keyof Args> = { '-s': 'strict', '--strict': 'strict', '-p': 'pretty', '--pretty': 'pretty', '-c': 'check', '--check': 'check', '-r': 'raw', '--raw': 'raw' };
  const valued: Record<string, 'filesDir' | 'output' | 'input'> = { '-d': 'filesDir', '--files-dir': 'filesDir', '-o': 'output', '--output': 'output', '--input': 'input' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (flags[name] && eq < 0) (a[flags[name]] as boolean) = true;
    else if (valued[name]) {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) return `option ${name} needs a value`;
      a[valued[name]] = v;
    } else if (arg === '-' || !arg.startsWith('-')) positional.push(arg);
    else if (arg === '--') positional.push(...argv.slice(i + 1)), (i = argv.length);
    else return `unknown option ${arg}`;
  }
  if (positional.length > 1) return 'at most one input file may be given';
  if (positional.length === 1) {
    if (a.input !== undefined) return 'give the input either as an argument or with --input';
    a.input = positional[0];
  }
  return a;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`kindling transpile: ${args}\n${USAGE}`);
    return 2;
  }
  const fromStdin = args.input === undefined || args.input === '-';
  const file = fromStdin ? '<stdin>' : args.input!;
  let text: string;
  try {
    text = fs.readFileSync(fromStdin ? 0 : file, 'utf8');
  } catch (e) {
    process.stderr.write(`kindling transpile: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const [{ transpileButane, formatResult }, { renderPretty }] = await Promise.all([import('../../transpiler/transpile.js'), import('../diag/render.js')]);
  const result = transpileButane(text, { file, filesDir: args.filesDir, strict: args.strict, raw: args.raw });
  const color = !process.env.NO_COLOR && process.stderr.isTTY === true;
  if (result.diagnostics.length) process.stderr.write(renderPretty(result.diagnostics, new Map([[file, text]]), { color }));
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
