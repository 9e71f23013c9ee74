// http(s) sources against real servers on 127.0.0.1: Ignition's retry policy, timeouts, statuses,
// redirects and headers, gzip + hash verification, cleanup of the destination, offline mode.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, fetchResource, fetchToBuffer, isNeedNet, NeedNetError, type FetchOptions, type Resource } from '../../src/fetch/index.js';
import { httpServer, recordingLogger, type Handler, type TestServer } from './helpers.js';

let dir: string;
const servers: TestServer[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kindling-fetch-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(h: Handler): Promise<string> {
  const s = await httpServer(h);
  servers.push(s);
  return s.url;
}

const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('hex');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function expectFetchError(p: Promise<unknown>, message: string | RegExp): Promise<FetchError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FetchError);
  if (typeof message === 'string') expect((e as Error).message).toBe(message);
  else expect((e as Error).message).toMatch(message);
  return e as FetchError;
}

describe('data: and empty sources', () => {
  it('writes a data URL to a file', async () => {
    const path = join(dir, 'data.txt');
    const r = await fetchResource({ source: 'data:,hello%0A' }, { destination: { path } });
    expect(r.bytes).toBe(6);
    expect(readFileSync(path, 'utf8')).toBe('hello\n');
  });
  it('treats an empty source as a no-op', async () => {
    const path = join(dir, 'never');
    expect(await fetchResource({ source: '' }, { destination: { path } })).toEqual({ bytes: 0 });
    expect(await fetchResource({}, { destination: { path } })).toEqual({ bytes: 0 });
    expect(existsSync(path)).toBe(false);
  });
  it('rejects unknown schemes and compression methods', async () => {
    await expectFetchError(fetchToBuffer({ source: 'ftp://h/x' }), 'unsupported source scheme');
    await expectFetchError(fetchToBuffer({ source: 'data:,x', compression: 'xz' }), 'invalid compression method');
  });
});

describe('offline mode', () => {
  it('refuses everything but data: with a distinct error and leaves no file', async () => {
    const path = join(dir, 'offline');
    for (const source of ['http://127.0.0.1:1/x', 'https://h/x', 'tftp://h/x', 's3://b/k', 'gs://b/o', 'weird://x']) {
      const e = await expectFetchError(fetchResource({ source }, { offline: true, destination: { path } }), 'resource requires networking');
      expect(e).toBeInstanceOf(NeedNetError);
      expect(isNeedNet(e)).toBe(true);
    }
    expect(existsSync(path)).toBe(false);
    expect((await fetchToBuffer({ source: 'data:,ok' }, { offline: true })).toString()).toBe('ok');
  });
});

