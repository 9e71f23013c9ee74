// Network faults (issue 13 §1) against real servers on 127.0.0.1, for each thing Kindling fetches:
// a remote file, a merged and a replacing config, a CA bundle (all through the built `kindling
// apply`) and a provider's metadata (the fetch stage in-process: only there can a provider be
// pointed at 127.0.0.1). Each case asserts the outcome Ignition's semantics give (success after
// its 200 ms-doubling retries, or failure within the configured timeouts), that the report names
// the URL with its secrets redacted, and what the target root holds afterwards: the file or
// nothing, never a temp file or a part of one.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStage } from '../../src/engine/engine.js';
import { EngineLog } from '../../src/engine/log.js';
import { realHost } from '../../src/host/host.js';
import { getProvider } from '../../src/providers/registry.js';
import { CLI } from '../cli/helpers.js';
import { makePki } from '../fetch/helpers.js';
import { bigBodyServer, faultServer, FAULTS, peakRssMb, type Fault, type FaultServer } from './fault-server.js';

const TOTAL_S = 2; // ignition.timeouts.httpTotal (and the provider's fetch timeout)
const HEADERS_S = 1; // ignition.timeouts.httpResponseHeaders
/** How late a bounded failure may end on a loaded machine (process start included). */
const SLACK_MS = 12_000;
const USERINFO = 'fetcher:pw-NETSECRET';
const TOKEN = 'tok-NETSECRET';
const GIB = 1024 ** 3;

let base: string;
const servers: { close(): unknown }[] = [];
let big: Awaited<ReturnType<typeof bigBodyServer>>;
beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-netfault-'));
  big = await bigBodyServer(GIB);
  servers.push({ close: () => big.stop() });
}, 120_000);
afterAll(async () => {
  for (const s of servers) await s.close();
  fs.rmSync(base, { recursive: true, force: true });
});

async function serve(good: Buffer): Promise<FaultServer> {
  const s = await faultServer(good);
  servers.push(s);
  return s;
}

/** The URL of a fault, with credentials and a token for the redaction check. */
function faultUrl(s: FaultServer, f: Fault, tail: string): string {
  if (f === 'huge') return big.url.replace('//', `//${USERINFO}@`) + `?token=${TOKEN}`;
  const origin = f === 'untrusted' ? s.tlsOrigin : s.origin;
  return `${origin.replace('//', `//${USERINFO}@`)}/${f}${tail}?token=${TOKEN}`;
}

/** What the report must show for a URL: the same URL with its secrets masked. */
function redacted(url: string): string {
  return url.replace(USERINFO, 'REDACTED').replace(TOKEN, 'REDACTED');
}

interface Outcome {
  code: number;
  /** Everything the run said (stderr, stdout, the failure report). */
  text: string;
  elapsedMs: number;
  /** Peak RSS of the process that fetched, MB (CLI runs only). */
  peakMb: number;
}

function newRoot(): { dir: string; root: string } {
  const dir = fs.mkdtempSync(path.join(base, 'case-'));
  const root = path.join(dir, 'root');
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  return { dir, root };
}

/** Every node under the root, as `path type` (the seed /etc dir left out). */
function tree(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((p) => `/${p} ${fs.lstatSync(path.join(root, p)).isDirectory() ? 'dir' : 'file'}`)
    .filter((e) => e !== '/etc dir')
    .sort();
}

function applyCli(dir: string, root: string, config: object): Promise<Outcome> {
  const file = path.join(dir, 'config.ign');
  fs.writeFileSync(file, JSON.stringify(config));
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI, 'apply', '--root', root, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let peakMb = 0;
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, peakRssMb(child.pid!, fs))), 100);
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', reject);
    child.on('exit', () => (peakMb = Math.max(peakMb, peakRssMb(child.pid!, fs))));
    child.on('close', (code) => {
      clearInterval(sampler);
      resolve({ code: code ?? -1, text, elapsedMs: Date.now() - t0, peakMb });
    });
  });
}

