// Plain data shapes the fetcher works on. Field names follow the Ignition spec (camelCase) so the
// generated config types in src/generated/ can replace these structurally.
import type { Writable } from 'node:stream';
import type { LookupFunction } from 'node:net';
import type { Logger } from '../host/host.js';

export interface HttpHeader {
  name: string;
  value?: string | null;
}

/** Ignition's common `Resource` object (config merge/replace, CAs, file contents, appends, key files). */
export interface Resource {
  source?: string | null;
  compression?: string | null;
  httpHeaders?: HttpHeader[] | null;
  verification?: { hash?: string | null } | null;
}

/** `ignition.timeouts`, in seconds. */
export interface Timeouts {
  /** Per attempt, until response headers arrive. Default 10; 0 = no limit. */
  httpResponseHeaders?: number | null;
  /** Whole operation, retries and body included. Default 0 = no limit. */
  httpTotal?: number | null;
}

/** `ignition.proxy`. */
export interface ProxyConfig {
  httpProxy?: string | null;
  httpsProxy?: string | null;
  noProxy?: readonly string[] | null;
}

/** Where the fetched (decompressed, verified) bytes go. */
export type Destination =
  /** Written (created or truncated) at this path; removed again if anything fails. */
  | { path: string }
  /** Piped into this stream; the caller owns it and undoes partial writes on failure. */
  | { writable: Writable; end?: boolean };

/** Base URLs of cloud endpoints; overridable so tests (and odd clouds) can point elsewhere. */
export interface Endpoints {
  /** EC2 instance metadata service (IMDSv2), default http://169.254.169.254 */
  awsMetadata?: string;
  /** S3 endpoint; when set, requests are path-style `<s3>/<bucket>/<key>`. */
  s3?: string;
  /** Region used when IMDS gives none (default us-east-1). */
  s3Region?: string;
  /** GCE metadata server, default http://169.254.169.254 */
  gcpMetadata?: string;
  /** GCS JSON API base, default https://storage.googleapis.com */
  gcs?: string;
}

export interface FetchOptions {
  /** fetch-offline stage: anything but `data:` fails with NeedNetError. */
  offline?: boolean;
  timeouts?: Timeouts | null;
  /**
   * An upper bound on each HTTP fetch's total time that the caller sets (`kindling apply
   * --fetch-timeout`), applied where `timeouts.httpTotal` is unset or larger; `by` names it in notices.
   */
  httpTotalCap?: { seconds: number; by: string };
  /** Extra PEM bundles (each may hold several certificates), added to Node's default roots. */
  cas?: readonly string[] | null;
  proxy?: ProxyConfig | null;
  log?: Logger;
  endpoints?: Endpoints;
  /** Overrides DNS resolution for direct connections (tests, static host maps). */
  lookup?: LookupFunction;
  /** Default Accept header (e.g. the Ignition config media type for config fetches); default: any type (star/star). */
  accept?: string;
  /** Default User-Agent; default `Kindling/<version>`. */
  userAgent?: string;
  /** Cancels the whole operation. */
  signal?: AbortSignal;
  /** TFTP: seconds to wait for each packet before retransmitting (default 5), and retransmissions (default 5). */
  tftp?: { timeout?: number; retries?: number; blksize?: number };
}

export interface FetchResult {
  /** Bytes written to the destination (after decompression). */
  bytes: number;
}