describe('retry policy', () => {
  it('retries 5xx with 200/400/800 ms backoff, then succeeds', async () => {
    const hits: number[] = [];
    const url = await serve((_req, res) => {
      hits.push(Date.now());
      if (hits.length <= 3) {
        res.writeHead(hits.length === 2 ? 503 : 500).end('nope');
        return;
      }
      res.end('finally');
    });
    const log = recordingLogger();
    const body = await fetchToBuffer({ source: `${url}/cfg` }, { log });
    expect(body.toString()).toBe('finally');
    expect(hits).toHaveLength(4);
    const gaps = hits.slice(1).map((t, i) => t - hits[i]);
    [200, 400, 800].forEach((want, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(want - 15);
      expect(gaps[i]).toBeLessThan(want + 400);
    });
    expect(log.lines.filter((l) => /GET http:\/\/127\.0\.0\.1:\d+\/cfg: attempt #\d/.test(l))).toHaveLength(4);
    expect(log.lines).toContain('INFO: GET result: Internal Server Error');
    expect(log.lines).toContain('INFO: GET result: OK');
  });

  it('says so (redacted, with the attempt, the next delay and how to bound it) on the first retry, not on every one', async () => {
    const closed = await serve(() => {});
    await Promise.all(servers.splice(0).map((s) => s.close())); // nothing listens there now
    const log = recordingLogger();
    const signal = AbortSignal.timeout(1700); // attempts at 0, 0.2, 0.6, 1.4 s
    await expect(fetchToBuffer({ source: closed.replace('//', '//user:secret@') + '/cfg?token=abc' }, { log, signal })).rejects.toThrow();
    const notices = log.lines.filter((l) => l.startsWith('WARNING: '));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^WARNING: GET http:\/\/REDACTED@127\.0\.0\.1:\d+\/cfg\?token=REDACTED failed \(.*ECONNREFUSED.*\); attempt 2 in 0\.2 s\. Ignition retries until the source answers: set ignition\.timeouts\.httpTotal \(seconds\) to bound it$/,
    );
    expect(notices[0]).not.toContain('secret');
  });

  it('with httpTotal, the notice says when it gives up', async () => {
    const url = await serve((_req, res) => void res.writeHead(503).end());
    const log = recordingLogger();
    await expect(fetchToBuffer({ source: `${url}/x` }, { log, timeouts: { httpTotal: 1 } })).rejects.toThrow('unable to fetch resource in time');
    const notices = log.lines.filter((l) => l.startsWith('WARNING: '));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^WARNING: GET http:\/\/127\.0\.0\.1:\d+\/x failed \(HTTP 503 Service Unavailable\); attempt 2 in 0\.2 s, giving up in (1|0\.\d) s \(ignition\.timeouts\.httpTotal\)$/,
    );
  });

  it('retries after the server drops the connection', async () => {
    let n = 0;
    const url = await serve((req, res) => {
      if (++n === 1) {
        req.socket.destroy();
        return;
      }
      res.end('second time lucky');
    });
    const log = recordingLogger();
    expect((await fetchToBuffer({ source: `${url}/x` }, { log })).toString()).toBe('second time lucky');
    expect(n).toBe(2);
    expect(log.lines.some((l) => l.startsWith('INFO: GET error: '))).toBe(true);
  });

  it('gives each attempt httpResponseHeaders seconds to answer', async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      if (++n === 1) {
        setTimeout(() => res.end('too late'), 3000).unref();
        return;
      }
      res.end('in time');
    });
    const log = recordingLogger();
    const t0 = Date.now();
    const body = await fetchToBuffer({ source: url }, { log, timeouts: { httpResponseHeaders: 1 } });
    expect(body.toString()).toBe('in time');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(log.lines.some((l) => /GET error: .*timeout awaiting response headers/.test(l))).toBe(true);
  });

  it('stops at httpTotal with "unable to fetch resource in time" (server erroring)', async () => {
    let n = 0;
    const url = await serve((_req, res) => void (n++, res.writeHead(502).end()));
    const t0 = Date.now();
    await expectFetchError(fetchToBuffer({ source: url }, { timeouts: { httpTotal: 1 } }), 'unable to fetch resource in time');
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(990);
    expect(took).toBeLessThan(2000);
    expect(n).toBeGreaterThanOrEqual(3); // 0, +200, +400 ms
  });

  it('stops at httpTotal when the body stalls, removing the partial file', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    const path = join(dir, 'stalled');
    await expectFetchError(
      fetchResource({ source: url }, { destination: { path }, timeouts: { httpTotal: 1, httpResponseHeaders: 0 } }),
      'unable to fetch resource in time',
    );
    expect(existsSync(path)).toBe(false);
  });

  it('maps 404 to "resource not found" and other 4xx to a final failure, without retrying', async () => {
    let n = 0;
    const url = await serve((req, res) => void (n++, res.writeHead(req.url === '/missing' ? 404 : 403).end()));
    await expectFetchError(fetchToBuffer({ source: `${url}/missing` }), 'resource not found');
    await expectFetchError(fetchToBuffer({ source: `${url}/forbidden` }), 'failed to fetch resource');
    expect(n).toBe(2);
  });

  it('removes a pre-created destination file when the fetch fails', async () => {
    const url = await serve((_req, res) => void res.writeHead(404).end());
    const path = join(dir, 'tmp-404');
    writeFileSync(path, 'old');
    await expectFetchError(fetchResource({ source: url }, { destination: { path } }), 'resource not found');
    expect(existsSync(path)).toBe(false);
  });

  it('can append several resources to one caller-owned stream (end: false)', async () => {
    const url = await serve((req, res) => void res.end(`<${req.url}>`));
    const path = join(dir, 'appended');
    const out = createWriteStream(path);
    for (const p of ['/a', '/b']) await fetchResource({ source: url + p }, { destination: { writable: out, end: false } });
    await fetchResource({ source: 'data:,!' }, { destination: { writable: out } });
    await finished(out);
    expect(readFileSync(path, 'utf8')).toBe('</a></b>!');
  });

  it('accepts 204 as an empty body', async () => {
    const url = await serve((_req, res) => void res.writeHead(204).end());
    expect((await fetchToBuffer({ source: url })).length).toBe(0);
  });
});