const timeouts = { httpTotal: TOTAL_S, httpResponseHeaders: HEADERS_S };
/** 1 GiB (or the 64 MiB a config may have) takes longer than TOTAL_S, which bounds the body too. */
const timeoutsFor = (f: Fault) => (f === 'huge' ? { ...timeouts, httpTotal: 300 } : timeouts);
const WRONG_HASH = `sha512-${'ab'.repeat(64)}`;

/** Config-fetch extras a fault needs: a declared (but false) gzip, a wrong hash, the big body's hash. */
function resourceExtras(f: Fault, good: Buffer, bigHash?: string): object {
  if (f === 'gzip') return { compression: 'gzip' };
  if (f === 'hash') return { verification: { hash: WRONG_HASH } };
  if (f === 'huge' && bigHash) return { verification: { hash: `sha512-${bigHash}` } };
  void good;
  return {};
}

// What each fault must end in, the same for every consumer (the exceptions are noted per consumer).
// 'timeout': retried until httpTotal, then "unable to fetch resource in time".
const EXPECTED: Record<Fault, { ok: true } | { ok: false; timeout: boolean; message: RegExp; warning?: RegExp }> = {
  hang: { ok: false, timeout: true, message: /unable to fetch resource in time/, warning: /timeout awaiting response headers/ },
  stall: { ok: false, timeout: true, message: /unable to fetch resource in time/ },
  reset: { ok: false, timeout: false, message: /unexpected EOF|ECONNRESET/ },
  flaky: { ok: true },
  down: { ok: false, timeout: true, message: /unable to fetch resource in time/, warning: /HTTP 500 Internal Server Error/ },
  throttle: { ok: false, timeout: false, message: /failed to fetch resource/ },
  drip: { ok: false, timeout: true, message: /unable to fetch resource in time/ },
  long: { ok: true },
  short: { ok: false, timeout: false, message: /unexpected EOF: the connection closed before the end of the body \(Content-Length \d+\)/ },
  hash: { ok: false, timeout: false, message: /hash verification failed/ },
  loop: { ok: false, timeout: true, message: /unable to fetch resource in time/, warning: /stopped after 10 redirects/ },
  scheme: { ok: false, timeout: true, message: /unable to fetch resource in time/, warning: /Invalid URL protocol/ },
  gzip: { ok: false, timeout: false, message: /gzip: / },
  untrusted: { ok: false, timeout: true, message: /unable to fetch resource in time/, warning: /unable to verify the first certificate/ },
  huge: { ok: true },
};

/** The checks every failing case shares. */
function expectBoundedFailure(f: Fault, o: Outcome, url: string, opts: { warning?: boolean } = {}): void {
  const e = EXPECTED[f];
  if (e.ok) throw new Error(`${f} should have succeeded`);
  expect(o.code, o.text).not.toBe(0);
  expect(o.text).toMatch(e.message);
  if (e.warning && opts.warning !== false) expect(o.text).toMatch(e.warning);
  if (e.timeout) expect(o.elapsedMs).toBeGreaterThanOrEqual(TOTAL_S * 1000 - 50);
  expect(o.elapsedMs).toBeLessThan(TOTAL_S * 1000 + SLACK_MS);
  expect(o.text).toContain(redacted(url));
  expect(o.text).not.toContain('NETSECRET');
}

/** Ignition's pacing of the flaky server's two 500s: 200 ms, then 400 ms. */
function expectRetryTiming(hits: number[] | undefined): void {
  expect(hits).toHaveLength(3);
  const gaps = hits!.slice(1).map((t, i) => t - hits![i]);
  expect(gaps[0]).toBeGreaterThanOrEqual(190);
  expect(gaps[0]).toBeLessThan(200 + 1500);
  expect(gaps[1]).toBeGreaterThanOrEqual(390);
  expect(gaps[1]).toBeLessThan(400 + 1500);
}

const GOOD_FILE = Buffer.from('payload from the network\n');

