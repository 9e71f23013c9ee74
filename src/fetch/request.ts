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

/** `url` (its credentials and fragment are not sent) with `opts`, through `opts.dispatcher`. */
export function request(url: string | URL, { dispatcher, method = 'GET', ...opts }: RequestOptions): Promise<Dispatcher.ResponseData> {
  const u = typeof url === 'string' ? new URL(url) : url;
  return dispatcher.request({ ...opts, origin: u.origin, path: u.pathname + u.search, method });
}
