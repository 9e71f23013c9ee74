// The network providers beyond the recorded transcripts: fetch-offline, token expiry, a metadata
// service that starts late or answers slowly, bounded retries, base64 and gzip bodies, scaleway's
// privileged source ports, openstack's IPv6 URLs, cloudstack's lease, packet's status events.
// Every server listens on 127.0.0.1 and reaches a provider only through seams.metadataOrigin.
import * as fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../../src/fetch/client.js';
import { pinnedConnector } from '../../src/fetch/connect.js';
import { NeedNetError } from '../../src/fetch/errors.js';
import { getProvider } from '../../src/providers/registry.js';
import { makeCtx, outcome, routeServer, tmpDir, type Route } from './helpers.js';

const CONFIG = '{"ignition":{"version":"3.4.0"}}\n';
const NETWORK = [
  'akamai',
  'aliyun',
  'aws',
  'azure',
  'brightbox',
  'cloudstack',
  'digitalocean',
  'exoscale',
  'gcp',
  'hetzner',
  'openstack',
  'oraclecloud',
  'packet',
  'scaleway',
  'upcloud',
  'vultr',
];

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function serve(routes: Route[]) {
  const s = await routeServer(routes);
  cleanups.push(() => s.close());
  return s;
}

describe('fetch-offline', () => {
  it.each(NETWORK)('%s needs the network: NeedNetError, and nothing is sent', async (id) => {
    const s = await serve([]);
    const ctx = makeCtx({ offline: true, seams: { metadataOrigin: s.url, ipv6Interfaces: [] } });
    const p = getProvider(id)!;
    const r = await outcome(
      (async () => {
        await p.init?.(ctx);
        return p.fetch(ctx);
      })(),
    );
    expect(r.error).toBeInstanceOf(NeedNetError);
    expect(r.error!.message).toBe('resource requires networking');
    expect(s.seen).toEqual([]);
  });
});

