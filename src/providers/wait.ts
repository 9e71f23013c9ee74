// Waiting, as the platforms need it: device polls at Ignition's intervals, scaled down in tests
// (`seams.waitScale`), always abortable by the stage's signal, and the "first source to answer
// wins" race of the config-drive providers.
import type { ProviderContext } from './provider.js';

/** Thrown when a wait is abandoned because its signal fired (the race lost, the stage gave up). */
export class WaitAborted extends Error {
  constructor(reason?: unknown) {
    super('wait aborted', { cause: reason });
    this.name = 'WaitAborted';
  }
}

/** A duration of the real platform, in ms, scaled for tests. */
export function scaled(ctx: ProviderContext, ms: number): number {
  const s = ctx.seams.waitScale;
  return typeof s === 'number' && s > 0 ? Math.max(1, Math.round(ms * s)) : ms;
}

/** Sleeps, or throws WaitAborted as soon as the signal fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new WaitAborted(signal.reason));
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new WaitAborted(signal.reason));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A signal that fires after `ms` (null = never) or with `parent`; dispose() it when done. */
export function childSignal(
  parent: AbortSignal,
  ms: number | null = null,
): { signal: AbortSignal; timedOut: () => boolean; abort: () => void; dispose: () => void } {
  const ctl = new AbortController();
  let timedOut = false;
  const onParent = () => ctl.abort(parent.reason);
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  const timer = ms === null ? null : setTimeout(() => ((timedOut = true), ctl.abort(new Error('timeout'))), ms);
  return {
    signal: ctl.signal,
    timedOut: () => timedOut,
    abort: () => ctl.abort(new Error('cancelled')),
    dispose: () => {
      if (timer) clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
  };
}

/** Calls `probe` every `intervalMs` until it returns a value (not undefined). */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, intervalMs: number, signal: AbortSignal, onMiss?: () => void): Promise<T> {
  for (;;) {
    if (signal.aborted) throw new WaitAborted(signal.reason);
    const v = await probe();
    if (v !== undefined) return v;
    onMiss?.();
    await sleep(intervalMs, signal);
  }
}

export interface RaceSource<T> {
  name: string;
  run(signal: AbortSignal): Promise<T>;
}

/**
 * Ignition's dispatch/Loop of the config-drive providers: every source runs at once; the first one
 * to finish without an error wins (even with "nothing") and the others are cancelled; a failure is
 * logged and the race goes on; when all fail, the result is `none`. Returns once every loser has
 * cleaned up (unmounted its drive). Each source gets the race's signal: use it, not ctx.signal.
 */
export async function firstSuccess<T>(ctx: ProviderContext, sources: RaceSource<T>[], none: T): Promise<T> {
  const race = childSignal(ctx.signal);
  let winner: { value: T } | null = null;
  try {
    const runs = sources.map((s) =>
      s.run(race.signal).then(
        (value) => {
          if (!winner) {
            winner = { value };
            race.abort();
          }
        },
        (e: unknown) => {
          // a loser cancelled by the winner (or by the stage) has nothing to report
          if (!race.signal.aborted) ctx.log.error(`failed to fetch config from ${s.name}: ${(e as Error).message}`);
        },
      ),
    );
    await Promise.all(runs);
  } finally {
    race.dispose();
  }
  if (winner) return (winner as { value: T }).value;
  if (ctx.signal.aborted) throw new WaitAborted(ctx.signal.reason);
  ctx.log.info("couldn't fetch config");
  return none;
}
