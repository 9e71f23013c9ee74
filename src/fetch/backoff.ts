// Ignition's retry pacing: the first wait is 200 ms, each further wait doubles, capped at 5 s. Pure.
export const INITIAL_BACKOFF_MS = 200;
export const MAX_BACKOFF_MS = 5000;

/** Wait before attempt `attempt + 1`, after `attempt` (1-based) failed. */
export function backoffMs(attempt: number): number {
  const exp = Math.min(attempt - 1, 10); // 200 * 2^5 already exceeds the cap
  return Math.min(INITIAL_BACKOFF_MS * 2 ** exp, MAX_BACKOFF_MS);
}
