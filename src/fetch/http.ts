// HTTP(S) requests with Ignition's semantics: retry every transport error and 5xx (plus a caller's
// extra codes) with 200 ms → 5 s backoff until the total deadline, per-attempt response-header
// timeout, GET redirects followed here (config headers are not re-sent to the redirect target),
// proxies from the config only, extra CAs on top of the default roots.
import http from 'node:http';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { directConnector, proxyConnector, request, type Connector, type HttpResponse } from './client.js';
import type { Logger } from '../host/host.js';
import { PRODUCT_VERSION } from '../model/product.js';
import { LATEST_STABLE } from '../model/versions.js';
import { backoffMs } from './backoff.js';
import { FetchError, failed, notFound, timedOut } from './errors.js';
import { proxyFor } from './proxy.js';
import { redactIn, redactUrl } from './redact.js';
import { noticeDue, retryNotice, type RetryState } from './retry-notice.js';
import { caList, caNames } from './tls.js';
import type { FetchOptions, HttpHeader } from './types.js';

export const USER_AGENT = `Kindling/${PRODUCT_VERSION}`;
/**
 * Ignition's Accept header for configs (its `configHeaders`); metadata services are asked with it
 * too unless a provider overrides it.
 */
export const CONFIG_ACCEPT = `application/vnd.coreos.ignition+json;version=${LATEST_STABLE}, */*;q=0.1`;
const MAX_REDIRECTS = 10;
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const DIAL_TIMEOUT_MS = 30_000; // Go dialer 30 s (TLS handshake 10 s is inside it here)

/** Resource defaults; config-supplied httpHeaders override them by (case-insensitive) name. */
export function defaultHeaders(userAgent = USER_AGENT, accept = '*/*'): Record<string, string> {
  return { 'accept-encoding': 'identity', accept, 'user-agent': userAgent };
}

export function mergeHeaders(base: Record<string, string>, extra: readonly HttpHeader[] | null | undefined): Record<string, string> {
  const out = { ...base };
  for (const h of extra ?? []) {
    const key = h.name.toLowerCase();
    if (h.value == null) delete out[key];
    else out[key] = h.value;
  }
  return out;
}

export type HttpMethod = 'GET' | 'PUT' | 'POST';

export interface GetRequest {
  url: string;
  /** Default GET. Redirects are followed for GET only; any other 3xx is a final answer. */
  method?: HttpMethod;
  body?: string | Buffer;
  /** Statuses below 500 retried like a 5xx (Ignition's provider RetryCodes: azure 404/410/429...). */
  retryCodes?: readonly number[];
  /** Replaces the transport's connections for this request (a fixed source port, an IPv6 zone). */
  connector?: Connector;
  /** Headers for the first request (defaults + config headers). */
  headers: Record<string, string>;
  /** Headers after a redirect; config headers are dropped, defaults stay. */
  redirectHeaders?: Record<string, string>;
  /** Called before every attempt (e.g. SigV4 needs a fresh date); overrides `headers`. */
  headersFor?: (url: URL) => Record<string, string>;
  followRedirects?: boolean;
}

/** Owns the connection pools for one set of TLS/proxy settings; close() when done. */
export class HttpTransport {
  private direct: Connector | null = null;
  private readonly proxies = new Map<string, Connector>();
  private readonly ca: string[] | null;
  readonly log: Logger;
  readonly headerTimeoutMs: number;
  readonly totalMs: number;
  /** What set totalMs, for the retry notice. */
  readonly totalBy: string;
  /** Defaults for every request of this transport (user agent, accept). */
  readonly defaults: Record<string, string>;

  constructor(private readonly opts: FetchOptions & { log: Logger }) {
    this.log = opts.log;
    this.ca = caList(opts.cas);
    if (opts.cas?.length) for (const name of caNames(opts.cas)) this.log.info(`Adding "${name}" to list of CAs`);
    const t = opts.timeouts ?? {};
    this.headerTimeoutMs = (t.httpResponseHeaders ?? 10) * 1000;
    const configured = (t.httpTotal ?? 0) * 1000;
    const cap = (opts.httpTotalCap?.seconds ?? 0) * 1000;
    const capped = cap > 0 && (configured === 0 || cap < configured);
    this.totalMs = capped ? cap : configured;
    this.totalBy = capped ? opts.httpTotalCap!.by : 'ignition.timeouts.httpTotal';
    this.defaults = defaultHeaders(opts.userAgent, opts.accept);
  }

  connectorFor(url: URL): Connector {
    const proxy = proxyFor(url, this.opts.proxy);
    if (!proxy) {
      this.direct ??= directConnector({ connectTimeoutMs: DIAL_TIMEOUT_MS, ca: this.ca, lookup: this.opts.lookup });
      return this.direct;
    }
    let connector = this.proxies.get(proxy);
    if (!connector) {
      connector = proxyConnector({ proxy, connectTimeoutMs: DIAL_TIMEOUT_MS, ca: this.ca });
      this.proxies.set(proxy, connector);
    }
    return connector;
  }

