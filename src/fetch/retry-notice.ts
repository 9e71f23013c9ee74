// What a user sees while a source keeps failing. Ignition retries an http(s) source until it
// answers (or until ignition.timeouts.httpTotal), logging each attempt at info level only, so a
// wrong URL looks like a hang. A warning goes out on the first retry and then at most once per
// interval, with the redacted URL, why it failed, when the next attempt is, and how to bound it.
export const NOTICE_INTERVAL_MS = 30_000;

export interface RetryState {
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** When the last notice went out (ms since the epoch); undefined before the first. */
  lastNoticeAt?: number;
}

export function noticeDue(s: RetryState, now: number): boolean {
  return s.attempt === 1 || s.lastNoticeAt === undefined || now - s.lastNoticeAt >= NOTICE_INTERVAL_MS;
}

export interface RetryNotice {
  /** GET unless said otherwise. */
  method?: string;
  /** Already redacted. */
  url: string;
  /** Already redacted. */
  reason: string;
  attempt: number;
  delayMs: number;
  /** Time left before the deadline; undefined when there is none. */
  remainingMs?: number;
  /** What set the deadline (default ignition.timeouts.httpTotal). */
  boundBy?: string;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

export function retryNotice(n: RetryNotice): string {
  const head = `${n.method ?? 'GET'} ${n.url} failed (${n.reason}); attempt ${n.attempt + 1} in ${seconds(n.delayMs)}`;
  if (n.remainingMs === undefined) return `${head}. Ignition retries until the source answers: set ignition.timeouts.httpTotal (seconds) to bound it`;
  return `${head}, giving up in ${seconds(Math.max(0, n.remainingMs))} (${n.boundBy ?? 'ignition.timeouts.httpTotal'})`;
}
