// HTTPS with extra CAs (RSA and EC chains made with openssl here) and proxies (a real forward
// proxy: absolute-form for http://, CONNECT for https://) with Go's noProxy rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, fetchToBuffer, splitPemBundle } from '../../src/fetch/index.js';
import { forwardProxy, hasOpenssl, httpServer, httpsServer, loopbackLookup, makePki, recordingLogger, type Pki, type TestServer } from './helpers.js';

const canTls = hasOpenssl();
if (!canTls) console.warn('tls-proxy tests skipped: the openssl CLI is not installed (it is in .ci/run pkgs)');

describe.skipIf(!canTls)('custom CAs and proxies', () => {
  let rsa: Pki;
  let ec: Pki;
  let rsaServer: TestServer;
  let ecServer: TestServer;
  let plain: TestServer;
  let proxy: TestServer & { seen: string[] };
  const hits: string[] = [];

  beforeAll(async () => {
    rsa = makePki('rsa');
    ec = makePki('ec');
    rsaServer = await httpsServer((req, res) => void (hits.push(`rsa ${req.headers.host}${req.url}`), res.end('rsa-ok')), {
      key: rsa.serverKey,
      cert: rsa.serverCert,
    });
    ecServer = await httpsServer((req, res) => void (hits.push(`ec ${req.headers.host}${req.url}`), res.end('ec-ok')), {
      key: ec.serverKey,
      cert: ec.serverCert,
    });
    plain = await httpServer((req, res) => void (hits.push(`plain ${req.headers.host}${req.url}`), res.end('plain-ok')));
    proxy = await forwardProxy();
  });
  afterAll(async () => {
    await Promise.all([rsaServer, ecServer, plain, proxy].filter(Boolean).map((s) => s.close()));
  });

  it('trusts an RSA and an EC CA given as extra bundles (on top of the default roots)', async () => {
    expect((await fetchToBuffer({ source: `${rsaServer.url}/a` }, { cas: [rsa.caPem] })).toString()).toBe('rsa-ok');
    expect((await fetchToBuffer({ source: `${ecServer.url}/a` }, { cas: [ec.caPem] })).toString()).toBe('ec-ok');
  });

  it('splits a multi-certificate bundle', async () => {
    const bundle = `# two CAs\n${ec.caPem}\n${rsa.caPem}`;
    expect(splitPemBundle(bundle)).toHaveLength(2);
    for (const s of [rsaServer, ecServer]) {
      expect((await fetchToBuffer({ source: `${s.url}/b` }, { cas: [bundle] })).length).toBeGreaterThan(0);
    }
  });

  it('rejects the servers without their CA (retried until httpTotal, like any transport error)', async () => {
    for (const [s, cas] of [
      [rsaServer, null],
      [ecServer, [rsa.caPem]],
    ] as const) {
      const log = recordingLogger();
      const e = await fetchToBuffer({ source: `${s.url}/c` }, { log, cas, timeouts: { httpTotal: 1 } }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(FetchError);
      expect((e as Error).message).toBe('unable to fetch resource in time');
      expect(log.lines.some((l) => /GET error: .*(certificate|issuer)/i.test(l))).toBe(true);
    }
  });

  it('sends http:// through httpProxy in absolute form', async () => {
    proxy.seen.length = 0;
    const source = `http://files.kindling.test:${plain.port}/via-proxy`;
    const body = await fetchToBuffer({ source }, { proxy: { httpProxy: proxy.url } });
    expect(body.toString()).toBe('plain-ok');
    expect(proxy.seen).toEqual([`GET ${source}`]);
    expect(hits).toContain(`plain files.kindling.test:${plain.port}/via-proxy`);
  });

  it('tunnels https:// through httpsProxy with CONNECT and still verifies the server', async () => {
    proxy.seen.length = 0;
    const source = `https://secure.kindling.test:${rsaServer.port}/tunnel`;
    const body = await fetchToBuffer({ source }, { cas: [rsa.caPem], proxy: { httpsProxy: proxy.url } });
    expect(body.toString()).toBe('rsa-ok');
    expect(proxy.seen).toEqual([`CONNECT secure.kindling.test:${rsaServer.port}`]);
    const e = await fetchToBuffer({ source }, { proxy: { httpsProxy: proxy.url }, timeouts: { httpTotal: 1 } }).catch((x: unknown) => x);
    expect((e as Error).message).toBe('unable to fetch resource in time');
  });

  it('bypasses the proxy for noProxy matches, loopback, and schemes without a proxy', async () => {
    proxy.seen.length = 0;
    const opts = { proxy: { httpProxy: proxy.url, noProxy: ['.kindling.test', '10.0.0.0/8'] }, lookup: loopbackLookup };
    expect((await fetchToBuffer({ source: `http://direct.kindling.test:${plain.port}/np` }, opts)).toString()).toBe('plain-ok');
    expect((await fetchToBuffer({ source: `${plain.url}/loopback` }, { proxy: { httpProxy: proxy.url } })).toString()).toBe('plain-ok');
    const https = await fetchToBuffer(
      { source: `https://other.kindling.test:${rsaServer.port}/x` },
      { proxy: { httpProxy: proxy.url }, cas: [rsa.caPem], lookup: loopbackLookup },
    );
    expect(https.toString()).toBe('rsa-ok');
    expect(proxy.seen).toEqual([]);
    // the same name outside noProxy does go through the proxy
    await fetchToBuffer({ source: `http://kindling.test.example:${plain.port}/p` }, opts);
    expect(proxy.seen).toEqual([`GET http://kindling.test.example:${plain.port}/p`]);
  });
});