describe.concurrent('a remote file (storage.files[].contents)', () => {
  let s: FaultServer;
  beforeAll(async () => void (s = await serve(GOOD_FILE)));

  it.each(FAULTS)('%s', { timeout: 180_000 }, async (f) => {
    const { dir, root } = newRoot();
    const url = faultUrl(s, f, '/file');
    const o = await applyCli(dir, root, {
      ignition: { version: '3.4.0', timeouts: timeoutsFor(f) },
      storage: { files: [{ path: '/etc/app/data', mode: 0o640, contents: { source: url, ...resourceExtras(f, GOOD_FILE, big.sha512) } }] },
    });
    const dest = path.join(root, 'etc/app/data');
    // Never a temp file; the directory the file was to go in may exist (created before the fetch).
    expect(tree(root).filter((e) => !['/etc/app dir', '/etc/app/data file'].includes(e))).toEqual([]);
    if (EXPECTED[f].ok) {
      expect(o.code, o.text).toBe(0);
      expect(fs.statSync(dest).mode & 0o777).toBe(0o640);
      if (f === 'huge') {
        expect(fs.statSync(dest).size).toBe(GIB);
        // streamed: the whole body never sat in memory
        expect(o.peakMb).toBeLessThan(250);
        console.log(`1 GiB remote file: ${(o.elapsedMs / 1000).toFixed(1)} s, peak RSS of kindling apply ${o.peakMb.toFixed(0)} MB`);
      } else {
        expect(fs.readFileSync(dest)).toEqual(GOOD_FILE);
      }
      if (f === 'flaky') expectRetryTiming(s.hits.get('/flaky/file'));
      return;
    }
    expectBoundedFailure(f, o, url);
    expect(fs.existsSync(dest)).toBe(false);
    if (f === 'throttle') expect(s.hits.get('/throttle/file')).toHaveLength(1); // 429 is final for Ignition
    if (f === 'down') expect(s.hits.get('/down/file')!.length).toBeGreaterThanOrEqual(3); // 0, 0.2, 0.6 s…
  });
});

const MERGED = { ignition: { version: '3.4.0' }, storage: { files: [{ path: '/etc/merged', contents: { source: 'data:,merged%0A' } }] } };
const GOOD_CONFIG = Buffer.from(JSON.stringify(MERGED));
const LOCAL_FILE = { path: '/etc/local', contents: { source: 'data:,local%0A' } };

for (const how of ['merge', 'replace'] as const) {
  describe.concurrent(`a ${how}d config (ignition.config.${how})`, () => {
    let s: FaultServer;
    beforeAll(async () => void (s = await serve(GOOD_CONFIG)));

    it.each(FAULTS)('%s', { timeout: 60_000 }, async (f) => {
      const { dir, root } = newRoot();
      const url = faultUrl(s, f, `/${how}.ign`);
      const ref = { source: url, ...resourceExtras(f, GOOD_CONFIG) };
      const o = await applyCli(dir, root, {
        ignition: { version: '3.4.0', timeouts: timeoutsFor(f), config: how === 'merge' ? { merge: [ref] } : { replace: ref } },
        storage: { files: [LOCAL_FILE] },
      });
      const wanted = EXPECTED[f];
      if (wanted.ok && f !== 'huge') {
        expect(o.code, o.text).toBe(0);
        expect(tree(root)).toEqual(how === 'merge' ? ['/etc/local file', '/etc/merged file'] : ['/etc/merged file']);
        if (f === 'flaky') expectRetryTiming(s.hits.get(`/flaky/${how}.ign`));
        return;
      }
      // A config is read into memory: 1 GiB is refused at the 64 MiB cap, early.
      if (f === 'huge') {
        expect(o.code).toBe(1);
        expect(o.text).toMatch(/larger than 67108864 bytes/);
        expect(o.text).toContain(redacted(url));
        expect(o.peakMb).toBeLessThan(400);
      } else {
        expectBoundedFailure(f, o, url);
      }
      expect(tree(root)).toEqual([]); // nothing applied from a config that could not be rendered
    });
  });
}

