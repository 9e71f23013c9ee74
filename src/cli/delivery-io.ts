// Shared by the delivery commands (initrd, embed, karg): reading the config to deliver, with its
// problems shown at the line they are on, and reporting a DeliveryError with its hint.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderPretty } from '../diag/render.js';
import { deliverable } from '../delivery/config.js';
import { DeliveryError } from '../delivery/bootfs.js';
import { ToolError } from '../delivery/codecs.js';
import { InitrdFormatError } from '../delivery/compression.js';
import { CpioError } from '../delivery/cpio.js';

/** The config bytes to deliver, or an exit status after printing why there are none. */
export function readConfigToDeliver(cmd: string, file: string, filesDir?: string): Buffer | number {
  const shown = file === '-' ? '<stdin>' : file;
  let input: Buffer;
  try {
    input = fs.readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    process.stderr.write(`kindling ${cmd}: cannot read ${shown}: ${(e as Error).message}\n`);
    return 1;
  }
  const d = deliverable(input, { file: shown, filesDir: filesDir ?? (file === '-' ? undefined : path.dirname(file)) });
  if (d.diagnostics.length) {
    const color = !process.env.NO_COLOR && process.stderr.isTTY === true;
    process.stderr.write(renderPretty(d.diagnostics, new Map([[shown, d.text]]), { color }));
  }
  if (!d.bytes) {
    process.stderr.write(`kindling ${cmd}: ${shown} is not a valid config; nothing was written\n`);
    return 1;
  }
  return d.bytes;
}

/** Prints an expected failure (bad input, busy device, missing tool) and returns 1; rethrows bugs. */
export function reportFailure(cmd: string, e: unknown): number {
  if (e instanceof DeliveryError || e instanceof ToolError || e instanceof InitrdFormatError || e instanceof CpioError) {
    process.stderr.write(`kindling ${cmd}: ${e.message}\n`);
    if (e instanceof DeliveryError && e.hint) process.stderr.write(`hint: ${e.hint}\n`);
    return 1;
  }
  throw e;
}

/** `--flag value` / `--flag=value` / booleans, the way the other commands accept them. */
export function parseFlags(
  argv: string[],
  spec: { values: Record<string, string>; bools: Record<string, string> },
): { opts: Record<string, string | boolean>; positional: string[] } | string {
  const opts: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (spec.bools[name] && eq < 0) opts[spec.bools[name]] = true;
    else if (spec.values[name]) {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) return `option ${name} needs a value`;
      opts[spec.values[name]] = v;
    } else return `unknown option ${arg}`;
  }
  return { opts, positional };
}
