// Google Cloud Storage objects (`gs://bucket/object`) via the JSON API, with the instance's
// service-account token when running on GCE, anonymous otherwise.
import type { Readable } from 'node:stream';
import { checkStatus, type HttpTransport } from './http.js';
import { DEFAULT_GCP_METADATA, gceToken } from './metadata.js';
import { FetchError } from './errors.js';
import type { Endpoints } from './types.js';

export const DEFAULT_GCS = 'https://storage.googleapis.com';

/** JSON API media URL of `gs://bucket/object`. Pure. */
export function gcsMediaUrl(source: string, endpoint = DEFAULT_GCS): string {
  const u = new URL(source);
  const object = decodeURIComponent(u.pathname).replace(/^\//, '');
  if (!u.hostname || !object) throw new FetchError('invalid', 'unable to parse url');
  const base = endpoint.replace(/\/+$/, '');
  return `${base}/storage/v1/b/${encodeURIComponent(u.hostname)}/o/${encodeURIComponent(object)}?alt=media`;
}

export async function gcsGet(source: string, http: HttpTransport, endpoints: Endpoints, signal: AbortSignal, expired: () => boolean): Promise<Readable> {
  const url = gcsMediaUrl(source, endpoints.gcs);
  const token = await gceToken(endpoints.gcpMetadata ?? DEFAULT_GCP_METADATA, http.log, signal);
  const headers = { ...http.defaults };
  if (token) headers.authorization = `Bearer ${token}`;
  // the token must not follow a redirect to another host
  const res = await http.getWithRetry({ url, headers, redirectHeaders: { ...http.defaults } }, signal, expired);
  return checkStatus(res);
}
