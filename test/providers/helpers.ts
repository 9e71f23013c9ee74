// Fixtures for the provider tests: a provider context over the real host, fake metadata services
// on 127.0.0.1 that replay the corpus scenarios and record every request, and stub executables
// that record their argv.
import * as fs from 'node:fs';
import type http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchToBuffer } from '../../src/fetch/index.js';
import { realHost, type Host } from '../../src/host/host.js';
import type { Tools } from '../../src/host/tools.js';
import type { ProviderContext, ProviderSeams } from '../../src/providers/provider.js';
import { httpServer, recordingLogger, type RecordingLogger, type TestServer } from '../fetch/helpers.js';

export { recordingLogger, type RecordingLogger };

export interface CtxOptions {
  seams?: ProviderSeams;
  offline?: boolean;
  fetchTimeoutMs?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
  tools?: Partial<Tools>;
  paths?: Partial<Host['paths']>;
  signal?: AbortSignal;
}

export function makeCtx(o: CtxOptions = {}): ProviderContext & { log: RecordingLogger } {
  const log = recordingLogger();
  const offline = o.offline ?? false;
  const fetchTimeoutMs = o.fetchTimeoutMs ?? 3000;
  const signal = o.signal ?? new AbortController().signal;
  return {
    host: realHost({ log, tools: o.tools, paths: o.paths }),
    log,
    env: o.env ?? {},
    cwd: o.cwd ?? process.cwd(),
    offline,
    fetchTimeoutMs,
    signal,
    seams: { waitScale: 0.01, ...o.seams },
    fetchResource: (res) => fetchToBuffer(res, { offline, signal, log, timeouts: { httpTotal: fetchTimeoutMs / 1000 } }),
  };
}

/** Settles `p`: the value, or the error it threw. */
export async function outcome<T>(p: Promise<T>): Promise<{ value?: T; error?: Error }> {
  try {
    return { value: await p };
  } catch (e) {
    return { error: e as Error };
  }
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kindling-prov-${prefix}-`));
}

// ---- fake metadata services ----------------------------------------------------------------------

export interface Seen {
  t: number;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string | null;
  srcPort: number;
}

export interface ScenarioResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  bodyB64?: string;
  /** Answer only after this many ms (a slow service). */
  delayMs?: number;
}

export interface Route {
  method: string;
  url: string;
  responses: ScenarioResponse[];
}

export interface MetadataServer extends TestServer {
  seen: Seen[];
}

/**
 * The recorder's rules: a request matching a route's method and exact target gets that route's
 * n-th response (the last one repeats); anything else gets 404 `not found\n`.
 */
export async function routeServer(routes: Route[]): Promise<MetadataServer> {
  const seen: Seen[] = [];
  const hits = routes.map(() => 0);
  const t0 = Date.now();
  const server = await httpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({
        t: (Date.now() - t0) / 1000,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: body || null,
        srcPort: req.socket.remotePort ?? 0,
      });
      const i = routes.findIndex((r) => r.method === req.method && r.url === req.url);
      if (i < 0) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      const r = routes[i].responses[Math.min(hits[i]++, routes[i].responses.length - 1)];
      const send = () => res.writeHead(r.status, r.headers ?? {}).end(r.bodyB64 !== undefined ? Buffer.from(r.bodyB64, 'base64') : (r.body ?? ''));
      if (r.delayMs) setTimeout(send, r.delayMs);
      else send();
    });
  });
  return { ...server, seen };
}

// ---- stub executables ----------------------------------------------------------------------------

export interface Stubs {
  dir: string;
  /** argv (without argv[0]) of every call of `name`, in order. */
  calls(name: string): string[][];
  /** Writes an executable `name`: a POSIX sh `body` run after the call is recorded. */
  add(name: string, body: string): void;
  /** Forgets the recorded calls. */
  reset(): void;
  cleanup(): void;
}

/** A directory of stub commands that append their argv to `<dir>/<name>.calls` (NUL-separated). */
export function stubDir(): Stubs {
  const dir = tmpDir('stubs');
  return {
    dir,
    calls(name) {
      const file = path.join(dir, `${name}.calls`);
      if (!fs.existsSync(file)) return [];
      return fs
        .readFileSync(file, 'utf8')
        .split('\x1e')
        .filter((l) => l !== '')
        .map((l) => l.split('\0').slice(0, -1));
    },
    add(name, body) {
      const file = path.join(dir, name);
      const log = path.join(dir, `${name}.calls`);
      fs.writeFileSync(file, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done >> '${log}'\nprintf '\\036' >> '${log}'\n${body}\n`, { mode: 0o755 });
    },
    reset() {
      for (const f of fs.readdirSync(dir)) if (f.endsWith('.calls')) fs.rmSync(path.join(dir, f));
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