describe.concurrent('a CA bundle (ignition.security.tls.certificateAuthorities)', () => {
  let s: FaultServer;
  const pem = Buffer.from(makePki('rsa').caPem);
  beforeAll(async () => void (s = await serve(pem)));

  it.each(FAULTS)('%s', { timeout: 60_000 }, async (f) => {
    const { dir, root } = newRoot();
    const url = faultUrl(s, f, '/ca.pem');
    const o = await applyCli(dir, root, {
      ignition: { version: '3.4.0', timeouts: timeoutsFor(f), security: { tls: { certificateAuthorities: [{ source: url, ...resourceExtras(f, pem) }] } } },
      storage: { files: [LOCAL_FILE] },
    });
    const wanted = EXPECTED[f];
    if (wanted.ok && f !== 'huge') {
      expect(o.code, o.text).toBe(0);
      expect(tree(root)).toEqual(['/etc/local file']);
      if (f === 'flaky') expectRetryTiming(s.hits.get('/flaky/ca.pem'));
      return;
    }
    if (f === 'huge') {
      expect(o.code).toBe(1);
      expect(o.text).toMatch(/larger than 67108864 bytes/);
      expect(o.text).toContain(redacted(url));
    } else {
      expectBoundedFailure(f, o, url);
    }
    expect(tree(root)).toEqual([]);
  });
});

describe.concurrent('provider metadata (the fetch stage, digitalocean)', () => {
  let s: FaultServer;
  beforeAll(async () => void (s = await serve(GOOD_CONFIG)));
  // The user data has no verification hash: a wrong hash cannot happen there. A gzip-looking body
  // that does not decompress can (Kindling, beyond Ignition, accepts gzip-compressed user data).
  const PROVIDER_FAULTS = FAULTS.filter((f) => f !== 'hash');

  it.each(PROVIDER_FAULTS)('%s', { timeout: 60_000 }, async (f) => {
    const { dir, root } = newRoot();
    const origin =
      f === 'huge'
        ? new URL(big.url).origin.replace('//', `//${USERINFO}@`)
        : `${(f === 'untrusted' ? s.tlsOrigin : s.origin).replace('//', `//${USERINFO}@`)}/${f}`;
    const url = `${origin}/metadata/v1/user-data`;
    const sys = path.join(dir, 'sys');
    fs.mkdirSync(sys);
    fs.writeFileSync(path.join(dir, 'cmdline'), 'root=/dev/vda\n');
    const lines: string[] = [];
    const log = new EngineLog((t) => lines.push(t));
    const cache = path.join(dir, 'ignition.json');
    const report = path.join(dir, 'failure.json');
    const t0 = Date.now();
    const { code } = await runStage({
      stage: 'fetch',
      platform: getProvider('digitalocean')!,
      root,
      configCache: cache,
      needNet: path.join(dir, 'neednet'),
      stateFile: path.join(dir, 'state'),
      fetchTimeoutMs: timeoutsFor(f).httpTotal * 1000,
      log,
      host: realHost({ log }),
      env: {
        IGNITION_KERNEL_CMDLINE_PATH: path.join(dir, 'cmdline'),
        IGNITION_SYSTEM_CONFIG_DIR: sys,
        IGNITION_SYSTEM_RUNTIME_CONFIG_DIR: sys,
        IGNITION_SYSTEM_LOCAL_CONFIG_DIR: sys,
      },
      cwd: dir,
      failureReport: report,
      seams: { metadataOrigin: origin },
    });
    const o: Outcome = { code, text: lines.join('') + (fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : ''), elapsedMs: Date.now() - t0, peakMb: 0 };
    expect(tree(root)).toEqual([]); // the fetch stage never writes to the root
    const wanted = EXPECTED[f];
    if (wanted.ok && f !== 'huge') {
      expect(code, o.text).toBe(0);
      expect(JSON.parse(fs.readFileSync(cache, 'utf8')).storage.files[0].path).toBe('/etc/merged');
      if (f === 'flaky') expectRetryTiming(s.hits.get('/flaky/metadata/v1/user-data'));
      return;
    }
    expect(fs.existsSync(cache)).toBe(false);
    if (f === 'huge') {
      expect(code).toBe(1);
      expect(o.text).toMatch(/larger than 67108864 bytes/);
      expect(o.text).not.toContain('NETSECRET');
    } else if (f === 'gzip') {
      expect(code).toBe(1);
      expect(o.text).toMatch(/looks gzip-compressed but does not decompress/);
    } else {
      // A metadata request gets Ignition's fixed 10 s for headers, longer than the fetch timeout.
      expectBoundedFailure(f, o, url, { warning: f !== 'hang' });
    }
  });
});
