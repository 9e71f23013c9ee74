// How a command-line entry starts and ends: a closed pipe ends it quietly, pending cleanups run on
// exit and on termination signals, the command's status is the exit code, and an unexpected error
// is one "internal error" line with its stack. The process exits as soon as the command is done
// (unless a write has failed: the failure's handler, queued, decides the status, 141 for a closed
// pipe): left to itself, Node would go round its event loop once more, where V8 runs a garbage
// collection it has scheduled (a scavenge of a heap about to be dropped: 3.4 M instructions, 2.4 %
// of a cold `kindling apply`). No output is pending then: on Linux, writes to the standard streams
// are synchronous (pipes and files through the loader's writer, terminals through Node's own).
// While the bundle loader builds a startup snapshot (scripts/loader.cjs), the entry hands its start
// over instead: the loader warms `main` up, and the snapshot's processes call `run`.
import { installExitCleanup } from '../host/cleanup.js';
import { endQuietlyWhenPipesClose } from './stdio.js';

const SNAPSHOT_HOOK = Symbol.for('kindling.startupSnapshot');

export function runMain(main: (argv: string[]) => Promise<number>): void {
  const run = () => {
    endQuietlyWhenPipesClose();
    installExitCleanup();
    return main(process.argv.slice(2)).then(
      (code) => exitWith(code),
      (err: unknown) => {
        process.stderr.write(`kindling: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        exitWith(1);
      },
    );
  };
  const handOver = (globalThis as Record<symbol, unknown>)[SNAPSHOT_HOOK] as ((r: typeof run, m: typeof main) => void) | undefined;
  if (handOver) handOver(run, main);
  else void run();
}

function exitWith(code: number): void {
  process.exitCode = code;
  if (!process.stdout.destroyed && !process.stderr.destroyed) process.exit();
}