describe('headers and redirects', () => {
  it('sends defaults, lets config headers override them, and drops config headers on redirect', async () => {
    const seen: Record<string, Record<string, string | string[] | undefined>> = {};
    const url = await serve((req, res) => {
      seen[req.url ?? ''] = req.headers;
      if (req.url === '/start') res.writeHead(302, { location: '/final' }).end();
      else res.end('landed');
    });
    const log = recordingLogger();
    const res: Resource = {
      source: `${url}/start`,
      httpHeaders: [
        { name: 'X-Secret', value: 'hunter2-value' },
        { name: 'Accept', value: 'application/x-custom' },
      ],
    };
    expect((await fetchToBuffer(res, { log })).toString()).toBe('landed');
    expect(seen['/start']['x-secret']).toBe('hunter2-value');
    expect(seen['/start'].accept).toBe('application/x-custom');
    expect(seen['/start']['user-agent']).toMatch(/^Kindling\//);
    expect(seen['/start']['accept-encoding']).toBe('identity');
    expect(seen['/final']['x-secret']).toBeUndefined();
    expect(seen['/final'].accept).toBe('*/*');
    expect(seen['/final']['user-agent']).toMatch(/^Kindling\//);
    expect(log.lines.join('\n')).not.toContain('hunter2-value');
  });

  it('keeps a caller-chosen Accept and User-Agent across redirects', async () => {
    const seen: Record<string, string | undefined> = {};
    const url = await serve((req, res) => {
      seen[req.url ?? ''] = `${req.headers.accept} | ${req.headers['user-agent']}`;
      if (req.url === '/cfg') res.writeHead(307, { location: '/real.ign' }).end();
      else res.end('{}');
    });
    const accept = 'application/vnd.coreos.ignition+json;version=3.6.0, */*;q=0.1';
    await fetchToBuffer({ source: `${url}/cfg` }, { accept, userAgent: 'Kindling/9.9' });
    expect(seen).toEqual({ '/cfg': `${accept} | Kindling/9.9`, '/real.ign': `${accept} | Kindling/9.9` });
  });

  it('gives up a redirect loop after 10 hops (as a retried transport error)', async () => {
    let n = 0;
    const url = await serve((_req, res) => void (n++, res.writeHead(301, { location: '/again' }).end()));
    const log = recordingLogger();
    await expectFetchError(fetchToBuffer({ source: url }, { log, timeouts: { httpTotal: 1 } }), 'unable to fetch resource in time');
    expect(log.lines.some((l) => l.includes('stopped after 10 redirects'))).toBe(true);
    expect(n).toBeGreaterThanOrEqual(10);
  });

  it('redacts credentials in logs and errors', async () => {
    const auth: (string | undefined)[] = [];
    const url = await serve((req, res) => void (auth.push(req.headers.authorization), res.writeHead(500).end()));
    const log = recordingLogger();
    const secretUrl = url.replace('http://', 'http://admin:s3cr3tpw@') + '/x?token=abcdef123&ok=1';
    const e = await expectFetchError(fetchToBuffer({ source: secretUrl }, { log, timeouts: { httpTotal: 1 } }), 'unable to fetch resource in time');
    const all = log.lines.join('\n') + e.message;
    expect(all).not.toMatch(/s3cr3tpw|abcdef123/);
    expect(all).toContain('REDACTED@127.0.0.1');
    // userinfo is sent the way Go's client does: as Basic auth
    expect(auth[0]).toBe(`Basic ${Buffer.from('admin:s3cr3tpw').toString('base64')}`);
  });
});

describe('gzip and verification', () => {
  const content = Buffer.from('kindling '.repeat(10_000));
  const gz = gzipSync(content);

  it('decompresses and verifies sha512 and sha256 of the decompressed bytes', async () => {
    const url = await serve((_req, res) => void res.end(gz));
    for (const hash of [`sha512-${sha512(content)}`, `sha256-${sha256(content)}`]) {
      const path = join(dir, 'gz-ok');
      const r = await fetchResource({ source: url, compression: 'gzip', verification: { hash } }, { destination: { path } });
      expect(r.bytes).toBe(content.length);
      expect(readFileSync(path).equals(content)).toBe(true);
    }
  });

  it('fails on a mismatch with the Ignition message and removes the temp file', async () => {
    const url = await serve((_req, res) => void res.end(gz));
    const path = join(dir, 'gz-bad');
    writeFileSync(path, ''); // the caller created the temp file beforehand
    const wrong = 'ab'.repeat(64);
    const e = await expectFetchError(
      fetchResource({ source: url, compression: 'gzip', verification: { hash: `sha512-${wrong}` } }, { destination: { path } }),
      `hash verification failed (calculated ${sha512(content)} but expected ${wrong})`,
    );
    expect(e.code).toBe('hash-mismatch');
    expect(existsSync(path)).toBe(false);
  });

  it('hashes the compressed bytes only when no compression is declared', async () => {
    const url = await serve((_req, res) => void res.end(gz));
    const got = await fetchToBuffer({ source: url, verification: { hash: `sha256-${sha256(gz)}` } });
    expect(got.equals(gz)).toBe(true);
  });

  it('reports corrupt gzip data and leaves nothing behind', async () => {
    const url = await serve((_req, res) => void res.end(Buffer.from('definitely not gzip')));
    const path = join(dir, 'gz-corrupt');
    await expectFetchError(fetchResource({ source: url, compression: 'gzip' }, { destination: { path } }), /^gzip: /);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses compression for s3 sources before any network access', async () => {
    const opts: FetchOptions = { endpoints: { awsMetadata: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:1' } };
    await expectFetchError(fetchToBuffer({ source: 's3://b/k', compression: 'gzip' }, opts), 'compression is not supported with that scheme');
    await expectFetchError(fetchToBuffer({ source: 'arn:aws:s3:::b/k', compression: 'gzip' }, opts), 'compression is not supported with that scheme');
  });

  it('caps in-memory fetches', async () => {
    const url = await serve((_req, res) => void res.end(Buffer.alloc(4096)));
    await expectFetchError(fetchToBuffer({ source: url }, { maxBytes: 1000 }), /larger than 1000 bytes/);
  });
});
