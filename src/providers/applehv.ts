// Apple Hypervisor (podman machine, vfkit): the host serves the config over HTTP on vsock port 1024
// of CID 2 (the host). Node has no AF_VSOCK, so the exchange goes through
// `socat - VSOCK-CONNECT:2:1024` with a plain HTTP/1.0 GET (no chunking, the server closes).
// `modprobe vsock` first when the driver is missing. No network needed (vsock is not the network).
// Beyond Ignition, which parses whatever body comes back: a 404 is `resource not found` and any
// other non-2xx answer `failed to fetch resource`.
import { commandError } from '../host/host.js';
import { USER_AGENT } from '../fetch/http.js';
import { failed, notFound } from '../fetch/errors.js';
import { loadModuleUnless } from './kernel.js';
import type { Provider } from './provider.js';

export const VSOCK_ADDRESS = 'VSOCK-CONNECT:2:1024';

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Parses an HTTP/1.x response as read off the wire (chunked bodies decoded). Pure. */
export function parseHttpResponse(raw: Buffer): RawHttpResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('malformed HTTP response: no end of headers');
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/\d\.\d (\d{3})/.exec(lines[0]);
  if (!m) throw new Error(`malformed HTTP response: ${JSON.stringify(lines[0].slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const colon = l.indexOf(':');
    if (colon > 0) headers[l.slice(0, colon).trim().toLowerCase()] = l.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status: Number(m[1]), headers, body };
}

function dechunk(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', at);
    if (eol < 0) throw new Error('malformed chunked body');
    const size = parseInt(b.subarray(at, eol).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size)) throw new Error('malformed chunked body');
    if (size === 0) return Buffer.concat(parts);
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

export const applehv: Provider = {
  id: 'applehv',
  async fetch(ctx) {
    try {
      await loadModuleUnless(ctx, 'devices/virtual/misc/vsock', 'vsock', 'Loading vsock kernel module');
    } catch (e) {
      ctx.log.error(`failed to install vsock kernel module: ${(e as Error).message}`);
      throw new Error(`failed to install vsock kernel module: ${(e as Error).message}`);
    }
    // the host name is meaningless over vsock; HTTP/1.0 makes the server close after the answer
    const request = `GET / HTTP/1.0\r\nHost: d\r\nUser-Agent: ${USER_AGENT}\r\nAccept: application/json\r\n\r\n`;
    // socat's -t also bounds the wait for the answer after our request is sent: never leave it at 0.5 s
    const secs = String(ctx.fetchTimeoutMs > 0 ? Math.ceil(ctx.fetchTimeoutMs / 1000) : 120);
    const argv = [ctx.host.tools.socat, '-t', secs, '-T', secs, '-', VSOCK_ADDRESS];
    ctx.log.info(`GET http://d/ over vsock: executing: ${JSON.stringify(argv)}`);
    const r = await ctx.host.run(argv, { input: request });
    if (r.code !== 0) throw new Error(commandError(argv, r));
    const res = parseHttpResponse(Buffer.from(r.stdout, 'utf8'));
    ctx.log.info(`GET result: ${res.status}`);
    if (res.status === 404) throw notFound();
    if (res.status !== 200 && res.status !== 204) throw failed(undefined, res.status);
    return { config: res.body };
  },
};
