// HTTP/1.1 requests over Node's own client (node:http, node:https), whose parser is compiled into
// Node. A Connector is how requests reach their servers: pooled keep-alive connections straight to
// the server, a proxy (absolute-form requests for http://, a CONNECT tunnel for https://), or a
// socket the caller opens (a fixed source port, an interface-scoped address: connect.ts).
//
// This was undici, whose parser is llhttp compiled to WebAssembly: compiling it, and starting a
// program of 326 KB, cost a stage that fetches its config more than the request itself (about 45 M
// instructions of 229 M, a half second under emulation).
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction, type Socket } from 'node:net';
import tls from 'node:tls';

export interface OutgoingRequest {
  method?: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** How long the response's headers may take once the request is sent; 0 or unset: no limit. */
  headersTimeoutMs?: number;
}

export interface HttpResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The body as it arrives; it fails with `unexpected EOF` when the connection ends it early. */
  body: IncomingMessage;
}

export interface Connector {
  send(url: URL, req: OutgoingRequest): Promise<HttpResponse>;
  /** Closes its connections, idle or busy. */
  destroy(): Promise<void>;
}

/** Opens a socket for one request (connected or connecting), or calls back with an error. */
export type SocketOpener = (host: string, port: number, done: (err: Error | null, socket?: Socket) => void) => void;

/**
 * `url` (its credentials and fragment are not sent) through `connector`. Only http: and https: are
 * requested: anything else (a redirect to file:///etc/passwd) is refused here, by name.
 */
export function request(url: string | URL, connector: Connector, req: OutgoingRequest): Promise<HttpResponse> {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    const e = Object.assign(new Error(`Invalid URL protocol: ${u.protocol} (only http: and https: URLs are requested)`), { code: 'ERR_INVALID_URL_SCHEME' });
    return Promise.reject(e);
  }
  return connector.send(u, req);
}

export interface DirectOptions {
  /** Dial timeout (TCP connect), ms. */
  connectTimeoutMs: number;
  /** The trust store for https:// (replaces Node's default roots). */
  ca?: string[] | null;
  lookup?: LookupFunction;
}

/** Straight to each URL's server, keeping connections open for the next request. */
export function directConnector(opts: DirectOptions): Connector {
  const tlsOpts = opts.ca ? { ca: opts.ca } : {};
  let plain: http.Agent | undefined;
  let secure: https.Agent | undefined;
  return {
    send(url, req) {
      const agent = url.protocol === 'https:' ? (secure ??= new https.Agent({ keepAlive: true, ...tlsOpts })) : (plain ??= new http.Agent({ keepAlive: true }));
      const target = hostPort(url);
      return exchange(
        url.protocol === 'https:',
        { ...target, path: pathOf(url), agent, ...(opts.lookup ? { lookup: opts.lookup } : {}) },
        url,
        req,
        opts.connectTimeoutMs,
      );
    },
    async destroy() {
      plain?.destroy();
      secure?.destroy();
    },
  };
}

export interface ProxyOptions {
  /** The proxy's URL (http:// or https://, credentials become Proxy-Authorization). */
  proxy: string;
  connectTimeoutMs: number;
  /** The trust store for the target and for an https:// proxy. */
  ca?: string[] | null;
}

