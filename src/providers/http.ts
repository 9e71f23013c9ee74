// Metadata-service requests for the network providers, with the semantics of Ignition's
// FetchToBuffer: the fetch stage's retry/backoff (src/fetch) until `fetchTimeoutMs` for each
// request, 200/204 = body, 404 = `resource not found`, anything else = `failed to fetch resource`,
// NeedNetError in fetch-offline. Every URL goes through `metadataUrl`, so tests can point a provider
// at 127.0.0.1 (and nowhere else) with `seams.metadataOrigin`.
import type { Readable } from 'node:stream';
import { request, type Connector } from '../fetch/client.js';
import { pinnedConnector, type PinnedConnection } from '../fetch/connect.js';
import { FetchError, NeedNetError, failed, timedOut } from '../fetch/errors.js';
import { CONFIG_ACCEPT, HttpTransport, abortReason, checkStatus, type HttpMethod } from '../fetch/http.js';
import { redactIn, redactUrl } from '../fetch/redact.js';
import type { ProviderContext } from './provider.js';

/** User data is small (16 KiB on AWS, 64 KiB on OpenStack); refuse absurd answers. */
const MAX_BODY = 64 * 1024 * 1024;

export interface MetadataRequest {
  /** The real URL (e.g. `http://169.254.169.254/latest/user-data`); rebased by the origin seam. */
  url: string;
  method?: HttpMethod;
  /** Added to (and overriding, case-insensitively) Ignition's config headers. */
  headers?: Record<string, string>;
  /** Statuses below 500 that are retried too. */
  retryCodes?: readonly number[];
  /** Source port / interface pinning for this request's connections. */
  pin?: PinnedConnection;
}

/** `url` with its scheme://host[:port] replaced by the test seam's origin, when one is set. */
export function metadataUrl(ctx: ProviderContext, url: string): string {
  const origin = ctx.seams.metadataOrigin;
  if (!origin) return url;
  const u = new URL(url);
  return `${origin.replace(/\/+$/, '')}${u.pathname}${u.search}`;
}

/** One client per provider call: close() releases its connections. */
export class MetadataClient {
  private readonly transport: HttpTransport;
  private readonly pinned: Connector[] = [];

  constructor(private readonly ctx: ProviderContext) {
    this.transport = new HttpTransport({
      log: ctx.log,
      signal: ctx.signal,
      accept: CONFIG_ACCEPT,
      timeouts: { httpTotal: ctx.fetchTimeoutMs / 1000 },
    });
  }

  /** Ignition's FetchToBuffer for a metadata URL. */
  async fetch(req: MetadataRequest): Promise<Buffer> {
    if (this.ctx.offline) throw new NeedNetError();
    const url = metadataUrl(this.ctx, req.url);
    const headers: Record<string, string> = { ...this.transport.defaults };
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
    // The origin seam means "this is a loopback stand-in": pinning to an interface would miss it.
    const pin = req.pin && this.ctx.seams.metadataOrigin ? { sourcePort: req.pin.sourcePort } : req.pin;
    const connector = pin && (pin.host || pin.sourcePort) ? this.pin(pin) : undefined;
    const deadline = this.transport.deadline();
    try {
      const res = await this.transport.getWithRetry(
        { url, method: req.method, headers, retryCodes: req.retryCodes, connector, followRedirects: true },
        deadline.signal,
        deadline.expired,
      );
      return await readBody(checkStatus(res), deadline.signal);
    } catch (e) {
      // Ignition's messages do not name the URL: the error carries it for the failure report.
      const where = { url: redactUrl(url) };
      const err = deadline.expired() ? timedOut() : deadline.signal.aborted ? abortReason(deadline.signal, deadline.expired) : e;
      if (err instanceof NeedNetError) throw err;
      if (err instanceof FetchError) throw new FetchError(err.code, err.message, { cause: err.cause, status: err.status, ...where });
      // A body cut short or reset: Ignition's text, and what went wrong.
      throw new FetchError('failed', `failed to fetch resource: ${redactIn(err instanceof Error ? err.message : String(err), url)}`, { cause: err, ...where });
    } finally {
      deadline.dispose();
    }
  }

  /**
   * One plain POST, no retries and no Ignition headers (Ignition's packet status hook uses a bare
   * Go client for it). Bounded by the fetch timeout. Returns the status code.
   */
  async post(rawUrl: string, body: string, headers: Record<string, string>): Promise<number> {
    if (this.ctx.offline) throw new NeedNetError();
    const url = metadataUrl(this.ctx, rawUrl);
    const deadline = this.transport.deadline();
    try {
      this.ctx.log.info(`POST ${redactUrl(url)}`);
      const res = await request(url, this.transport.connectorFor(new URL(url)), { method: 'POST', body, headers, signal: deadline.signal });
      res.body.resume();
      res.body.on('error', () => {});
      return res.statusCode;
    } catch (e) {
      if (deadline.signal.aborted) throw abortReason(deadline.signal, deadline.expired);
      throw failed(e);
    } finally {
      deadline.dispose();
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.transport.close(), ...this.pinned.splice(0).map((d) => d.destroy().catch(() => {}))]);
  }

  private pin(pin: PinnedConnection): Connector {
    const d = pinnedConnector(pin);
    this.pinned.push(d);
    return d;
  }
}

/** Runs `fn` with a client and always closes it. */
export async function withMetadata<T>(ctx: ProviderContext, fn: (m: MetadataClient) => Promise<T>): Promise<T> {
  const m = new MetadataClient(ctx);
  try {
    return await fn(m);
  } finally {
    await m.close();
  }
}

/** `resource not found` means "no user data" on most clouds. */
export async function nullIfNotFound(p: Promise<Buffer>): Promise<Buffer | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof FetchError && e.code === 'not-found') return null;
    throw e;
  }
}

async function readBody(body: Readable, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const onAbort = () => body.destroy(signal.reason as Error);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new FetchError('too-large', `resource larger than ${MAX_BODY} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size);
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!body.destroyed) body.destroy();
  }
}

/** Go's `fmt.Errorf("<prefix>: %w", err)`: the message gains the prefix, the kind is kept. */
export function wrapError(prefix: string, e: unknown): Error {
  if (e instanceof NeedNetError) return e;
  if (e instanceof FetchError) return new FetchError(e.code, `${prefix}: ${e.message}`, { cause: e, status: e.status, url: e.url });
  return new Error(`${prefix}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}
