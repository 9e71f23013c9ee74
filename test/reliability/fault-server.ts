// A server on 127.0.0.1 that misbehaves on purpose, one fault per path, written on raw TCP so that
// every byte on the wire is chosen (a body longer than its Content-Length, a reset mid-body). The
// same faults over TLS with a certificate nobody trusts, and a 1 GiB body generated in another
// process, so no test holds it in memory.
import { spawn, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { makePki } from '../fetch/helpers.js';

/** Every fault of issue 13 §1, by the path that serves it. */
export const FAULTS = [
  'hang', // accepts, never answers
  'stall', // headers, then the body stops
  'reset', // connection reset mid-body
  'flaky', // 500, 500, then 200
  'down', // 500 forever
  'throttle', // 429 with Retry-After
  'drip', // 1 byte per second
  'long', // more bytes than Content-Length
  'short', // fewer bytes than Content-Length, then close
  'hash', // the right body, checked against a wrong hash
  'loop', // redirects to itself
  'scheme', // redirects to file:///etc/passwd
  'gzip', // declared gzip, not gzip
  'untrusted', // TLS with a certificate from an unknown CA
  'huge', // a 1 GiB body
] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** https://127.0.0.1:PORT, certificate signed by a CA the client does not know. */
  tlsOrigin: string;
  /** Arrival times (ms since the epoch) of the requests for each path. */
  hits: Map<string, number[]>;
  close(): Promise<void>;
}

const CRLF = '\r\n';
const head = (status: string, headers: Record<string, string | number>) =>
  `HTTP/1.1 ${status}${CRLF}${Object.entries({ connection: 'close', ...headers })
    .map(([k, v]) => `${k}: ${v}${CRLF}`)
    .join('')}${CRLF}`;

/**
 * `good` is what a well-behaved server would send (a file, a config, a PEM bundle). The first path
 * segment that is a fault's name picks the fault (`/flaky/metadata/v1/user-data?token=x`); a path
 * without one answers `good`.
 */
export async function faultServer(good: Buffer): Promise<FaultServer> {
  const hits = new Map<string, number[]>();
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const count = (p: string) => (hits.get(p) ?? []).length;

  const answer = (sock: net.Socket, target: string) => {
    const path = target.split('?')[0];
    const list = hits.get(path) ?? [];
    list.push(Date.now());
    hits.set(path, list);
    const fault = (path.split('/').find((seg) => (FAULTS as readonly string[]).includes(seg)) ?? 'ok') as Fault | 'ok';
    switch (fault) {
      case 'hang':
        return;
      case 'stall':
        sock.write(head('200 OK', { 'content-length': good.length + 1000 }));
        sock.write(good.subarray(0, Math.min(3, good.length)));
        return;
      case 'reset':
        sock.write(head('200 OK', { 'content-length': good.length + 100_000 }));
        sock.write(good);
        setTimeout(() => sock.resetAndDestroy(), 50);
        return;
      case 'flaky':
        if (count(path) <= 2) return void sock.end(head('500 Internal Server Error', { 'content-length': 4 }) + 'oops');
        break;
      case 'down':
        return void sock.end(head('500 Internal Server Error', { 'content-length': 4 }) + 'oops');
      case 'throttle':
        return void sock.end(head('429 Too Many Requests', { 'retry-after': 1, 'content-length': 4 }) + 'slow');
      case 'drip': {
        sock.write(head('200 OK', { 'content-length': good.length + 1000 }));
        let i = 0;
        const t = setInterval(() => (sock.destroyed ? clearInterval(t) : sock.write(Buffer.from([good[i++ % good.length]]))), 1000);
        timers.add(t as unknown as NodeJS.Timeout);
        return;
      }
      case 'long':
        return void sock.end(
          Buffer.concat([Buffer.from(head('200 OK', { 'content-length': good.length })), good, Buffer.from('TRAILING-GARBAGE\n'.repeat(4))]),
        );
      case 'short':
        return void sock.end(Buffer.concat([Buffer.from(head('200 OK', { 'content-length': good.length + 50 })), good]));
      case 'loop':
        return void sock.end(head('302 Found', { location: `${path}?again=${count(path)}`, 'content-length': 0 }));
      case 'scheme':
        return void sock.end(head('302 Found', { location: 'file:///etc/passwd', 'content-length': 0 }));
      case 'gzip':
        return void sock.end(Buffer.concat([Buffer.from(head('200 OK', { 'content-length': good.length + 2 })), Buffer.from([0x1f, 0x8b]), good]));
    }
    sock.end(Buffer.concat([Buffer.from(head('200 OK', { 'content-length': good.length })), good]));
  };

  const onConnection = (sock: net.Socket) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = '';
    const onData = (b: Buffer) => {
      buf += b.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      sock.off('data', onData);
      const target = buf.slice(0, buf.indexOf('\r\n')).split(' ')[1] ?? '/';
      answer(sock, target);
    };
    sock.on('data', onData);
  };

  const plain = net.createServer(onConnection);
  const pki = makePki('ec');
  const secure = tls.createServer({ key: pki.serverKey, cert: pki.serverCert }, onConnection);
  secure.on('tlsClientError', () => {});
  const listen = (s: net.Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
  const [p1, p2] = [await listen(plain), await listen(secure)];
  return {
    origin: `http://127.0.0.1:${p1}`,
    tlsOrigin: `https://127.0.0.1:${p2}`,
    hits,
    close: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await Promise.all([plain, secure].map((s) => new Promise((r) => s.close(r))));
    },
  };
}

const GENERATOR = fileURLToPath(new URL('../fetch/fixtures/stream-server.mjs', import.meta.url));

/** Serves `bytes` generated on the fly from another process; `url` answers every GET with them. */
export async function bigBodyServer(bytes: number): Promise<{ url: string; sha512: string; stop(): void }> {
  const child: ChildProcess = spawn(process.execPath, [GENERATOR, String(bytes)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = await new Promise<{ port: number; sha512: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (\d+) ([0-9a-f]{128})/.exec(out);
      if (m) resolve({ port: Number(m[1]), sha512: m[2] });
    });
    child.on('exit', (code) => reject(new Error(`generator exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${ready.port}/huge`, sha512: ready.sha512, stop: () => child.stdin!.end() };
}

/** Peak resident memory (VmHWM) of a live process, in MB; 0 once it is gone. */
export function peakRssMb(pid: number, fs: typeof import('node:fs')): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