/** Through a proxy: http:// targets as absolute-form requests to it, https:// in a CONNECT tunnel. */
export function proxyConnector(opts: ProxyOptions): Connector {
  const proxy = new URL(opts.proxy);
  const tlsOpts = opts.ca ? { ca: opts.ca } : {};
  const viaTls = proxy.protocol === 'https:';
  const auth: Record<string, string> =
    proxy.username || proxy.password
      ? { 'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` }
      : {};
  const at = hostPort(proxy);
  let pool: http.Agent | undefined;
  return {
    send(url, req) {
      if (url.protocol === 'http:') {
        pool ??= viaTls ? new https.Agent({ keepAlive: true, ...tlsOpts }) : new http.Agent({ keepAlive: true });
        const withAuth = { ...req, headers: { ...req.headers, ...auth } };
        return exchange(viaTls, { ...at, path: bare(url), agent: pool }, url, withAuth, opts.connectTimeoutMs);
      }
      const target = hostPort(url);
      const open: SocketOpener = (_host, _port, done) => {
        const connect = (viaTls ? https : http).request({
          ...at,
          method: 'CONNECT',
          path: `${bracketed(target.host)}:${target.port}`,
          headers: { host: `${bracketed(target.host)}:${target.port}`, ...auth },
          agent: false,
          ...(viaTls ? tlsOpts : {}),
        });
        const timer = setTimeout(() => connect.destroy(dialTimeout(proxy)), opts.connectTimeoutMs);
        connect.on('error', (e) => (clearTimeout(timer), done(e)));
        connect.once('connect', (res, socket) => {
          clearTimeout(timer);
          if (res.statusCode !== 200) {
            socket.destroy();
            return done(
              new Error(
                `proxy ${bracketed(at.host)}:${at.port} refused the tunnel to ${bracketed(target.host)}:${target.port}: ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
              ),
            );
          }
          done(null, tls.connect({ socket, servername: net.isIP(target.host) ? undefined : target.host, ...tlsOpts }));
        });
        connect.end();
      };
      return exchange(true, { ...target, path: pathOf(url), createConnection: created(open, target) }, url, req, opts.connectTimeoutMs);
    },
    async destroy() {
      pool?.destroy();
    },
  };
}

/** Every request on a socket of `open` (http:// only): no pooling, one connection per request. */
export function socketConnector(open: SocketOpener): Connector {
  const live = new Set<Socket>();
  return {
    send(url, req) {
      const target = hostPort(url);
      const tracked: SocketOpener = (host, port, done) =>
        open(host, port, (err, socket) => {
          if (socket) {
            live.add(socket);
            socket.once('close', () => live.delete(socket));
          }
          done(err, socket);
        });
      return exchange(false, { ...target, path: pathOf(url), createConnection: created(tracked, target) }, url, req, 0);
    },
    async destroy() {
      for (const s of live) s.destroy();
    },
  };
}

/** node:http's createConnection, from an opener that calls back. */
function created(open: SocketOpener, target: { host: string; port: number }) {
  return (_opts: unknown, oncreate: (err: Error | null, socket: Socket) => void): undefined => {
    open(target.host, target.port, (err, socket) => oncreate(err, socket!));
    return undefined;
  };
}

type Route = http.RequestOptions & { host: string; port: number; path: string };

/** One request and its response's headers; the body is the caller's to read. */
function exchange(secure: boolean, route: Route, url: URL, req: OutgoingRequest, connectTimeoutMs: number): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let out: http.ClientRequest;
    try {
      // Go sends the URL's host (default port left out), whatever socket carries the request.
      const headers = { ...req.headers, host: url.host };
      out = (secure ? https : http).request({ ...route, method: req.method ?? 'GET', headers, signal: req.signal });
    } catch (e) {
      return reject(e); // a header value Node refuses (a newline in it)
    }
    // Go's ResponseHeaderTimeout: counted once the request is written (a dial has its own limit).
    let headersTimer: NodeJS.Timeout | undefined;
    let answered = false;
    if (req.headersTimeoutMs && req.headersTimeoutMs > 0) {
      const ms = req.headersTimeoutMs;
      out.once('finish', () => {
        if (!answered) headersTimer = setTimeout(() => out.destroy(new Error(`timeout awaiting response headers (${ms / 1000} s)`)), ms);
      });
    }
    if (connectTimeoutMs > 0) {
      out.once('socket', (s) => {
        if (!s.connecting) return;
        const dial = setTimeout(() => s.destroy(dialTimeout(url)), connectTimeoutMs);
        s.once('connect', () => clearTimeout(dial));
        s.once('close', () => clearTimeout(dial));
      });
    }
    // Errors after the answer (bytes past its end, a reset) reach the body; here they are no news.
    out.on('error', (e) => {
      clearTimeout(headersTimer);
      reject(e);
    });
    out.once('response', (res) => {
      answered = true;
      clearTimeout(headersTimer);
      const length = res.headers['content-length'];
      res.once('error', (e: NodeJS.ErrnoException) => {
        // Node says `aborted` when the connection ends before the body does; Go, `unexpected EOF`.
        if (e.code === 'ECONNRESET' && e.message === 'aborted' && !res.complete) {
          e.message = `unexpected EOF: the connection closed before the end of the body${length !== undefined ? ` (Content-Length ${length})` : ''}`;
        }
      });
      resolve({ statusCode: res.statusCode!, headers: res.headers, body: res });
    });
    out.end(req.body);
  });
}

function hostPort(u: URL): { host: string; port: number } {
  return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80) };
}

/** The request target: path and query (no fragment). */
const pathOf = (u: URL) => (u.pathname || '/') + u.search;

/** The absolute-form target for a proxy: the URL without credentials or fragment. */
function bare(u: URL): string {
  return `${u.protocol}//${u.host}${pathOf(u)}`;
}

const bracketed = (host: string) => (net.isIP(host) === 6 ? `[${host}]` : host);

function dialTimeout(u: URL): Error {
  const { host, port } = hostPort(u);
  return Object.assign(new Error(`dial tcp ${bracketed(host)}:${port}: i/o timeout`), { code: 'ETIMEDOUT' });
}
