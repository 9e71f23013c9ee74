// The seam between the pure planner and the machine. Executors only touch the system through a
// Host: real commands and node:fs in production and integration tests, a fake runner and memfs in
// unit tests.
import type * as NodeFs from 'node:fs';
import { spawn } from 'node:child_process';
import realFs from 'node:fs';
import { defaultPaths, defaultTools, type Paths, type Tools } from './tools.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
}

export interface CommandRunner {
  /** Runs argv[0] with the rest as arguments; never throws for a non-zero exit. */
  run(argv: string[], opts?: RunOptions): Promise<CommandResult>;
}

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface Host extends CommandRunner {
  fs: typeof NodeFs;
  tools: Tools;
  paths: Paths;
  log: Logger;
}

export const spawnRunner: CommandRunner = {
  run(argv, opts = {}) {
    return new Promise((resolve) => {
      const child = spawn(argv[0], argv.slice(1), {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: opts.env ? { ...process.env, ...opts.env } : process.env,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => resolve({ code: 127, stdout: '', stderr: String(e.message) }));
      child.on('close', (code, signal) =>
        resolve({
          code: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input ?? '');
    });
  },
};

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function stderrLogger(verbose = false): Logger {
  const w = (lvl: string) => (msg: string) => process.stderr.write(`${lvl.padEnd(8)}: ${msg}\n`);
  return { debug: verbose ? w('DEBUG') : () => {}, info: verbose ? w('INFO') : () => {}, warn: w('WARNING'), error: w('ERROR') };
}

export function realHost(opts: { tools?: Partial<Tools>; paths?: Partial<Paths>; log?: Logger; runner?: CommandRunner } = {}): Host {
  const runner = opts.runner ?? spawnRunner;
  return {
    fs: realFs,
    // The shared defaults unless the caller overrides some: a copy of each (38 tools) was 14 KB of
    // every cold plan's young generation, and a copy is an object of a new shape, a hidden class
    // for each name (the commands pass the paths of the environment, most often none).
    tools: overridden(defaultTools, opts.tools),
    paths: overridden(defaultPaths, opts.paths),
    log: opts.log ?? silentLogger,
    run: (argv, o) => runner.run(argv, o),
  };
}

/** `defaults`, or a copy with what `over` sets instead where it sets anything. */
function overridden<T extends object>(defaults: T, over: Partial<T> | undefined): T {
  return over && Object.keys(over).length > 0 ? { ...defaults, ...over } : defaults;
}

export const REDACTED = '<redacted>';

/** argv with secrets masked: the value after --password / -p (shadow-utils' password hashes). */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((a, i) => (i > 0 && (argv[i - 1] === '--password' || argv[i - 1] === '-p') ? REDACTED : a));
}

/** Formats a failed command the way Ignition does, so logs grep the same; secrets masked. */
export function commandError(argv: string[], r: CommandResult): string {
  const q = redactArgv(argv)
    .map((a) => JSON.stringify(a))
    .join(' ');
  return `exit status ${r.code}: Cmd: ${q} Stdout: ${JSON.stringify(r.stdout)} Stderr: ${JSON.stringify(r.stderr)}`;
}
