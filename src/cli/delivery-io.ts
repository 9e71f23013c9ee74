// Shared by the delivery commands (initrd, embed, karg): reading the config to deliver, with its
// problems shown at the line they are on, and reporting a DeliveryError with its hint.
import path from 'node:path';
import { renderPretty } from '../diag/render.js';
import { deliverable } from '../delivery/config.js';
import { DeliveryError } from '../delivery/bootfs.js';
import { ToolError } from '../delivery/codecs.js';
import { InitrdFormatError } from '../delivery/compression.js';
import { CpioError } from '../delivery/cpio.js';
import { readInput } from './input.js';

/** The config bytes to deliver, or an exit status after printing why there are none. */
export function readConfigToDeliver(cmd: string, file: string | undefined, filesDir?: string): Buffer | number {
  const input = readInput(file);
  if ('error' in input) {
    process.stderr.write(`kindling ${cmd}: ${input.error}\n`);
    return 1;
  }
  const fromFile = file !== undefined && file !== '-';
  const d = deliverable(input.bytes, { file: input.name, filesDir: filesDir ?? (fromFile ? path.dirname(file) : undefined) });
  if (d.diagnostics.length) {
    const color = !process.env.NO_COLOR && process.stderr.isTTY === true;
    process.stderr.write(renderPretty(d.diagnostics, new Map([[input.name, d.text]]), { color }));
  }
  if (!d.bytes) {
    process.stderr.write(`kindling ${cmd}: ${input.name} is not a valid config; nothing was written\n`);
    return 1;
  }
  return Buffer.from(d.bytes.buffer, d.bytes.byteOffset, d.bytes.length); // a view, for the writers
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
