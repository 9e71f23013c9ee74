// TFTP client (RFC 1350, octet mode; RFC 2347/2348 blksize option when asked for) over node:dgram.
// Exposed as a Readable: a DATA block is acknowledged only once the consumer has room for more,
// so a slow destination slows the server instead of filling memory.
import dgram from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns/promises';
import { Readable } from 'node:stream';
import type { Logger } from '../host/host.js';
import { FetchError } from './errors.js';
import { redactUrl } from './redact.js';

const OP_RRQ = 1;
const OP_DATA = 3;
const OP_ACK = 4;
const OP_ERROR = 5;
const OP_OACK = 6;
const DEFAULT_BLKSIZE = 512;

export interface TftpOptions {
  /** Seconds to wait for a packet before retransmitting (default 5). */
  timeout?: number;
  /** Consecutive retransmissions before giving up (default 5). */
  retries?: number;
  /** Ask the server for this block size (8..65464); unset = plain RFC 1350 512-byte blocks. */
  blksize?: number;
  log: Logger;
  signal?: AbortSignal;
}

/** Builds a read request. Pure. */
export function encodeRrq(filename: string, options: Record<string, string> = {}): Buffer {
  const parts = [filename, 'octet', ...Object.entries(options).flat()];
  const head = Buffer.from([0, OP_RRQ]);
  return Buffer.concat([head, ...parts.map((p) => Buffer.from(`${p}\0`, 'utf8'))]);
}

function ack(block: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(OP_ACK, 0);
  b.writeUInt16BE(block & 0xffff, 2);
  return b;
}

function errorPacket(code: number, msg: string): Buffer {
  return Buffer.concat([Buffer.from([0, OP_ERROR, 0, code]), Buffer.from(`${msg}\0`)]);
}

function parseOack(buf: Buffer): Record<string, string> {
  const fields = buf.subarray(2).toString('utf8').split('\0');
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]) out[fields[i].toLowerCase()] = fields[i + 1];
  return out;
}

/** Streams `tftp://host[:port]/path`. */
export function tftpGet(url: URL, opts: TftpOptions): Readable {
  return new TftpReadable(url, opts);
}

class TftpReadable extends Readable {
  private sock: dgram.Socket | null = null;
  private server: { address: string; port: number } | null = null; // first reply fixes the TID
  private host = '';
  private port = 69;
  private blksize = DEFAULT_BLKSIZE;
  private expected = 1; // next DATA block number (mod 65536)
  private lastSent: Buffer = Buffer.alloc(0);
  private lastDest: { address: string; port: number } | null = null;
  private pendingAck: Buffer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private tries = 0;
  private started = false;
  private done = false;
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(
    private readonly url: URL,
    private readonly opts: TftpOptions,
  ) {
    super({ highWaterMark: 256 * 1024 });
    this.timeoutMs = (opts.timeout ?? 5) * 1000;
    this.retries = opts.retries ?? 5;
    opts.signal?.addEventListener('abort', () => this.destroy(opts.signal?.reason as Error), { once: true });
  }

  override _read(): void {
    if (!this.started) {
      this.started = true;
      this.start().catch((e: unknown) => this.destroy(e as Error));
      return;
    }
    if (this.pendingAck) {
      const a = this.pendingAck;
      this.pendingAck = null;
      this.send(a, this.server!);
    }
  }

  private async start(): Promise<void> {
    const hostname = this.url.hostname.replace(/^\[|\]$/g, '');
    const { address, family } = await dnsLookup(hostname);
    this.host = address;
    this.port = this.url.port ? Number(this.url.port) : 69;
    const sock = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    this.sock = sock;
    sock.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    sock.on('error', (e) => this.destroy(new FetchError('tftp', `tftp: ${e.message}`)));
    const options: Record<string, string> = {};
    if (this.opts.blksize) options.blksize = String(this.opts.blksize);
    // Go's url.Path is the decoded path including its leading slash; send it the same way.
    const filename = decodeURIComponent(this.url.pathname);
    this.opts.log.info(`TFTP RRQ ${redactUrl(this.url.href)}`);
    this.send(encodeRrq(filename, options), { address: this.host, port: this.port });
  }

  private send(buf: Buffer, dest: { address: string; port: number }): void {
    if (!this.sock || this.done) return;
    this.lastSent = buf;
    this.lastDest = dest;
    this.sock.send(buf, dest.port, dest.address);
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onTimeout(), this.timeoutMs);
  }

  private onTimeout(): void {
    if (this.done) return;
    if (this.pendingAck) return this.arm(); // we are the ones holding back (consumer is slow)
    if (++this.tries > this.retries) {
      this.destroy(new FetchError('tftp', 'tftp: timed out waiting for server'));
      return;
    }
    this.opts.log.debug(`TFTP retransmit #${this.tries} to ${this.lastDest?.address}:${this.lastDest?.port}`);
    this.send(this.lastSent, this.lastDest!);
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.done || msg.length < 4) return;
    if (!this.server) {
      if (rinfo.address !== this.host) return;
      this.server = { address: rinfo.address, port: rinfo.port };
    } else if (rinfo.address !== this.server.address || rinfo.port !== this.server.port) {
      this.sock?.send(errorPacket(5, 'Unknown transfer ID'), rinfo.port, rinfo.address);
      return;
    }
    const op = msg.readUInt16BE(0);
    switch (op) {
      case OP_ERROR: {
        const code = msg.readUInt16BE(2);
        const text = msg.subarray(4).toString('utf8').replace(/\0.*$/s, '');
        const e = new FetchError(code === 1 ? 'not-found' : 'tftp', `tftp: server error ${code}: ${text}`);
        return void this.destroy(e);
      }
      case OP_OACK: {
        if (this.expected !== 1) return;
        const o = parseOack(msg);
        const size = o.blksize ? Number(o.blksize) : DEFAULT_BLKSIZE;
        if (!Number.isInteger(size) || size < 8 || size > (this.opts.blksize ?? DEFAULT_BLKSIZE)) {
          this.sock?.send(errorPacket(8, 'Bad option'), rinfo.port, rinfo.address);
          return void this.destroy(new FetchError('tftp', `tftp: server negotiated invalid blksize ${o.blksize}`));
        }
        this.blksize = size;
        this.tries = 0;
        return this.send(ack(0), this.server);
      }
      case OP_DATA: {
        const block = msg.readUInt16BE(2);
        if (block === ((this.expected - 1) & 0xffff)) {
          // our ACK was lost: acknowledge again (unless the consumer still holds that ACK back)
          if (!this.pendingAck) this.send(ack(block), this.server);
          return;
        }
        if (block !== (this.expected & 0xffff)) return;
        const data = msg.subarray(4);
        this.expected++;
        this.tries = 0;
        const last = data.length < this.blksize;
        const more = data.length > 0 ? this.push(Buffer.from(data)) : true;
        if (last) {
          this.finish(ack(block));
          this.push(null);
          return;
        }
        if (more) this.send(ack(block), this.server);
        else {
          this.pendingAck = ack(block);
          this.arm();
        }
        return;
      }
      default:
        return;
    }
  }

  /** Stops timers and closes the socket, after sending `finalAck` if given. */
  private finish(finalAck?: Buffer): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const s = this.sock;
    this.sock = null;
    if (!s) return;
    if (finalAck && this.server) s.send(finalAck, this.server.port, this.server.address, () => s.close());
    else s.close();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    if (!this.done) this.finish();
    cb(err);
  }
}
