// The resource pipeline: source stream → optional gunzip → hash/count → destination, all
// streaming. On any failure a destination file is removed, so nothing half-written is left behind.
import fs from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { sourceScheme } from '../config/url.js';
import { silentLogger, type Logger } from '../host/host.js';
import { decodeDataUrl } from './dataurl.js';
import { compressionUnsupported, FetchError, NeedNetError, unsupportedScheme, timedOut } from './errors.js';
import { gcsGet } from './gcs.js';
import { HttpTransport, abortReason, checkStatus, mergeHeaders } from './http.js';
import { MAX_CONFIG_BYTES } from './limits.js';
import { redactIn, redactUrl } from './redact.js';
import { s3Get } from './s3.js';
import type { Destination, FetchOptions, FetchResult, Resource } from './types.js';
import { Hasher, parseHashSpec } from './verify.js';

/**
 * node:stream, loaded at the first fetch: a boot stage with nothing to fetch (or the CLI checking
 * a config) would otherwise load the whole stream machinery at start-up, a tenth of Node's own
 * start. TFTP's stream class is defined in its module, which is loaded at the first TFTP fetch.
 */
type Streams = Pick<typeof import('node:stream'), 'Readable' | 'Transform' | 'Writable'>;
let streamModule: Streams | undefined;
async function streams(): Promise<Streams> {
  return (streamModule ??= await import('node:stream'));
}

// Lets the file stream batch queued chunks into one writev instead of a syscall per 64 KiB chunk.
const WRITE_BUFFER = 1024 * 1024;
const NETWORK_SCHEMES = new Set(['http', 'https', 's3', 'arn', 'gs']);

/** Holds connection pools for a set of options; reuse it across many resources, then close(). */
export class Fetcher {
  private transport: HttpTransport | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: FetchOptions = {}) {
    this.log = opts.log ?? silentLogger;
    // The HTTP side is made at the first network fetch: most stage runs and dry runs fetch only
    // data: URLs or nothing. Where the config adds CAs it is made here, so that the "Adding ... to
    // list of CAs" lines come when Ignition writes them, as a stage starts.
    if (opts.cas?.length) this.transport = this.newTransport();
  }

  private get http(): HttpTransport {
    return (this.transport ??= this.newTransport());
  }

  private newTransport(): HttpTransport {
    return new HttpTransport({ ...this.opts, log: this.log });
  }

  async fetch(res: Resource, dest: Destination): Promise<FetchResult> {
    const source = res.source ?? '';
    if (source === '') return { bytes: 0 };
    const scheme = sourceScheme(source);
    if (this.opts.offline && scheme !== 'data') throw new NeedNetError();
    const compression = res.compression ?? '';
    if (compression !== '' && compression !== 'gzip') throw new FetchError('invalid', 'invalid compression method');
    if (compression && (scheme === 's3' || scheme === 'arn')) throw compressionUnsupported();
    const hash = parseHashSpec(res.verification?.hash);

    const deadline = NETWORK_SCHEMES.has(scheme) ? this.http.deadline() : null;
    const signal = deadline?.signal ?? this.opts.signal;
    const hasher = new Hasher(hash);
    try {
      this.log.debug(`fetching ${redactUrl(source)}`);
      const { Transform } = await streams();
      const body = await this.open(source, scheme, res, signal, deadline?.expired ?? (() => false));
      const stages: (Readable | Transform | Writable)[] = [body];
      if (compression === 'gzip') stages.push(createGunzip());
      stages.push(
        new Transform({
          highWaterMark: 1024 * 1024, // room to hash ahead while the destination writes
          transform(chunk: Buffer, _enc, cb) {
            hasher.update(chunk);
            cb(null, chunk);
          },
        }),
      );
      const sink = 'path' in dest ? fs.createWriteStream(dest.path, { flags: 'w', mode: 0o600, highWaterMark: WRITE_BUFFER }) : dest.writable;
      stages.push(sink);
      try {
        await pipeline(stages, { signal, end: 'path' in dest ? true : dest.end !== false });
      } catch (e) {
        if (signal?.aborted) throw abortReason(signal, deadline?.expired ?? (() => false));
        throw e;
      }
      hasher.check();
      return { bytes: hasher.bytes };
    } catch (e) {
      if ('path' in dest) await rm(dest.path, { force: true }).catch(() => {});
      throw toFetchError(e, source, deadline?.expired() ?? false);
    } finally {
      deadline?.dispose();
    }
  }

  /** Small fetches (configs, CA bundles, key files) into memory, refusing more than maxBytes. */
  async fetchToBuffer(res: Resource, maxBytes = MAX_CONFIG_BYTES): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    const { Writable } = await streams();
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > maxBytes) return cb(new FetchError('too-large', `resource larger than ${maxBytes} bytes`));
        chunks.push(chunk);
        cb();
      },
    });
    await this.fetch(res, { writable: sink });
    return Buffer.concat(chunks, size);
  }

  async close(): Promise<void> {
    await this.transport?.close();
  }

  private async open(source: string, scheme: string, res: Resource, signal: AbortSignal | undefined, expired: () => boolean): Promise<Readable> {
    switch (scheme) {
      case 'data': {
        const data = decodeDataUrl(source).data;
        return (await streams()).Readable.from([data]);
      }
      case 'http':
      case 'https': {
        const defaults = this.http.defaults;
        const r = await this.http.getWithRetry({ url: source, headers: mergeHeaders(defaults, res.httpHeaders), redirectHeaders: defaults }, signal!, expired);
        return checkStatus(r);
      }
      case 'tftp': {
        const url = new URL(source);
        const { tftpGet } = await import('./tftp.js');
        return tftpGet(url, { ...this.opts.tftp, log: this.log, signal });
      }
      case 's3':
      case 'arn':
        return s3Get(source, this.http, this.opts.endpoints ?? {}, signal!, expired);
      case 'gs':
        return gcsGet(source, this.http, this.opts.endpoints ?? {}, signal!, expired);
      default:
        throw unsupportedScheme();
    }
  }
}

/** Normalizes anything thrown into a FetchError whose message cannot leak the source's secrets. */
function toFetchError(e: unknown, source: string, expired: boolean): FetchError {
  if (expired) return timedOut();
  if (e instanceof FetchError) return e;
  const err = e as { code?: string; message?: string };
  if (err?.code?.startsWith('Z_')) return new FetchError('failed', `gzip: ${err.message}`, { cause: e });
  return new FetchError('failed', redactIn(String(err?.message ?? e), source), { cause: e });
}
