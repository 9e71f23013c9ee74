// merge/replace chains rendered over real HTTP(S) servers on 127.0.0.1: order and precedence,
// replace, CA bundles and timeouts of the merged-so-far config governing later fetches, hashes.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realFetcher } from '../../src/fetch/resource-fetcher.js';
import { checkConfig } from '../../src/config/check.js';
import { mergeConfigs } from '../../src/config/merge.js';
import { parseIgnition } from '../../src/config/parse.js';
import type { Config } from '../../src/generated/types.js';
import { renderConfig, RenderError } from '../../src/engine/render.js';
import { LATEST } from '../../src/model/versions.js';
import { hasOpenssl, httpServer, httpsServer, makePki, type TestServer } from '../fetch/helpers.js';

const served = new Map<string, string>();
let http: TestServer;
const hits: string[] = [];

beforeAll(async () => {
  http = await httpServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/hang') return; // never answers
    const body = served.get(req.url ?? '');
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
});
afterAll(() => http.close());

const cfg = (extra: object, version = '3.4.0') => JSON.stringify({ ignition: { version }, ...extra });
const sha512 = (s: string) => 'sha512-' + createHash('sha512').update(s).digest('hex');
const parse = (text: string): Config => {
  const r = parseIgnition(text);
  if (!r.config) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.config;
};
const deps = {
  factory: realFetcher,
  parse: (b: Buffer, o: { file?: string }) => parseIgnition(b, o),
  merge: mergeConfigs,
  validate: (c: Config) => checkConfig(c, LATEST),
};

describe('rendering merge and replace', () => {
  it('merges depth-first, in order, the child winning', async () => {
    served.set(
      '/a.ign',
      cfg({
        ignition: { version: '3.4.0', config: { merge: [{ source: `${http.url}/b.ign` }] } },
        storage: { files: [{ path: '/etc/x', mode: 0o600 }, { path: '/etc/a' }] },
      }),
    );
    served.set('/b.ign', cfg({ storage: { files: [{ path: '/etc/x', mode: 0o640 }, { path: '/etc/b' }] } }, '3.1.0'));
    served.set('/c.ign', cfg({ storage: { files: [{ path: '/etc/c' }] } }));
    const base = parse(
      cfg({
        ignition: {
          version: '3.4.0',
          config: { merge: [{ source: `${http.url}/a.ign` }, { source: `${http.url}/c.ign`, verification: { hash: sha512(served.get('/c.ign')!) } }] },
        },
        storage: { files: [{ path: '/etc/x', mode: 0o644 }] },
      }),
    );
    const out = await renderConfig(base, deps);
    expect(out.storage?.files?.map((f) => [f.path, f.mode])).toEqual([
      ['/etc/x', 0o640],
      ['/etc/a', undefined],
      ['/etc/b', undefined],
      ['/etc/c', undefined],
    ]);
  });

  it('replace drops everything else and renders the new config', async () => {
    served.set(
      '/r1.ign',
      cfg({ ignition: { version: '3.4.0', config: { replace: { source: `${http.url}/r2.ign` } } }, storage: { files: [{ path: '/etc/r1' }] } }),
    );
    served.set('/r2.ign', cfg({ storage: { files: [{ path: '/etc/r2' }] } }));
    const base = parse(
      cfg({ ignition: { version: '3.4.0', config: { replace: { source: `${http.url}/r1.ign` } } }, storage: { files: [{ path: '/etc/base' }] } }),
    );
    const out = await renderConfig(base, deps);
    expect(out.storage?.files?.map((f) => f.path)).toEqual(['/etc/r2']);
  });

  it('fails on a hash mismatch of a referenced config', async () => {
    served.set('/h.ign', cfg({}));
    const base = parse(
      cfg({ ignition: { version: '3.4.0', config: { merge: [{ source: `${http.url}/h.ign`, verification: { hash: sha512('something else') } }] } } }),
    );
    await expect(renderConfig(base, deps)).rejects.toThrow(/hash verification failed/);
  });

  it('reports an invalid referenced config with its diagnostics', async () => {
    served.set('/bad.ign', cfg({ storage: { files: [{ path: 'relative' }] } }));
    const base = parse(cfg({ ignition: { version: '3.4.0', config: { merge: [{ source: `${http.url}/bad.ign` }] } } }));
    const err = await renderConfig(base, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RenderError);
    expect((err as RenderError).diagnostics.map((d) => d.message)).toContain('path not absolute');
  });

  it('refuses a merge that makes the config invalid', async () => {
    served.set('/dup.ign', cfg({ systemd: { units: [{ name: 'a.service', contents: '[Unit]\n' }] } }));
    const base = parse(
      cfg({
        ignition: { version: '3.4.0', config: { merge: [{ source: `${http.url}/dup.ign` }] } },
        storage: { files: [{ path: '/etc/systemd/system/a.service' }] },
      }),
    );
    await expect(renderConfig(base, deps)).rejects.toThrow('merging configs resulted in an invalid config');
  });

  it('stops a config that merges itself', async () => {
    served.set('/loop.ign', cfg({ ignition: { version: '3.4.0', config: { merge: [{ source: `${http.url}/loop.ign` }] } } }));
    const base = parse(cfg({ ignition: { version: '3.4.0', config: { merge: [{ source: `${http.url}/loop.ign` }] } } }));
    await expect(renderConfig(base, deps)).rejects.toThrow(/too many nested config references/);
  });

  it('applies the timeouts of the merged-so-far config to later fetches', async () => {
    served.set('/t.ign', cfg({ ignition: { version: '3.4.0', timeouts: { httpTotal: 1 } } }));
    const base = parse(cfg({ ignition: { version: '3.4.0', config: { merge: [{ source: `${http.url}/t.ign` }, { source: `${http.url}/hang` }] } } }));
    const start = Date.now();
    await expect(renderConfig(base, deps)).rejects.toThrow(/unable to fetch resource in time/);
    expect(Date.now() - start).toBeLessThan(8000);
  }, 20_000);

  it.skipIf(!hasOpenssl())(
    'trusts a CA bundle named by the config for later HTTPS fetches',
    async () => {
      const pki = makePki('ec');
      const https = await httpsServer((_req, res) => res.writeHead(200).end(cfg({ storage: { files: [{ path: '/etc/tls-child' }] } })), {
        key: pki.serverKey,
        cert: pki.serverCert,
      });
      try {
        const ca = `data:;base64,${Buffer.from(pki.caPem).toString('base64')}`;
        const withCa = parse(
          cfg({
            ignition: {
              version: '3.4.0',
              security: { tls: { certificateAuthorities: [{ source: ca }] } },
              config: { merge: [{ source: `${https.url}/child.ign` }] },
            },
          }),
        );
        const out = await renderConfig(withCa, deps);
        expect(out.storage?.files?.map((f) => f.path)).toEqual(['/etc/tls-child']);
        const without = parse(cfg({ ignition: { version: '3.4.0', timeouts: { httpTotal: 2 }, config: { merge: [{ source: `${https.url}/child.ign` }] } } }));
        await expect(renderConfig(without, deps)).rejects.toThrow();
      } finally {
        await https.close();
      }
    },
    30_000,
  );
});
