// Fetch failures. Messages are Ignition's verbatim texts (users and tooling grep for them); the
// `code` lets callers branch without string matching.
export type FetchErrorCode =
  | 'not-found'
  | 'failed'
  | 'timeout'
  | 'unsupported-scheme'
  | 'need-net'
  | 'compression-unsupported'
  | 'hash-mismatch'
  | 'invalid'
  | 'tftp'
  | 'too-large'
  | 'aborted';

export class FetchError extends Error {
  /** The final HTTP status, when an answer was the failure. */
  readonly status?: number;
  /** The source that failed, already redacted, when the message is Ignition's and does not name it. */
  readonly url?: string;

  constructor(
    readonly code: FetchErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number; url?: string },
  ) {
    super(message, options);
    this.name = 'FetchError';
    if (options?.status !== undefined) this.status = options.status;
    if (options?.url !== undefined) this.url = options.url;
  }
}

/** Raised in offline mode for any source needing the network; fetch-offline turns it into neednet. */
export class NeedNetError extends FetchError {
  constructor() {
    super('need-net', 'resource requires networking');
    this.name = 'NeedNetError';
  }
}

export const notFound = () => new FetchError('not-found', 'resource not found');
export const failed = (cause?: unknown, status?: number) => new FetchError('failed', 'failed to fetch resource', { cause, status });
export const timedOut = () => new FetchError('timeout', 'unable to fetch resource in time');
export const unsupportedScheme = () => new FetchError('unsupported-scheme', 'unsupported source scheme');
export const compressionUnsupported = () => new FetchError('compression-unsupported', 'compression is not supported with that scheme');
export const hashMismatch = (calculated: string, expected: string) =>
  new FetchError('hash-mismatch', `hash verification failed (calculated ${calculated} but expected ${expected})`);

export function isNeedNet(e: unknown): e is NeedNetError {
  return e instanceof NeedNetError;
}
