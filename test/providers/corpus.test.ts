// Replays every transcript recorded from the real Ignition v2.26.0 (../shared/corpus/providers):
// the same routes answer on 127.0.0.1, and the requests we send (method, target, the headers that
// matter, order, retries) and the outcome (config / no config / Ignition's error text) must match.
// Where Kindling deliberately differs, the test says so:
// - gzip: Ignition fails `config is not valid`; our providers hand the bytes over and the engine
//   un-gzips whole configs from any source, so the provider must return exactly the gzip bytes.
// - aws: the SDK's region lookup (UA aws-sdk-go) is not made; src/fetch asks IMDS for the region
//   itself when an s3:// resource is fetched.
// - scaleway: every connection picks a fresh privileged source port, so retries work (Ignition
//   keeps the port and fails to bind on every retry).
// - the fetch timeout is 1 s here instead of 20 s, so a retry-until-timeout run holds 3 attempts
//   (t = 0, 0.2, 0.6 s) where the transcript has 8; the user agent is Kindling's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../src/providers/registry.js';
import type { ProviderResult } from '../../src/providers/provider.js';
import { makeCtx, routeServer, stubDir, tmpDir, type Route, type Seen } from './helpers.js';
import { corpusDir } from '../support/corpus.js';

const CORPUS = corpusDir('providers') ?? '';
const CONFIG = { ignition: { version: '3.4.0' }, storage: { files: [{ path: '/etc/prov-test', contents: { source: 'data:,hello' } }] } };
// Attempts fall at t = 0, 0.2, 0.6, 1.4, 3.0 ... s: a timeout of 2.2 s admits 4 of them with 0.8 s
// of slack on both sides, so a loaded machine's slower requests don't change the count.
const TIMEOUT_MS = 2200;
/** Attempts the backoff fits in TIMEOUT_MS. */
const ATTEMPTS_IN_TIMEOUT = 4;

interface Recorded {
  method: string;
  url: string;
  userAgent: string;
  headers: Record<string, string>;
  body: string | null;
  srcPortBelow1024: boolean;
  status: number;
}
interface Result {
  exitCode: number;
  cache: unknown;
  log: string[];
}

const haveCorpus = CORPUS !== '';
const cases = haveCorpus
  ? fs
      .readdirSync(CORPUS)
      .filter((d) => fs.statSync(path.join(CORPUS, d)).isDirectory())
      .flatMap((p) =>
        fs
          .readdirSync(path.join(CORPUS, p))
          .filter((f) => f.endsWith('.scenario.json'))
          .map((f) => ({ provider: p, scenario: f.replace('.scenario.json', '') })),
      )
  : [];

const read = (p: string, s: string, ext: string) => fs.readFileSync(path.join(CORPUS, p, `${s}.${ext}`), 'utf8');

/** The request as it matters: method, target, headers other than transport ones (names lower-cased). */
function shape(method: string, url: string, headers: Record<string, unknown>, body: string | null): string {
  const skip = new Set(['host', 'user-agent', 'content-length', 'connection']);
  const h = Object.entries(headers)
    .filter(([k]) => !skip.has(k.toLowerCase()))
    .map(([k, v]) => `${k.toLowerCase()}: ${String(v)}`)
    .sort();
  return `${method} ${url} {${h.join('; ')}}${body ? ` ${body}` : ''}`;
}

/** Consecutive identical requests folded into [shape, count]. */
function runs(shapes: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const s of shapes) {
    const last = out.at(-1);
    if (last && last[0] === s) last[1]++;
    else out.push([s, 1]);
  }
  return out;
}

const stubs = stubDir();
stubs.add('blkid', 'exit 2'); // no OVF discs here: azure's fallback keeps polling
afterAll(() => stubs.cleanup());

