// The HTTP connectors (src/fetch/client.ts) against real servers on 127.0.0.1: what goes on the
// wire (the Host header, connection reuse) and how a cut-short body fails.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { directConnector, request, socketConnector, type HttpResponse } from '../../src/fetch/client.js';

const closers: (() => void)[] = [];
afterAll(() => closers.forEach((c) => c()));

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

async function text(res: HttpResponse): Promise<string> {
  let out = '';
  for await (const chunk of res.body) out += String(chunk);
  return out;
}

describe('directConnector', () => {
  it('sends the URL host as Host and keeps the connection for the next request', async () => {
    const sockets = new Set<net.Socket>();
    const server = http.createServer((req, res) => res.end(`${req.headers.host} ${req.url}`));
    server.on('connection', (s) => sockets.add(s));
    const port = await listen(server);
    const c = directConnector({ connectTimeoutMs: 5000 });
    try {
      const a = await request(`http://user:pw@127.0.0.1:${port}/a?x=1#frag`, c, { headers: {} });
      expect(a.statusCode).toBe(200);
      expect(await text(a)).toBe(`127.0.0.1:${port} /a?x=1`);
      const b = await request(`http://127.0.0.1:${port}/b`, c, { headers: {} });
      expect(await text(b)).toBe(`127.0.0.1:${port} /b`);
      expect(sockets.size).toBe(1);
    } finally {
      await c.destroy();
    }
  });

  it('refuses schemes other than http and https by name', async () => {
    await expect(request('file:///etc/passwd', directConnector({ connectTimeoutMs: 1000 }), { headers: {} })).rejects.toThrow(/Invalid URL protocol: file:/);
  });

  it('fails a body cut short with unexpected EOF and the announced length', async () => {
    const server = net.createServer((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly a part')));
    const port = await listen(server);
    const c = directConnector({ connectTimeoutMs: 5000 });
    try {
      const res = await request(`http://127.0.0.1:${port}/`, c, { headers: {} });
      await expect(text(res)).rejects.toThrow('unexpected EOF: the connection closed before the end of the body (Content-Length 100)');
    } finally {
      await c.destroy();
    }
  });

  it('gives up on headers that never come, once the request is sent', async () => {
    const server = net.createServer(() => {}); // accepts, never answers
    const port = await listen(server);
    const c = directConnector({ connectTimeoutMs: 5000 });
    try {
      const t0 = Date.now();
      await expect(request(`http://127.0.0.1:${port}/`, c, { headers: {}, headersTimeoutMs: 300 })).rejects.toThrow(
        'timeout awaiting response headers (0.3 s)',
      );
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    } finally {
      await c.destroy();
    }
  });
});

describe('socketConnector', () => {
  it("dials where the opener says and still names the URL's host", async () => {
    const server = http.createServer((req, res) => res.end(String(req.headers.host)));
    const port = await listen(server);
    const dialled: string[] = [];
    const c = socketConnector((host, p, done) => {
      dialled.push(`${host}:${p}`);
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => done(null, s));
      s.once('error', (e) => done(e));
    });
    try {
      const res = await request('http://[fe80::a9fe:a9fe]:8080/x', c, { headers: {} });
      expect(await text(res)).toBe('[fe80::a9fe:a9fe]:8080');
      expect(dialled).toEqual(['fe80::a9fe:a9fe:8080']);
    } finally {
      await c.destroy();
    }
  });
});
