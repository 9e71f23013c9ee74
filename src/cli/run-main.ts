// How a command-line entry starts and ends: a closed pipe ends it quietly, pending cleanups run on
// exit and on termination signals, the command's status becomes the exit code (set, not forced,
// so pending output is written), and an unexpected error is one "internal error" line with its
// stack. While the bundle loader builds a startup snapshot (scripts/loader.cjs), the entry hands
// its start over instead: the loader warms `main` up, and the snapshot's processes call `run`.
import { installExitCleanup } from '../host/cleanup.js';
import { endQuietlyWhenPipesClose } from './stdio.js';

const SNAPSHOT_HOOK = Symbol.for('kindling.startupSnapshot');

export function runMain(main: (argv: string[]) => Promise<number>): void {
  const run = () => {
    endQuietlyWhenPipesClose();
    installExitCleanup();
    return main(process.argv.slice(2)).then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        process.stderr.write(`kindling: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exitCode = 1;
      },
    );
  };
  const handOver = (globalThis as Record<symbol, unknown>)[SNAPSHOT_HOOK] as ((r: typeof run, m: typeof main) => void) | undefined;
  if (handOver) handOver(run, main);
  else void run();
}