describe.skipIf(!haveCorpus)('Ignition v2.26.0 provider transcripts, replayed', () => {
  it('covers the 15 recorded providers', () => {
    expect(new Set(cases.map((c) => c.provider)).size).toBe(15);
  });

  it.concurrent.each(cases)('$provider/$scenario', async ({ provider, scenario }) => {
    const sc = JSON.parse(read(provider, scenario, 'scenario.json')) as { routes: Route[]; lease: boolean };
    const expected = read(provider, scenario, 'requests.jsonl')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Recorded)
      .filter((r) => !r.userAgent.startsWith('aws-sdk'));
    const result = JSON.parse(read(provider, scenario, 'result.json')) as Result;
    const server = await routeServer(sc.routes);
    const dir = tmpDir(`corpus-${provider}`);
    const abort = new AbortController();
    const hangs = result.exitCode === 124;
    const untilTimeout = hangs || result.log.some((l) => l.endsWith('unable to fetch resource in time'));
    try {
      // cloudstack finds its metadata server in the DHCP lease of an interface (fake sysfs + lease)
      fs.mkdirSync(path.join(dir, 'sys/class/net/eth0'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'sys/class/net/eth0/ifindex'), '2\n');
      fs.mkdirSync(path.join(dir, 'leases'));
      if (sc.lease) fs.writeFileSync(path.join(dir, 'leases/2'), '# This is private data.\nADDRESS=127.0.0.2\nSERVER_ADDRESS=127.0.0.1\n');
      fs.mkdirSync(path.join(dir, 'by-label')); // drives never appear
      const ctx = makeCtx({
        // enough for 4 attempts (t = 1.4 s) where the transcript did not run into its timeout
        // Scenarios that end in success get time to spare; only the give-up ones are bounded tightly.
        fetchTimeoutMs: untilTimeout ? TIMEOUT_MS : 15_000,
        signal: abort.signal,
        tools: { blkid: path.join(stubs.dir, 'blkid') },
        seams: {
          metadataOrigin: server.url,
          byLabelDir: path.join(dir, 'by-label'),
          sysRoot: path.join(dir, 'sys'),
          leaseDir: path.join(dir, 'leases'),
          ipv6Interfaces: [],
          waitScale: 0.05,
        },
      });
      const p = getProvider(provider)!;
      // A run Ignition never ends (config drives or discs awaited forever) is stopped by the stage.
      const stop = hangs ? setTimeout(() => abort.abort(new Error('stage timeout')), TIMEOUT_MS + 700) : null;
      let res: ProviderResult | undefined;
      let err: Error | undefined;
      let initErr: Error | undefined;
      try {
        await p.init?.(ctx);
      } catch (e) {
        initErr = e as Error;
      }
      if (!initErr) {
        try {
          res = await p.fetch(ctx);
        } catch (e) {
          err = e as Error;
        }
        await p.status?.(ctx, 'fetch', err).catch((e: Error) => ctx.log.error(`POST Status error: ${e.message}`));
      }
      if (stop) clearTimeout(stop);

      // ---- requests ----
      const ours = server.seen.map((s: Seen) =>
        shape(s.method, s.url, s.method === 'POST' ? { 'content-type': s.headers['content-type'] } : s.headers, s.body),
      );
      const theirs = expected.map((r) => shape(r.method, r.url, r.method === 'POST' ? { 'content-type': r.headers['Content-Type'] } : r.headers, r.body));
      // In a scenario that ran into the fetch timeout, the run of retries is as long as the backoff
      // allows: ATTEMPTS_IN_TIMEOUT here. (Deliberate difference: a gzip config is valid for us, so
      // packet's status event reports success.)
      const expectedRuns = runs(theirs).map(([s, n]): [string, number] => [
        scenario === 'gzip' ? s.replace(/\{"state":"failed".*\}$/, '{"state":"running","message":"[fetch] Ignition status: finished successfully"}') : s,
        untilTimeout ? Math.min(n, ATTEMPTS_IN_TIMEOUT) : n,
      ]);
      if (provider === 'scaleway') {
        // deliberately better: retries work, each from a fresh privileged port
        expect(server.seen.every((s) => s.srcPort > 0 && s.srcPort < 1024)).toBe(true);
        expect(expected.every((r) => r.srcPortBelow1024)).toBe(true);
        const n = scenario === 'transient-500' ? 3 : scenario === 'always-500' ? ATTEMPTS_IN_TIMEOUT : 1;
        const [[shape1, got], ...rest] = runs(ours);
        expect([shape1, rest]).toEqual([theirs[0], []]);
        expect(scenario === 'always-500' ? [n, n - 1] : [n]).toContain(got);
      } else if (untilTimeout) {
        // The last attempt before the deadline may slip past it on a loaded machine: one fewer is fine.
        const got = runs(ours);
        expect(got.map(([s]) => s)).toEqual(expectedRuns.map(([s]) => s));
        got.forEach(([, n], i) => expect([expectedRuns[i][1], expectedRuns[i][1] - 1]).toContain(n));
      } else {
        expect(runs(ours)).toEqual(expectedRuns);
      }

      // ---- outcome ----
      const critical = result.log
        .filter((l) => l.startsWith('CRITICAL : Ignition failed: '))
        .at(-1)
        ?.slice('CRITICAL : Ignition failed: '.length);
      const gotConfig = () => JSON.parse(res!.config!.toString('utf8')) as unknown;
      if (provider === 'scaleway' && scenario === 'transient-500') {
        expect(err).toBeUndefined(); // deliberately better: the retry succeeds
        expect(gotConfig()).toEqual(CONFIG);
      } else if (hangs) {
        expect(err?.name).toBe('WaitAborted');
        if (provider !== 'azure') expect(ctx.log.lines).toContain('ERROR: failed to fetch config from metadata service: unable to fetch resource in time');
      } else if (critical === 'config is not valid') {
        expect(err).toBeUndefined();
        const served = sc.routes.at(-1)!.responses.at(-1)!;
        const raw = served.bodyB64 !== undefined ? Buffer.from(served.bodyB64, 'base64') : Buffer.from(served.body ?? '');
        const gz = raw[0] === 0x1f ? raw : Buffer.from(raw.toString('latin1'), 'base64'); // base64 providers decode first
        expect(res!.config!.equals(gz)).toBe(true);
        expect(JSON.parse(gunzipSync(res!.config!).toString('utf8'))).toEqual(CONFIG);
      } else if (result.exitCode !== 0) {
        const initPrefix = 'initializing platform config: ';
        if (critical!.startsWith(initPrefix)) expect(initErr?.message).toBe(critical!.slice(initPrefix.length));
        else expect(initErr ?? err).toMatchObject({ message: critical });
      } else if (result.cache === null) {
        throw new Error('unexpected transcript: exit 0 without a cache');
      } else {
        expect(initErr).toBeUndefined();
        expect(err).toBeUndefined();
        const cached = result.cache as { storage: { files?: unknown[] } };
        if (cached.storage.files) expect(gotConfig()).toEqual(CONFIG);
        else expect(res!.config === null || res!.config.length === 0).toBe(true);
      }
      if (provider === 'packet' && result.log.some((l) => l.startsWith('ERROR    : POST Status error: '))) {
        expect(ctx.log.lines).toContain(
          `ERROR: POST Status error: ${result.log.find((l) => l.startsWith('ERROR    : POST Status error: '))!.slice('ERROR    : POST Status error: '.length)}`,
        );
      }
    } finally {
      abort.abort();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
