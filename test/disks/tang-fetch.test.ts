// The disks stage's one URL fetch, a tang server's advertisement before binding, goes through
// src/fetch (Ignition's retries, proxies and timeouts; Kindling's user agent), against a real HTTP
// server on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveDriver } from '../../src/disks/live.js';
import { USER_AGENT } from '../../src/fetch/index.js';
import { realHost } from '../../src/host/host.js';

const seen: { url?: string; agent?: string }[] = [];
let base = '';
const server = http.createServer((req, res) => {
  seen.push({ url: req.url, agent: req.headers['user-agent'] });
  if (req.url === '/ok/adv') res.end('{"payload":"x"}');
  else res.writeHead(404).end();
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const luks = (url: string) => ({ name: 'v', device: '/dev/null', clevis: { tang: [{ url, thumbprint: 't' }] } });

describe('tang advertisements', () => {
  it('are fetched with src/fetch by default', async () => {
    const driver = new LiveDriver(realHost(), { devices: [] });
    await driver.fetchTang(luks(`${base}/ok/`));
    expect(seen.at(-1)).toEqual({ url: '/ok/adv', agent: USER_AGENT });
  });
  it("fail with the fetcher's message", async () => {
    const driver = new LiveDriver(realHost(), { devices: [] });
    await expect(driver.fetchTang(luks(`${base}/missing`))).rejects.toThrow(/^fetching tang advertisement: .*not found/);
  });
  it('go through the fetcher the stage passes', async () => {
    const asked: unknown[] = [];
    const driver = new LiveDriver(realHost(), { devices: [], fetch: async (res) => (asked.push(res), Buffer.from('{}')) });
    await driver.fetchTang(luks('http://tang.invalid'));
    expect(asked).toEqual([{ source: 'http://tang.invalid/adv' }]);
  });
});