describe('tokens', () => {
  it('aws: an expired token (401) gets one fresh token and one more try', async () => {
    let n = 0;
    const server = http.createServer((req, res) => {
      if (req.method === 'PUT') return void res.end(++n === 1 ? 'tok-1' : 'tok-2');
      if (req.headers['x-aws-ec2-metadata-token'] !== 'tok-2') return void res.writeHead(401).end();
      res.end(CONFIG);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const ctx = makeCtx({ seams: { metadataOrigin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } });
    const got = await getProvider('aws')!.fetch(ctx);
    expect(got.config!.toString()).toBe(CONFIG);
    expect(n).toBe(2);
    expect(ctx.log.lines).toContain('WARNING: IMDSv2 token refused (401); getting a new one');
  });

  it('aws: a token refused for good fails with failed to fetch resource', async () => {
    const s = await serve([
      { method: 'PUT', url: '/latest/api/token', responses: [{ status: 200, body: 'tok' }] },
      { method: 'GET', url: '/2019-10-01/user-data', responses: [{ status: 401 }] },
    ]);
    const r = await outcome(getProvider('aws')!.fetch(makeCtx({ seams: { metadataOrigin: s.url } })));
    expect(r.error?.message).toBe('failed to fetch resource');
    expect(s.seen.map((x) => `${x.method} ${x.url}`)).toEqual([
      'PUT /latest/api/token',
      'GET /2019-10-01/user-data',
      'PUT /latest/api/token',
      'GET /2019-10-01/user-data',
    ]);
  });

  it('akamai: a token refused mid-way is renewed once; refused again, the error says so', async () => {
    const b64 = Buffer.from(CONFIG).toString('base64');
    const s = await serve([
      {
        method: 'PUT',
        url: '/v1/token',
        responses: [
          { status: 200, body: 'old\n' },
          { status: 200, body: 'new\n' },
        ],
      },
      { method: 'GET', url: '/v1/user-data', responses: [{ status: 401 }, { status: 200, body: b64 }] },
    ]);
    const ctx = makeCtx({ seams: { metadataOrigin: s.url } });
    expect((await getProvider('akamai')!.fetch(ctx)).config!.toString()).toBe(CONFIG);
    expect(s.seen.map((x) => x.headers['metadata-token'] ?? x.method)).toEqual(['PUT', 'old', 'PUT', 'new']);

    const refused = await serve([
      { method: 'PUT', url: '/v1/token', responses: [{ status: 200, body: 't' }] },
      { method: 'GET', url: '/v1/user-data', responses: [{ status: 401 }] },
    ]);
    const r = await outcome(getProvider('akamai')!.fetch(makeCtx({ seams: { metadataOrigin: refused.url } })));
    expect(r.error?.message).toBe('fetch userdata: failed to fetch resource');
  });
});

describe('a metadata service that is slow or down', () => {
  it('starts late: connection refused is retried until it listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.end(CONFIG);
    });
    const started = Date.now();
    setTimeout(() => server.listen(port, '127.0.0.1'), 500);
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const ctx = makeCtx({ fetchTimeoutMs: 5000, seams: { metadataOrigin: `http://127.0.0.1:${port}` } });
    const got = await getProvider('hetzner')!.fetch(ctx);
    expect(got.config!.toString()).toBe(CONFIG);
    expect(hits).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(ctx.log.lines.filter((l) => l.startsWith('INFO: GET http://127.0.0.1') && l.includes('attempt #')).length).toBeGreaterThanOrEqual(3);
    expect(ctx.log.lines.some((l) => l.includes('GET error:'))).toBe(true);
  });

  it('answers slowly: a late answer within the timeout is taken', async () => {
    const s = await serve([{ method: 'GET', url: '/user-data/user-data', responses: [{ status: 200, body: CONFIG, delayMs: 400 }] }]);
    const got = await getProvider('vultr')!.fetch(makeCtx({ fetchTimeoutMs: 2000, seams: { metadataOrigin: s.url } }));
    expect(got.config!.toString()).toBe(CONFIG);
  });

  it('answers 500 forever: the fetch timeout ends it, with Ignition backoff in between', async () => {
    const s = await serve([{ method: 'GET', url: '/metadata/v1/user_data', responses: [{ status: 500 }] }]);
    const t0 = Date.now();
    const r = await outcome(getProvider('upcloud')!.fetch(makeCtx({ fetchTimeoutMs: 700, seams: { metadataOrigin: s.url } })));
    expect(r.error?.message).toBe('unable to fetch resource in time');
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(s.seen.map((x) => Math.round(x.t * 10) / 10)).toEqual([0, 0.2, 0.6]);
  });

  it('stops at once when the stage gives up', async () => {
    const s = await serve([{ method: 'GET', url: '/1.0/user-data', responses: [{ status: 503 }] }]);
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('stage gave up')), 300);
    const t0 = Date.now();
    const r = await outcome(getProvider('exoscale')!.fetch(makeCtx({ fetchTimeoutMs: 60_000, signal: abort.signal, seams: { metadataOrigin: s.url } })));
    expect(r.error).toBeDefined();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('bodies', () => {
  it('oraclecloud: base64 decoded; garbage is a decoding error; the bearer header is sent', async () => {
    const s = await serve([
      {
        method: 'GET',
        url: '/opc/v2/instance/metadata/user_data',
        responses: [
          { status: 200, body: `${Buffer.from(CONFIG).toString('base64')}\n` },
          { status: 200, body: CONFIG },
        ],
      },
    ]);
    const ctx = makeCtx({ seams: { metadataOrigin: s.url } });
    expect((await getProvider('oraclecloud')!.fetch(ctx)).config!.toString()).toBe(CONFIG);
    expect(s.seen[0].headers.authorization).toBe('Bearer Oracle');
    const r = await outcome(getProvider('oraclecloud')!.fetch(ctx));
    expect(r.error?.message).toBe('decoding userdata: illegal base64 data at input byte 0');
  });

  it('azure: base64 with line breaks; undecodable data is an error', async () => {
    const b64 = Buffer.from(CONFIG)
      .toString('base64')
      .replace(/(.{8})/g, '$1\r\n');
    const url = '/metadata/instance/compute/userData?api-version=2021-01-01&format=text';
    const s = await serve([
      {
        method: 'GET',
        url,
        responses: [
          { status: 200, body: b64 },
          { status: 200, body: '%%%' },
        ],
      },
    ]);
    const ctx = makeCtx({ seams: { metadataOrigin: s.url } });
    expect((await getProvider('azure')!.fetch(ctx)).config!.toString()).toBe(CONFIG);
    expect(s.seen[0].headers.metadata).toBe('true');
    expect((await outcome(getProvider('azure')!.fetch(ctx))).error?.message).toBe('decoding userdata: illegal base64 data at input byte 0');
  });

  it('akamai: base64 of gzip is gunzipped; a broken gzip is an unzip error', async () => {
    const gz = gzipSync(CONFIG);
    const s = await serve([
      { method: 'PUT', url: '/v1/token', responses: [{ status: 200, body: 't' }] },
      {
        method: 'GET',
        url: '/v1/user-data',
        responses: [
          { status: 200, body: gz.toString('base64') },
          { status: 200, body: gz.subarray(0, 20).toString('base64') },
        ],
      },
    ]);
    const ctx = makeCtx({ seams: { metadataOrigin: s.url } });
    expect((await getProvider('akamai')!.fetch(ctx)).config!.toString()).toBe(CONFIG);
    expect((await outcome(getProvider('akamai')!.fetch(ctx))).error?.message).toBe('unzip: unexpected EOF');
  });

  it('gcp: a raw gzip body is handed over untouched (the engine un-gzips whole configs)', async () => {
    const gz = gzipSync(CONFIG);
    const s = await serve([
      { method: 'GET', url: '/computeMetadata/v1/instance/attributes/user-data', responses: [{ status: 200, bodyB64: gz.toString('base64') }] },
    ]);
    const got = await getProvider('gcp')!.fetch(makeCtx({ seams: { metadataOrigin: s.url } }));
    expect(got.config!.equals(gz)).toBe(true);
    expect(s.seen[0].headers['metadata-flavor']).toBe('Google');
  });
});

describe.skipIf(process.getuid?.() !== 0)('scaleway source ports (needs root)', () => {
  it('every connection comes from a port below 1024, also after the server closes it', async () => {
    let n = 0;
    const ports: number[] = [];
    const server = http.createServer((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      // close each connection, so every retry needs a new one (Ignition's fails to bind here)
      if (++n < 3) return void res.writeHead(500, { connection: 'close' }).end();
      res.writeHead(200, { connection: 'close' }).end(CONFIG);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const got = await getProvider('scaleway')!.fetch(makeCtx({ seams: { metadataOrigin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } }));
    expect(got.config!.toString()).toBe(CONFIG);
    expect(ports).toHaveLength(3);
    for (const p of ports) (expect(p).toBeGreaterThan(0), expect(p).toBeLessThan(1024));
  });
});

describe('openstack metadata URLs', () => {
  it('asks the IPv4 and one IPv6 URL per interface at once; the first answer wins', async () => {
    const s = await serve([{ method: 'GET', url: '/openstack/latest/user_data', responses: [{ status: 200, body: CONFIG, delayMs: 100 }] }]);
    const dir = tmpDir('os');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const ctx = makeCtx({ seams: { metadataOrigin: s.url, ipv6Interfaces: ['eth0', 'eth1'], byLabelDir: dir } });
    expect((await getProvider('openstack')!.fetch(ctx)).config!.toString()).toBe(CONFIG);
    expect(s.seen.map((x) => x.url)).toEqual(Array(3).fill('/openstack/latest/user_data'));
  });

  it('one URL failing does not end the metadata fetch while another succeeds (Ignition gives up)', async () => {
    let n = 0;
    const server = http.createServer((_req, res) => {
      if (++n === 1) return void res.writeHead(403).end(); // the first to answer fails at once
      setTimeout(() => res.end(CONFIG), 150);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const dir = tmpDir('os2');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const ctx = makeCtx({ seams: { metadataOrigin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ipv6Interfaces: ['eth0'], byLabelDir: dir } });
    expect((await getProvider('brightbox')!.fetch(ctx)).config!.toString()).toBe(CONFIG);
    expect(ctx.log.lines.some((l) => /^ERROR: fetching configuration for http:\/\/.*: failed to fetch resource$/.test(l))).toBe(true);
  });

  it('reaches a link-local address through the named interface (zone), here ::1 via lo', async () => {
    const server = http.createServer((_req, res) => res.end('via-zone'));
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, '::1', () => resolve(true));
    });
    if (!ok) return void console.warn('skipping the IPv6 zone test: no IPv6 loopback');
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const connector = pinnedConnector({ host: '::1%lo' });
    try {
      // the URL's host is never dialled: the pinned host is
      const res = await request(`http://[fe80::a9fe:a9fe]:${(server.address() as AddressInfo).port}/`, connector, { headers: {} });
      let text = '';
      for await (const chunk of res.body) text += String(chunk);
      expect(text).toBe('via-zone');
    } finally {
      await connector.destroy();
    }
  });
});

describe('cloudstack', () => {
  it('waits for a DHCP lease, then asks its server; a config drive never came', async () => {
    const s = await serve([{ method: 'GET', url: '/latest/user-data', responses: [{ status: 200, body: CONFIG }] }]);
    const dir = tmpDir('cs');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    for (const [name, index] of [
      ['lo', 1],
      ['eth0', 2],
      ['eth1', 3],
    ] as const) {
      fs.mkdirSync(path.join(dir, 'sys/class/net', name), { recursive: true });
      fs.writeFileSync(path.join(dir, 'sys/class/net', name, 'ifindex'), `${index}\n`);
    }
    fs.mkdirSync(path.join(dir, 'leases'));
    fs.mkdirSync(path.join(dir, 'by-label'));
    setTimeout(() => fs.writeFileSync(path.join(dir, 'leases/3'), 'ADDRESS=10.0.0.9\nSERVER_ADDRESS=10.0.0.1\n'), 200);
    const ctx = makeCtx({
      seams: { metadataOrigin: s.url, sysRoot: path.join(dir, 'sys'), leaseDir: path.join(dir, 'leases'), byLabelDir: path.join(dir, 'by-label') },
    });
    const t0 = Date.now();
    expect((await getProvider('cloudstack')!.fetch(ctx)).config!.toString()).toBe(CONFIG);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect(ctx.log.lines).toContain('DEBUG: No leases found. Waiting...');
    expect(ctx.log.lines.some((l) => l.includes('GET http://127.0.0.1') && l.includes('/latest/user-data: attempt #1'))).toBe(true);
  });

  it('a lease without SERVER_ADDRESS fails the metadata source; the drives are still awaited', async () => {
    const dir = tmpDir('cs2');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, 'sys/class/net/eth0'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sys/class/net/eth0/ifindex'), '2\n');
    fs.mkdirSync(path.join(dir, 'leases'));
    fs.writeFileSync(path.join(dir, 'leases/2'), 'ADDRESS=10.0.0.9\n');
    fs.mkdirSync(path.join(dir, 'by-label'));
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('stage timeout')), 300);
    const ctx = makeCtx({
      signal: abort.signal,
      seams: {
        metadataOrigin: 'http://127.0.0.1:9',
        sysRoot: path.join(dir, 'sys'),
        leaseDir: path.join(dir, 'leases'),
        byLabelDir: path.join(dir, 'by-label'),
      },
    });
    const r = await outcome(getProvider('cloudstack')!.fetch(ctx));
    expect(r.error?.name).toBe('WaitAborted');
    expect(ctx.log.lines).toContain('ERROR: failed to fetch config from metadata service: dhcp server address not found in leases');
    expect(ctx.log.lines.filter((l) => l.startsWith('DEBUG: config drive ("config-2") not found')).length).toBeGreaterThan(3);
  });
});

