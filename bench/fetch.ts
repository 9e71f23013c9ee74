// Resource fetch throughput: a 200 MB body served over loopback HTTP by an in-process server,
// fetched with fetchResource into a discarding sink (network + pipeline cost, no disk).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { fetchResource } from '../src/fetch/index.js';

const SIZE = 200 * 1000 * 1000;
const CHUNK = 1024 * 1024;

/** Returns throughput in MB/s (10^6 bytes per second). */
export async function benchFetch(): Promise<number> {
  const block = randomBytes(CHUNK);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-length': String(SIZE) });
    let left = SIZE;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(CHUNK, left);
        left -= n;
        // the block is never mutated, so the same buffer can be queued many times
        if (!res.write(n === CHUNK ? block : block.subarray(0, n))) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const t0 = process.hrtime.bigint();
    const r = await fetchResource({ source: `http://127.0.0.1:${port}/bench` }, { destination: { writable: sink } });
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.bytes !== SIZE) throw new Error(`benchFetch: got ${r.bytes} bytes, want ${SIZE}`);
    return SIZE / 1e6 / secs;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