  /** A signal that fires at the httpTotal deadline (or never), combined with the caller's. */
  deadline(): { signal: AbortSignal; expired: () => boolean; dispose: () => void } {
    const ctl = new AbortController();
    let expired = false;
    const timer = this.totalMs > 0 ? setTimeout(() => ((expired = true), ctl.abort(timedOut())), this.totalMs) : null;
    const outer = this.opts.signal;
    const onOuter = () => ctl.abort(outer?.reason);
    if (outer) {
      if (outer.aborted) onOuter();
      else outer.addEventListener('abort', onOuter, { once: true });
    }
    return {
      signal: ctl.signal,
      expired: () => expired,
      dispose: () => {
        if (timer) clearTimeout(timer);
        outer?.removeEventListener('abort', onOuter);
      },
    };
  }

  /**
   * Sends until a final answer (<500 and not a retry code), following GET redirects. Retries
   * forever unless the signal fires; on the deadline, throws `unable to fetch resource in time`.
   */
  async getWithRetry(req: GetRequest, signal: AbortSignal, expired: () => boolean): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const started = Date.now();
    const state: RetryState = { attempt: 0 };
    for (let attempt = 1; ; attempt++) {
      this.log.info(`${method} ${redactUrl(req.url)}: attempt #${attempt}`);
      let reason: string;
      try {
        const res = await this.getFollowingRedirects(req, signal);
        this.log.info(`${method} result: ${http.STATUS_CODES[res.statusCode] ?? res.statusCode}`);
        if (res.statusCode < 500 && !req.retryCodes?.includes(res.statusCode)) return res;
        res.body.resume(); // drain so the connection can be reused
        res.body.on('error', () => {});
        reason = `HTTP ${res.statusCode}${http.STATUS_CODES[res.statusCode] ? ' ' + http.STATUS_CODES[res.statusCode] : ''}`;
      } catch (e) {
        if (signal.aborted) throw abortReason(signal, expired);
        reason = redactIn(errorText(e), req.url);
        this.log.info(`${method} error: ${reason}`);
      }
      state.attempt = attempt;
      const now = Date.now();
      if (noticeDue(state, now)) {
        state.lastNoticeAt = now;
        const remainingMs = this.totalMs > 0 ? this.totalMs - (now - started) : undefined;
        this.log.warn(retryNotice({ method, url: redactUrl(req.url), reason, attempt, delayMs: backoffMs(attempt), remainingMs, boundBy: this.totalBy }));
      }
      try {
        await sleep(backoffMs(attempt), undefined, { signal });
      } catch {
        throw abortReason(signal, expired);
      }
    }
  }

  private async getFollowingRedirects(req: GetRequest, signal: AbortSignal): Promise<HttpResponse> {
    let url = new URL(req.url);
    let headers = req.headers;
    const method = req.method ?? 'GET';
    for (let hop = 0; ; hop++) {
      const sent = withUrlCredentials(url, req.headersFor ? req.headersFor(url) : headers);
      const bare = new URL(url);
      bare.username = '';
      bare.password = '';
      const res = await request(bare, req.connector ?? this.connectorFor(url), {
        method,
        body: req.body,
        headers: sent,
        signal,
        headersTimeoutMs: this.headerTimeoutMs,
      });
      const location = res.headers.location;
      const follow = req.followRedirects !== false && method === 'GET';
      if (!follow || !REDIRECT_CODES.has(res.statusCode) || typeof location !== 'string') {
        return { statusCode: res.statusCode, headers: res.headers, body: res.body };
      }
      res.body.resume();
      res.body.on('error', () => {});
      if (hop >= MAX_REDIRECTS - 1) throw new Error(`stopped after ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, url);
      this.log.debug(`GET ${redactUrl(url.href)}: redirected (${res.statusCode}) to ${redactUrl(next.href)}`);
      url = next;
      headers = req.redirectHeaders ?? this.defaults;
    }
  }

  async close(): Promise<void> {
    const all: Connector[] = [...this.proxies.values()];
    if (this.direct) all.push(this.direct);
    this.direct = null;
    this.proxies.clear();
    await Promise.all(all.map((d) => d.destroy().catch(() => {})));
  }
}

/** Maps a final HTTP status to Ignition's result: body on 200/204, its errors otherwise. */
export function checkStatus(res: HttpResponse): Readable {
  if (res.statusCode === 200 || res.statusCode === 204) return res.body;
  res.body.resume();
  res.body.on('error', () => {});
  if (res.statusCode === 404) throw notFound();
  throw failed(undefined, res.statusCode);
}

export function abortReason(signal: AbortSignal, expired: () => boolean): Error {
  if (expired()) return timedOut();
  const r: unknown = signal.reason;
  return r instanceof FetchError ? r : new FetchError('aborted', 'fetch aborted', { cause: r });
}

/** Like Go's client: user:password in the URL becomes Basic auth (unless a header already sets it). */
function withUrlCredentials(url: URL, headers: Record<string, string>): Record<string, string> {
  if (!url.username && !url.password) return headers;
  if (Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) return headers;
  const cred = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { ...headers, authorization: `Basic ${Buffer.from(cred).toString('base64')}` };
}

function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: string }).code;
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${code ? `${code}: ` : ''}${e.message}${cause}`;
}
