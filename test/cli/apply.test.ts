// `kindling apply` as a new user meets it: clean messages for a bad config path, the flags its
// messages point at (--files-dir, --fetch-timeout), a root without an account database, and a
// guard against applying to the machine's own root.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { kindling, kindlingAsync, kindlingIntoClosedPipe } from './helpers.js';

let dir: string;
let root: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-apply-'));
  root = path.join(dir, 'root');
  fs.mkdirSync(root);
  return () => fs.rmSync(dir, { recursive: true, force: true });
});
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const ign = (body: object) => write(`c-${Math.random().toString(16).slice(2)}.ign`, JSON.stringify({ ignition: { version: '3.4.0' }, ...body }));

describe('kindling apply: the config argument', () => {
  it('a missing file or a directory gets the message transpile and validate give (exit 1)', () => {
    const missing = kindling(['apply', '--root', root, path.join(dir, 'nosuch.ign')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`kindling apply: cannot read ${path.join(dir, 'nosuch.ign')}: no such file\n`);
    const d = kindling(['apply', '--root', root, dir]);
    expect(d.status).toBe(1);
    expect(d.stderr).toBe(`kindling apply: cannot read ${dir}: it is a directory, not a config file\n`);
  });
  it('--help documents every flag; usage errors exit 2', () => {
    const h = kindling(['apply', '--help']);
    expect(h.status).toBe(0);
    for (const f of [
      '--root',
      '--dry-run',
      '--offline',
      '--ignore-unsupported',
      '--verbose',
      '--disks',
      '--device',
      '--files-dir',
      '--fetch-timeout',
      '--force-host',
      '--help',
    ])
      expect(h.stdout).toContain(f);
    expect(kindling(['help', 'apply']).stdout).toBe(h.stdout);
    const r = kindling(['apply', '--root']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('kindling apply: --root needs a value (DIR)');
    expect(kindling(['apply', ign({})]).stderr.split('\n')[0]).toBe('kindling apply: --root DIR is required');
  });
});

describe('kindling apply with Butane local: files', () => {
  it('takes --files-dir/-d, as its own error message asks', () => {
    fs.mkdirSync(path.join(dir, 'files'));
    fs.writeFileSync(path.join(dir, 'files/motd'), 'from a local file\n');
    const bu = write('local.bu', 'variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: /etc/motd\n      contents:\n        local: motd\n');
    const without = kindling(['apply', '--root', root, bu]);
    expect(without.status).toBe(1);
    expect(without.stderr).toContain('-d/--files-dir');
    for (const flag of ['-d', '--files-dir']) {
      fs.rmSync(path.join(root, 'etc'), { recursive: true, force: true });
      const r = kindling(['apply', '--root', root, flag, path.join(dir, 'files'), bu]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(fs.readFileSync(path.join(root, 'etc/motd'), 'utf8')).toBe('from a local file\n');
    }
  });
});

describe('kindling apply --fetch-timeout', () => {
  const servers: http.Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));
  it('bounds a source that keeps failing, where the config sets no httpTotal', async () => {
    const s = http.createServer((_req, res) => void res.writeHead(503).end());
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/x`;
    const cfg = ign({ storage: { files: [{ path: '/etc/x', contents: { source: url } }] } });
    const t = Date.now();
    const r = await kindlingAsync(['apply', '--root', root, '--fetch-timeout', '2s', cfg]);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unable to fetch resource in time');
    expect(r.stderr).toMatch(/giving up in [12](\.\d)? s \(--fetch-timeout\)/);
    expect(fs.existsSync(path.join(root, 'etc/x'))).toBe(false);
  });
  it('takes Go durations like boot, or plain seconds; refuses anything else', () => {
    expect(kindling(['apply', '--root', root, '--fetch-timeout', '1m30s', '--dry-run', ign({})]).status).toBe(0);
    expect(kindling(['apply', '--root', root, '--fetch-timeout', '90', '--dry-run', ign({})]).status).toBe(0);
    const bad = kindling(['apply', '--root', root, '--fetch-timeout', 'soon', ign({})]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('kindling apply: --fetch-timeout: "soon" is not a duration (e.g. 30s, 2m, 1m30s)');
  });
});

describe('kindling apply with users, on a root without an account database', () => {
  it('names the missing files before running anything', () => {
    const cfg = ign({
      passwd: { users: [{ name: 'core' }], groups: [{ name: 'ops' }] },
      storage: { files: [{ path: '/etc/motd', contents: { source: 'data:,hi' } }] },
    });
    const r = kindling(['apply', '--root', root, cfg]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the root has no /etc/passwd, /etc/group, /etc/shadow, /etc/gshadow');
    expect(r.stderr).not.toContain('cannot lock');
    expect(fs.readdirSync(root)).toEqual([]); // nothing ran, not even the file write
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n');
    const partial = kindling(['apply', '--root', root, '--dry-run', cfg]);
    expect(partial.status).toBe(1);
    expect(partial.stdout).toContain('the root has no /etc/passwd, /etc/shadow, /etc/gshadow');
  });
});

describe('kindling apply --root /', () => {
  const marker = path.join(os.tmpdir(), `kindling-host-guard-${process.pid}`);
  afterAll(() => fs.rmSync(marker, { recursive: true, force: true }));
  const cfg = () => ign({ storage: { files: [{ path: `${marker}/written`, contents: { source: 'data:,x' } }] } });
  it('refuses to change the running system without --force-host', () => {
    for (const r of ['/', '/.', path.relative(process.cwd(), '/')]) {
      const res = kindling(['apply', '--root', r, cfg()]);
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('--root / is the root of this system');
      expect(res.stderr).toContain('--force-host');
    }
    expect(fs.existsSync(marker)).toBe(false);
  });
  it('--dry-run only plans, so it needs no --force-host', () => {
    const res = kindling(['apply', '--root', '/', '--dry-run', cfg()]);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(`write ${marker}/written`);
    expect(fs.existsSync(marker)).toBe(false);
  });
  it('--force-host applies', () => {
    const res = kindling(['apply', '--root', '/', '--force-host', cfg()]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(fs.readFileSync(`${marker}/written`, 'utf8')).toBe('x');
  });
});

describe('kindling apply --dry-run | head', () => {
  it('ends quietly when the reader goes away', async () => {
    const files = Array.from({ length: 3000 }, (_, i) => ({ path: `/etc/f-${i}`, contents: { source: 'data:,x' } }));
    const r = await kindlingIntoClosedPipe(['apply', '--root', root, '--dry-run', ign({ storage: { files } })]);
    expect(r.gotData).toBe(true);
    expect(r.otherOutput).toBe('');
    expect(r.status).toBe(141);
  });
});
