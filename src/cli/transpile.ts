// kindling transpile [FILE...|-]: Butane YAML → Ignition JSON (or an openshift MachineConfig), with
// Butane's options and exit codes (0 ok, 1 config problem, 2 usage) and positioned diagnostics.
// Several files are merged into one config in order (transpiler/compose); --var/--var-file
// substitute ${NAME} in string values.
import fs from 'node:fs';
import path from 'node:path';
import { binaryKind, notTextDiagnostic } from '../input/text.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import { readInput } from './input.js';
import { readCommandLine, usageError, type CommandSpec } from './args.js';
import { addAssignments, addVarFile, substitute } from '../../transpiler/compose/vars.js';
import { transpileButane, formatResult } from '../../transpiler/transpile.js';
import { renderPretty } from '../diag/render.js';
import { transpileMany } from '../../transpiler/compose/compose.js';
import { utf8Text } from '../host/utf8.js';

const SPEC = {
  name: 'transpile',
  operands: '[FILE...|-]',
  summary:
    'Translate a Butane config (YAML) into an Ignition config (JSON), as Butane does. Reads stdin\n' +
    "when FILE is - or absent. Several FILEs are merged into one config in order, with Ignition's\n" +
    'merge rules (later files win; list entries merge by key); the first names the variant and\n' +
    'version, the others may leave them out. Exit 0 on success, 1 on a config error, 2 on a usage error.',
  maxOperands: Infinity,
  flags: {
    strict: { short: 's', help: 'fail on any warning' },
    pretty: { short: 'p', help: 'indent the JSON output' },
    'files-dir': {
      short: 'd',
      value: 'DIR',
      multiple: true,
      help: 'directory that local file references (local:, trees) are relative to;\ngive it once for every FILE, or once per FILE in the same order',
    },
    'files-dir-from-input': { help: "each FILE's local references are relative to that FILE's own directory" },
    var: { value: 'NAME=VALUE', multiple: true, help: 'substitute ${NAME} in string values (repeatable; $${ is a literal ${)' },
    'var-file': { value: 'FILE', multiple: true, help: 'read NAME=VALUE lines (# comments) as --var; --var wins' },
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
  const names = cl.operands.length ? cl.operands : [args.input ?? '-'];
  if (names.filter((n) => n === '-').length > 1) return usageError(SPEC, 'stdin (-) can be read once');
  const dirs = args['files-dir'];
  if (dirs.length > 1 && dirs.length !== names.length)
    return usageError(SPEC, `--files-dir is given ${dirs.length} times for ${names.length} inputs: give it once, or once per input`);
  if (dirs.length && args['files-dir-from-input']) return usageError(SPEC, 'give either --files-dir or --files-dir-from-input');
  const filesDirOf = (i: number, name: string) =>
    args['files-dir-from-input'] ? (name === '-' ? '.' : path.dirname(name)) : dirs.length > 1 ? dirs[i] : dirs[0];

  let strings;
  if (args.var.length || args['var-file'].length) {
    const vars = new Map<string, string>();
    for (const f of args['var-file']) {
      let text: string;
      try {
        text = fs.readFileSync(f, 'utf8');
      } catch (e) {
        process.stderr.write(
          `kindling transpile: cannot read --var-file ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`,
        );
        return 1;
      }
      const problems = addVarFile(vars, text);
      if (problems.length) return usageError(SPEC, problems.map((p) => `${f}:${p.line}: ${p.message}`).join('\n'));
    }
    const problems = addAssignments(vars, args.var);
    if (problems.length) return usageError(SPEC, `--var ${problems[0].message}`);
    strings = substitute(vars);
  }

  const inputs: { text: string; file: string; filesDir?: string }[] = [];
  const binaries: Diagnostic[] = [];
  for (const [i, n] of names.entries()) {
    const input = readInput(n);
    if ('error' in input) {
      process.stderr.write(`kindling transpile: ${input.error}\n`);
      return 1;
    }
    const binary = binaryKind(input.bytes);
    if (binary) binaries.push(notTextDiagnostic(binary, input.name));
    inputs.push({ text: binary ? '' : utf8Text(input.bytes), file: input.name, filesDir: filesDirOf(i, n) });
  }
  const opts = { strict: args.strict, raw: args.raw, strings };
  const result = binaries.length
    ? { diagnostics: binaries }
    : inputs.length === 1
      ? transpileButane(inputs[0].text, { ...opts, file: inputs[0].file, filesDir: inputs[0].filesDir })
      : transpileMany(inputs, opts);
  const color = !process.env.NO_COLOR && process.stderr.isTTY === true;
  if (result.diagnostics.length) process.stderr.write(renderPretty(result.diagnostics, new Map(inputs.map((i) => [i.file, i.text])), { color }));
  if (!('config' in result) || !result.config) {
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
