// Test fixtures for the fetcher: real servers on 127.0.0.1 (HTTP(S), forward proxy, TFTP), a CA
// made with the openssl CLI, and a log recorder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dgram from 'node:dgram';
import type { Logger } from '../../src/host/host.js';
import { recordOutput } from '../support/leak-sink.js';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function track(server: net.Server): () => Promise<void> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function httpServer(handler: Handler): Promise<TestServer> {
  const server = http.createServer(handler);
  const close = track(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, close };
}

export async function httpsServer(handler: Handler, tls: { key: string; cert: string }): Promise<TestServer> {
  const server = https.createServer({ key: tls.key, cert: tls.cert }, handler);
  const close = track(server);
  const port = await listen(server);
  return { url: `https://127.0.0.1:${port}`, port, close };
}

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const rec = (lvl: string) => (m: string) => {
    lines.push(`${lvl}: ${m}`);
    recordOutput(`${lvl}: ${m}\n`); // logs are scanned for secrets too
  };
  return { lines, debug: rec('DEBUG'), info: rec('INFO'), warn: rec('WARNING'), error: rec('ERROR') };
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export interface Pki {
  caPem: string;
  serverKey: string;
  serverCert: string;
}

/** A CA and a server certificate it signed (SAN 127.0.0.1, localhost, *.kindling.test). */
export function makePki(kind: 'rsa' | 'ec'): Pki {
  const dir = mkdtempSync(join(tmpdir(), `kindling-pki-${kind}-`));
  const p = (f: string) => join(dir, f);
  const keyArgs = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  try {
    run([
      'req',
      '-x509',
      ...keyArgs,
      '-nodes',
      '-keyout',
      p('ca.key'),
      '-out',
      p('ca.pem'),
      '-days',
      '2',
      '-subj',
      `/CN=Kindling Test ${kind.toUpperCase()} CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    run(['req', ...keyArgs, '-nodes', '-keyout', p('srv.key'), '-out', p('srv.csr'), '-subj', '/CN=127.0.0.1']);
    writeFileSync(
      p('ext.cnf'),
      [
        'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:*.kindling.test',
        'basicConstraints=CA:FALSE',
        `keyUsage=critical,digitalSignature${kind === 'rsa' ? ',keyEncipherment' : ''}`,
        'extendedKeyUsage=serverAuth',
        '',
      ].join('\n'),
    );
    run([
      'x509',
      '-req',
      '-in',
      p('srv.csr'),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p('srv.pem'),
      '-days',
      '2',
      '-extfile',
      p('ext.cnf'),
    ]);
    return { caPem: readFileSync(p('ca.pem'), 'utf8'), serverKey: readFileSync(p('srv.key'), 'utf8'), serverCert: readFileSync(p('srv.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resolves every name to 127.0.0.1 (for names that must not look like loopback to the proxy logic). */
export const loopbackLookup = ((_host: string, options: unknown, cb: (...a: unknown[]) => void) => {
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
  if (all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
}) as unknown as net.LookupFunction;

/**
 * Forward proxy: absolute-form requests for http:// targets, CONNECT tunnels for https://. Every
 * target host is reached on 127.0.0.1 (the port is kept), so test names need no DNS.
 */
export async function forwardProxy(): Promise<TestServer & { seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = http.request(
      { host: '127.0.0.1', port: target.port || 80, method: req.method, path: target.pathname + target.search, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const port = Number((req.url ?? '').split(':').pop());
    const up = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  const close = track(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, close, seen };
}

// ---- TFTP server (RFC 1350 + optional RFC 2347/2348 blksize) ----------------------------------

export interface TftpServerOptions {
  files: Record<string, Buffer>;
  /** Honour the blksize option with an OACK (otherwise options are ignored, plain 512). */
  options?: boolean;
  /** Block numbers whose first transmission is "lost". */
  drop?: number[];
}

export interface TftpServer {
  port: number;
  requests: { filename: string; mode: string; options: Record<string, string> }[];
  close(): Promise<void>;
}

export async function tftpServer(opts: TftpServerOptions): Promise<TftpServer> {
  const main = dgram.createSocket('udp4');
  const transfers = new Set<dgram.Socket>();
  const requests: TftpServer['requests'] = [];
  const dropped = new Set<number>();
  main.on('message', (msg, rinfo) => {
    if (msg.readUInt16BE(0) !== 1) return;
    const fields = msg.subarray(2).toString('utf8').split('\0');
    const [filename, mode] = fields;
    const options: Record<string, string> = {};
    for (let i = 2; i + 1 < fields.length; i += 2) if (fields[i]) options[fields[i].toLowerCase()] = fields[i + 1];
    requests.push({ filename, mode, options });
    const sock = dgram.createSocket('udp4'); // new TID per transfer
    transfers.add(sock);
    sock.bind(0, '127.0.0.1', () => {
      const data = opts.files[filename];
      const send = (b: Buffer) => sock.send(b, rinfo.port, rinfo.address);
      if (!data) {
        send(Buffer.concat([Buffer.from([0, 5, 0, 1]), Buffer.from('File not found\0')]));
        return;
      }
      const blksize = opts.options && options.blksize ? Math.min(Number(options.blksize), 65464) : 512;
      const total = Math.floor(data.length / blksize) + 1; // last block is short (maybe empty)
      let current = opts.options && options.blksize ? 0 : 1;
      let timer: NodeJS.Timeout | null = null;
      const packet = (n: number) => {
        if (n === 0) return Buffer.concat([Buffer.from([0, 6]), Buffer.from(`blksize\0${blksize}\0`)]);
        const head = Buffer.alloc(4);
        head.writeUInt16BE(3, 0);
        head.writeUInt16BE(n & 0xffff, 2);
        return Buffer.concat([head, data.subarray((n - 1) * blksize, n * blksize)]);
      };
      const transmit = () => {
        if (timer) clearTimeout(timer);
        if (!transfers.has(sock)) return; // server closed
        timer = setTimeout(transmit, 300);
        if (opts.drop?.includes(current) && !dropped.has(current)) {
          dropped.add(current);
          return;
        }
        send(packet(current));
      };
      sock.on('message', (m) => {
        if (m.readUInt16BE(0) !== 4 || m.readUInt16BE(2) !== (current & 0xffff)) return;
        if (current === total) {
          if (timer) clearTimeout(timer);
          sock.close();
          transfers.delete(sock);
          return;
        }
        current++;
        transmit();
      });
      transmit();
    });
  });
  await new Promise<void>((resolve) => main.bind(0, '127.0.0.1', resolve));
  return {
    port: main.address().port,
    requests,
    close: async () => {
      for (const s of [...transfers]) {
        transfers.delete(s);
        try {
          s.close();
        } catch {
          // already closed
        }
      }
      await new Promise<void>((resolve) => main.close(() => resolve()));
    },
  };
}
