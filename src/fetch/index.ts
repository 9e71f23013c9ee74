// Public API of the resource fetcher (Ignition `Resource` objects: data, http(s), tftp, s3/arn, gs).
import { Fetcher } from './fetcher.js';
import type { Destination, FetchOptions, FetchResult, Resource } from './types.js';

export type { Destination, Endpoints, FetchOptions, FetchResult, HttpHeader, ProxyConfig, Resource, Timeouts } from './types.js';
export { FetchError, NeedNetError, isNeedNet, type FetchErrorCode } from './errors.js';
export { redactUrl } from './redact.js';
export { Fetcher } from './fetcher.js';
export { MAX_CONFIG_BYTES } from './limits.js';
export { decodeDataUrl } from './dataurl.js';
export { parseHashSpec } from './verify.js';
export { splitPemBundle } from './tls.js';
export { USER_AGENT } from './http.js';

/**
 * Fetches one resource into `opts.destination` (a file path, created/truncated and removed again on
 * failure, or a writable), gunzipping and verifying the hash on the way. An empty source writes
 * nothing. Throws FetchError (NeedNetError in offline mode for anything but data:).
 */
export async function fetchResource(res: Resource, opts: FetchOptions & { destination: Destination }): Promise<FetchResult> {
  const f = new Fetcher(opts);
  try {
    return await f.fetch(res, opts.destination);
  } finally {
    await f.close();
  }
}

/** Fetches a config-sized resource into memory (at most `maxBytes`, default 64 MiB). */
export async function fetchToBuffer(res: Resource, opts: FetchOptions & { maxBytes?: number } = {}): Promise<Buffer> {
  const f = new Fetcher(opts);
  try {
    return await f.fetchToBuffer(res, opts.maxBytes);
  } finally {
    await f.close();
  }
}
