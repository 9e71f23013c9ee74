// An interrupted run leaves no temporary files in the target root: SIGINT and SIGTERM during a
// remote fetch remove them before the process dies of the signal; after SIGKILL, the next run
// removes the stale ones of its own naming.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, kindlingAsync } from './helpers.js';

let server: http.Server;
let base: string;
const hanging = new Set<http.ServerResponse>();
beforeAll(async () => {
  // /slow sends a little of the body, then nothing: the fetch is in progress, its temp file exists.
  server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      res.writeHead(200, { 'content-length': '1000000' });
      res.write('partial');
      hanging.add(res);
      return;
    }
    res.end('fresh\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const r of hanging) r.destroy();
  await new Promise((r) => server.close(r));
});

let dir: string;
let root: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-signals-'));
  root = path.join(dir, 'root');
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  return () => fs.rmSync(dir, { recursive: true, force: true });
});

const config = (source: string) => {
  const p = path.join(dir, `c-${Math.random().toString(16).slice(2)}.ign`);
  fs.writeFileSync(p, JSON.stringify({ ignition: { version: '3.4.0' }, storage: { files: [{ path: '/etc/motd', overwrite: true, contents: { source } }] } }));
  return p;
};
const temps = () => fs.readdirSync(path.join(root, 'etc')).filter((n) => n.startsWith('.kindling-'));

/** Starts `apply` on the slow source and resolves once its temp file exists. */
async function applyInterrupted(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'apply', '--root', root, config(`${base}/slow`)], { stdio: 'ignore' });
  for (let i = 0; i < 200 && temps().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(temps()).toHaveLength(1);
  return child;
}
const ended = (c: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => c.on('exit', (code, signal) => r({ code, signal })));

describe('interrupted fetches', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} removes the temp file, then the process dies of ${sig}`, async () => {
      const child = await applyInterrupted();
      const exit = ended(child);
      child.kill(sig);
      expect(await exit).toEqual({ code: null, signal: sig });
      expect(temps()).toEqual([]);
      expect(fs.existsSync(path.join(root, 'etc/motd'))).toBe(false);
    });
  }
  it('after SIGKILL, the next run removes the stale temp file', async () => {
    const child = await applyInterrupted();
    const exit = ended(child);
    child.kill('SIGKILL');
    await exit;
    expect(temps()).toHaveLength(1);
    // Someone else's file that only looks similar is left alone.
    fs.writeFileSync(path.join(root, 'etc/.kindling-notes'), 'mine');
    const r = await kindlingAsync(['apply', '--root', root, config(`${base}/ok`)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(root, 'etc/motd'), 'utf8')).toBe('fresh\n');
    expect(temps()).toEqual(['.kindling-notes']);
  });
});

describe('a command with nothing to clean up', () => {
  // Its signal handlers are set up with the first cleanup; until then the signal's own action ends it.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`dies of ${sig} while it waits for its input`, async () => {
      const child = spawn(process.execPath, [CLI, 'transpile'], { stdio: ['pipe', 'ignore', 'ignore'] });
      const exit = ended(child);
      await new Promise((r) => setTimeout(r, 300));
      child.kill(sig);
      expect(await exit).toEqual({ code: null, signal: sig });
    });
  }
});
