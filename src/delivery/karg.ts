// A config as a kernel argument: `ignition.config.url=data:...`, read by the cmdline provider of
// Ignition and Kindling alike.
//
// The limit: Linux copies the command line into a buffer of COMMAND_LINE_SIZE bytes, 2048 on
// x86-64 and arm64 (the terminating NUL included), and silently truncates anything longer; a
// truncated data URL is a broken config. The boot loader's own arguments share that buffer
// (BOOT_IMAGE=, root=, console=, ro, ignition.firstboot, ignition.platform.id=, ip=...; 150 to
// 400 bytes on common distributions), so by default the argument may use 1536 bytes, leaving 511
// for them. `--max` changes the budget for a known command line.
import { percentEscape } from '../../transpiler/encoding/dataurl.js';
import { gzipSync } from 'node:zlib';

export const COMMAND_LINE_SIZE = 2048;
export const DEFAULT_KARG_BUDGET = 1536;
const KEY = 'ignition.config.url=';

export interface KargResult {
  /** The argument when it fits the budget. */
  arg?: string;
  /** Its length (or the shortest candidate's, when none fits). */
  length: number;
  budget: number;
  /** When the plain form is too long but a gzip one fits: its length (only Kindling reads it). */
  gzipLength?: number;
  gzip: boolean;
}

/**
 * Ignition JSON is compacted first (whitespace means nothing to a parser and costs three bytes
 * per percent-escaped character); other input (Butane YAML, which only Kindling reads) is kept.
 * The shorter of percent-escaping and base64 wins, as Butane chooses for data URLs. The gzip form
 * is made only when asked for or when the plain one is too long: loading node:zlib costs a cold
 * run about a sixth of Node's own start-up.
 */
export function kernelArgument(config: Buffer, opts: { budget?: number; gzip?: boolean } = {}): KargResult {
  const budget = opts.budget ?? DEFAULT_KARG_BUDGET;
  const body = compactJson(config) ?? config;
  const zipped = () => 'data:;base64,' + gzipSync(body, { level: 9 }).toString('base64');
  if (opts.gzip) {
    const arg = KEY + zipped();
    return { arg: arg.length <= budget ? arg : undefined, length: arg.length, budget, gzip: true };
  }
  const arg = KEY + shortestDataUrl(body);
  if (arg.length <= budget) return { arg, length: arg.length, budget, gzip: false };
  const gzipLength = KEY.length + zipped().length;
  return { length: arg.length, budget, gzip: false, gzipLength: gzipLength <= budget ? gzipLength : undefined };
}

function shortestDataUrl(data: Buffer): string {
  const pct = 'data:,' + percentEscape(data);
  const b64 = 'data:;base64,' + data.toString('base64');
  return b64.length < pct.length ? b64 : pct;
}

function compactJson(data: Buffer): Buffer | undefined {
  const text = data.toString('utf8');
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    return Buffer.from(JSON.stringify(JSON.parse(text)), 'utf8');
  } catch {
    return undefined;
  }
}