describe('packet status events', () => {
  it('posts a stage failure to <phone_home_url>/events with Ignition wording, once, without retries', async () => {
    const s = await serve([
      { method: 'GET', url: '/metadata', responses: [{ status: 200, body: '{"phone_home_url":"https://tinkerbell.example/phone-home"}' }] },
      { method: 'POST', url: '/events', responses: [{ status: 500 }] },
    ]);
    const ctx = makeCtx({ seams: { metadataOrigin: s.url } });
    await getProvider('packet')!.status!(ctx, 'disks', new Error('create partitions failed: <sgdisk> exit 2'));
    expect(s.seen.map((x) => `${x.method} ${x.url}`)).toEqual(['GET /metadata', 'POST /events']);
    expect(s.seen[1].headers['content-type']).toBe('application/json');
    expect(JSON.parse(s.seen[1].body!)).toEqual({ state: 'failed', message: '[disks] Ignition error: create partitions failed: <sgdisk> exit 2' });
  });

  it('a metadata document without JSON is an error of the hook', async () => {
    const s = await serve([{ method: 'GET', url: '/metadata', responses: [{ status: 200, body: 'nope' }] }]);
    const r = await outcome(getProvider('packet')!.status!(makeCtx({ seams: { metadataOrigin: s.url } }), 'files'));
    expect(r.error?.message).toMatch(/^reading https:\/\/metadata\.packet\.net\/metadata: /);
  });
});
