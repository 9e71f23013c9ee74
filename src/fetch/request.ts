// undici's request(), made through the dispatcher the caller names. The programs hold only undici's
// dispatchers and request API (scripts/undici-entry.cjs), not its package index: that index's
// request() falls back to a global dispatcher, and loading it brings fetch, WebSocket, the cache
// stores and the mocks along (40 % of the HTTP client's code). Every request here names its
// dispatcher (a connection policy, a proxy, a pinned address), so nothing needs the fallback.
import type { Dispatcher } from 'undici';

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & {
  dispatcher: Dispatcher;
  method?: Dispatcher.HttpMethod;
};

/**
 * `url` (its credentials and fragment are not sent) with `opts`, through `opts.dispatcher`. Only
 * http: and https: are requested: anything else (a redirect to file:///etc/passwd) is refused here,
 * by name, as undici's own request() refuses it.
 */
export async function request(url: string | URL, { dispatcher, method = 'GET', ...opts }: RequestOptions): Promise<Dispatcher.ResponseData> {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw Object.assign(new Error(`Invalid URL protocol: ${u.protocol} (only http: and https: URLs are requested)`), { code: 'ERR_INVALID_URL_SCHEME' });
  }
  return dispatcher.request({ ...opts, origin: u.origin, path: u.pathname + u.search, method });
}
