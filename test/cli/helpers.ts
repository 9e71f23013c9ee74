// Running the built CLI (dist/kindling.cjs) as a child process, for behaviour that belongs to the
// process: exit codes, closed pipes, signals.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.resolve('dist/kindling.cjs');

export function kindling(args: string[], opts: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    input: opts.input,
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
}

/**
 * Runs the CLI and closes the read end of its stdout after the first chunk, as `| head -c N`
 * does. Resolves with the exit status and everything written to the other stream.
 */
export function kindlingIntoClosedPipe(
  args: string[],
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<{ status: number | null; signal: NodeJS.Signals | null; otherOutput: string; gotData: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let otherOutput = '';
    let gotData = false;
    const closing = child[stream];
    const other = stream === 'stdout' ? child.stderr : child.stdout;
    closing.once('data', () => {
      gotData = true;
      closing.destroy();
    });
    other.on('data', (d: Buffer) => (otherOutput += d.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, otherOutput, gotData }));
  });
}

/** Like `kindling`, without blocking the test's event loop (for tests that serve HTTP themselves). */
export function kindlingAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
