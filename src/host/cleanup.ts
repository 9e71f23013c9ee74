// Work to undo if the process ends early: temporary files the executor is filling. SIGINT, SIGTERM
// and SIGHUP run the pending cleanups and then end the process by the same signal (so the shell
// sees the usual status); `process.exit` (e.g. on a closed pipe) runs them too. SIGKILL cannot be
// caught: the executor removes stale temporary files of its own naming on the next run instead.
// One registry per process: the CLI's bundle holds this module once in the dispatcher and once in
// each command's program (scripts/build.mjs), so the state lives on the process, not the module.
interface Registry {
  pending: Set<() => void>;
  installed: boolean;
  /** The signal handlers are in place (at the first cleanup registered after installExitCleanup). */
  signals: boolean;
}
const registry = ((globalThis as Record<symbol, Registry | undefined>)[Symbol.for('kindling.exitCleanup')] ??= {
  pending: new Set(),
  installed: false,
  signals: false,
});
const pending = registry.pending;

/** Registers a synchronous cleanup; call the returned function once the work is done. */
export function cleanupOnExit(fn: () => void): () => void {
  pending.add(fn);
  if (registry.installed && !registry.signals) catchSignals();
  return () => pending.delete(fn);
}

export function runPendingCleanups(): void {
  for (const fn of [...pending]) {
    pending.delete(fn);
    try {
      fn();
    } catch {
      // best effort: the process is going away
    }
  }
}

/**
 * For CLI entry points: run the cleanups on exit and on termination signals. The signal handlers
 * wait for the first cleanup: until then the default action (ending by the signal) is what they
 * would do, and setting them up is a cost every command's start paid for nothing.
 */
export function installExitCleanup(): void {
  if (registry.installed) return;
  registry.installed = true;
  process.on('exit', runPendingCleanups);
  if (pending.size > 0) catchSignals();
}

function catchSignals(): void {
  registry.signals = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      runPendingCleanups();
      // With no listener left, the default action ends the process by the signal.
      process.kill(process.pid, sig);
    });
  }
}
