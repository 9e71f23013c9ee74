// kindling decompile CONFIG.ign: Ignition JSON (or an openshift MachineConfig) back to Butane YAML
// that transpiles to the same config, using Butane's sugar where it gives the same bytes back
// (inline text, local files with --files-dir, with_mount_unit). What cannot be written is
// reported and nothing is written.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readInput } from './input.js';
import { readCommandLine, usageError, type CommandSpec } from './args.js';
import { decompile } from '../../transpiler/decompile/decompile.js';
import { renderPretty } from '../diag/render.js';
import { utf8Text } from '../host/utf8.js';

const SPEC = {
  name: 'decompile',
  operands: 'CONFIG|-',
  summary:
    'Write the Butane YAML that transpiles back to the Ignition config CONFIG (JSON, or an openshift\n' +
    'MachineConfig), byte for byte. Text contents become inline (or local files with --files-dir),\n' +
    'generated mount units become with_mount_unit. Exit 0 on success, 1 when the config cannot be\n' +
    'written in Butane (each reason is printed), 2 on a usage error.',
  maxOperands: 1,
  flags: {
    variant: { value: 'VARIANT', help: 'the Butane variant to write (default fcos; openshift for a MachineConfig)' },
    version: { value: 'VERSION', help: "the variant's version (default: the newest stable one for the config's Ignition version)" },
    'files-dir': { short: 'd', value: 'DIR', help: 'write file contents as local files under DIR (created if missing)' },
    output: { short: 'o', value: 'FILE', help: 'write the YAML to FILE instead of stdout' },
  },
} as const satisfies CommandSpec;

export async function main(argv: string[]): Promise<number> {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  if (cl.operands.length !== 1) return usageError(SPEC, 'one config file (or - for stdin) is required');
  const { variant, version } = cl.values;
  if (version !== undefined && variant === undefined) return usageError(SPEC, '--version needs --variant');
  const input = readInput(cl.operands[0]);
  if ('error' in input) {
    process.stderr.write(`kindling decompile: ${input.error}\n`);
    return 1;
  }
  const text = utf8Text(input.bytes);
  let config: unknown;
  try {
    config = /^\s*[{[]/.test(text) ? JSON.parse(text) : parse(text);
  } catch (e) {
    process.stderr.write(`kindling decompile: ${input.name} is not JSON (or a MachineConfig in YAML): ${(e as Error).message}\n`);
    return 1;
  }
  const filesDir = cl.values['files-dir'];
  const r = decompile(config, { variant, version, filesDir });
  const color = !process.env.NO_COLOR && process.stderr.isTTY === true;
  if (r.diagnostics.length) process.stderr.write(renderPretty(r.diagnostics, new Map(), { color }));
  if (!r.yaml) {
    process.stderr.write(`kindling decompile: ${input.name} cannot be written as Butane YAML; nothing was written\n`);
    return 1;
  }
  try {
    if (filesDir !== undefined) {
      for (const [rel, data] of r.localFiles) {
        const full = path.join(filesDir, rel);
        const old = fs.existsSync(full) ? fs.readFileSync(full) : undefined;
        if (old && !old.equals(data)) throw new Error(`${full} exists with other contents; give an empty --files-dir`);
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, data);
      }
    }
    if (cl.values.output) fs.writeFileSync(cl.values.output, r.yaml, { mode: 0o644 });
    else process.stdout.write(r.yaml);
  } catch (e) {
    process.stderr.write(`kindling decompile: ${(e as Error).message}\n`);
    return 1;
  }
  return 0;
}
