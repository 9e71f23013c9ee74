// The boot bundle an initramfs installs (dist/kindling-boot.cjs, from `npm run build`): its size
// stays within the budget recorded in bench/budgets.json, and it runs alone, copied into an empty
// directory with no node_modules, under each name an initramfs gives it, with its code cache, and
// from a startup snapshot built from it (HTTP included): the build of the snapshot fails when the
// top of a module holds what a snapshot cannot (a socket, a timer, a native object).
import { spawn, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedBootEnv, stageFlags } from '../support/boot-env.js';

const BUNDLE = path.resolve('dist/kindling-boot.cjs');
const GROWTH_ALLOWED = 1.1;

function budget(file: string): number {
  const budgets = JSON.parse(fs.readFileSync('bench/budgets.json', 'utf8')) as Record<string, unknown>;
  const b = budgets[file];
  if (typeof b !== 'number') throw new Error(`bench/budgets.json has no budget for ${file}`);
  return b;
}

describe('the boot bundle', () => {
  let dir: string;
  beforeAll(() => {
    if (!fs.existsSync(BUNDLE)) throw new Error('run `npm run build` first (npm test does)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-boot-bundle-'));
    for (const f of ['kindling-boot.cjs', 'kindling-boot.cache']) fs.copyFileSync(path.join('dist', f), path.join(dir, f));
    for (const name of ['ignition', 'ignition-kargs-helper', 'kindling-boot']) fs.symlinkSync('kindling-boot.cjs', path.join(dir, name));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (file: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [path.join(dir, file), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  /** Asynchronous, so that a loopback server in this process can answer. */
  const runFromSnapshot = (file: string, args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--snapshot-blob', path.join(dir, 'kindling-boot.blob'), path.join(dir, file), ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  it(`stays within ${Math.round((GROWTH_ALLOWED - 1) * 100)} % of its size budget`, () => {
    const size = fs.statSync(BUNDLE).size;
    const limit = Math.floor(budget('dist/kindling-boot.cjs') * GROWTH_ALLOWED);
    expect(
      size,
      `dist/kindling-boot.cjs is ${size} bytes, more than ${limit} (its budget in bench/budgets.json plus 10 %). ` +
        'Keep what the boot path does not need out of it (a dynamic import, a lazy require), or raise the budget in the commit that needs it and say why.',
    ).toBeLessThanOrEqual(limit);
  });

  it('requires nothing but Node built-ins and its own programs', () => {
    const text = fs.readFileSync(BUNDLE, 'latin1');
    const ids = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const foreign = [...ids].filter((id) => !builtins.has(id) && !id.startsWith('kindling:') && !id.startsWith('node:'));
    expect(foreign).toEqual([]);
    expect(ids.size).toBeGreaterThan(10); // the scan saw the programs
  });

  it('runs a stage alone in an empty directory, as `kindling-boot.cjs`, `ignition` and `kindling-boot`', () => {
    fs.writeFileSync(
      path.join(dir, 'config.ign'),
      '{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/etc/motd","contents":{"source":"data:,hi"}}]}}',
    );
    const env = { ...isolatedBootEnv(dir), IGNITION_CONFIG_FILE: path.join(dir, 'config.ign') };
    const flags = (stage: string) => stageFlags('file', stage, dir);
    fs.mkdirSync(path.join(dir, 'root'));
    const offline = run('kindling-boot.cjs', flags('fetch-offline'), env);
    expect(offline.status, offline.stderr + offline.stdout).toBe(0);
    expect(offline.stdout).toContain('fetch-offline passed');
    const files = run('ignition', ['-stage=files', ...flags('files').filter((a, i, all) => a !== '--stage' && all[i - 1] !== '--stage')], env);
    expect(files.status, files.stderr + files.stdout).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'root/etc/motd'), 'utf8')).toBe('hi');
    expect(fs.existsSync(path.join(dir, 'root/etc/.ignition-result.json'))).toBe(true);
    const version = run('kindling-boot', ['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^Kindling \d+\.\d+\.\d+\n$/);
  });

  it('reads a Butane config that only the full YAML parser takes, from the program the build packed', () => {
    // CRLF line ends: the fast reader leaves such a text to the yaml package, which the bundle
    // holds deflated (scripts/build.mjs, writeInline).
    // The loader's manifest entry of the program, written `"packed":true` or as a store
    // `.packed=true` (scripts/literal-stores.mjs).
    const text = fs.readFileSync(BUNDLE, 'latin1');
    const at = text.indexOf('["yaml",');
    expect(at).toBeGreaterThan(0);
    expect(text.slice(at, at + 300)).toMatch(/\bpacked"?[:=]true\b/);
    const w = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-boot-yaml-'));
    try {
      const bu = path.join(w, 'config.bu');
      fs.writeFileSync(bu, 'variant: fcos\r\nversion: 1.5.0\r\nstorage:\r\n  files:\r\n    - path: /etc/crlf\r\n      contents:\r\n        inline: read\r\n');
      fs.mkdirSync(path.join(w, 'root'));
      const env = { ...isolatedBootEnv(w), IGNITION_CONFIG_FILE: bu, KINDLING_TRACE_LOAD: '1' };
      const offline = run('kindling-boot.cjs', stageFlags('file', 'fetch-offline', w), env);
      expect(offline.status, offline.stderr + offline.stdout).toBe(0);
      expect(offline.stderr).toMatch(/program yaml: /);
      const files = run('kindling-boot.cjs', stageFlags('file', 'files', w), env);
      expect(files.status, files.stderr + files.stdout).toBe(0);
      expect(fs.readFileSync(path.join(w, 'root/etc/crlf'), 'utf8')).toBe('read');
    } finally {
      fs.rmSync(w, { recursive: true, force: true });
    }
  });

  it('is the kargs helper as `ignition-kargs-helper` and with `kargs-helper` first', () => {
    const boot = path.join(dir, 'boot');
    fs.mkdirSync(path.join(boot, 'loader/entries'), { recursive: true });
    const entry = path.join(boot, 'loader/entries/a.conf');
    fs.writeFileSync(entry, 'title Linux\nlinux /vmlinuz\noptions root=/dev/vda1 quiet\n');
    const a = run('ignition-kargs-helper', ['--boot-dir', boot, '--no-reboot', '--should-exist', 'console=ttyS0', '--should-not-exist', 'quiet']);
    expect(a.status, a.stderr).toBe(0);
    expect(fs.readFileSync(entry, 'utf8')).toContain('options root=/dev/vda1 console=ttyS0\n');
    const b = run('kindling-boot.cjs', ['kargs-helper', '--help']);
    expect(b.status).toBe(0);
    expect(b.stdout).toContain('usage: kindling kargs-helper');
  });

  it('runs the stages from a startup snapshot built from it elsewhere, fetching over HTTP', async () => {
    // Built from dist/, run from the copy: the bundle's location comes from the command line.
    const built = spawnSync(process.execPath, ['--snapshot-blob', path.join(dir, 'kindling-boot.blob'), '--build-snapshot', BUNDLE], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const config = '{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/etc/from-http","contents":{"source":"data:,ok"}}]}}';
    const server = http.createServer((req, res) => res.end(req.url === '/user.ign' ? config : ''));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const w = path.join(dir, 'snap');
      fs.mkdirSync(path.join(w, 'root'), { recursive: true });
      const env = isolatedBootEnv(w, `ignition.config.url=http://127.0.0.1:${(server.address() as AddressInfo).port}/user.ign\n`);
      const flags = (stage: string) => stageFlags('metal', stage, w);
      for (const stage of ['fetch-offline', 'fetch', 'files']) {
        const r = await runFromSnapshot('ignition', flags(stage), { ...env, KINDLING_TRACE_LOAD: '1' });
        expect(r.status, `${stage}: ${r.stderr}${r.stdout}`).toBe(0);
        // Every program comes from the snapshot, the HTTP client too (Node's own, loaded at its
        // first use); nothing is read or compiled from the bundle.
        expect(r.stderr.match(/program (\w+)/g) ?? [], stage).toEqual([]);
      }
      expect(fs.readFileSync(path.join(w, 'root/etc/from-http'), 'utf8')).toBe('ok');
      const helper = await runFromSnapshot('kindling-boot.cjs', ['kargs-helper', '--help'], {});
      expect(helper.stdout).toContain('usage: kindling kargs-helper');
    } finally {
      server.close();
    }
  });

  it("writes the same root through Node's bindings as through node:fs, and fails the same way", () => {
    /** The tree under `root`: each path's kind, permission bits, and contents or link target. */
    const tree = (root: string): string[] => {
      const out: string[] = [];
      const walk = (rel: string) => {
        const p = path.join(root, rel);
        const st = fs.lstatSync(p);
        const perm = (st.mode & 0o7777).toString(8);
        if (st.isSymbolicLink()) out.push(`${rel} link ${fs.readlinkSync(p)}`);
        else if (st.isDirectory()) {
          out.push(`${rel}/ ${perm}`);
          for (const n of fs.readdirSync(p).sort()) walk(path.join(rel, n));
        } else if (rel !== 'etc/.ignition-result.json') out.push(`${rel} ${perm} ${fs.readFileSync(p, 'utf8')}`);
      };
      walk('.');
      return out;
    };
    // 3.6.0: the setgid bit is kept (older specs drop it).
    const config = {
      ignition: { version: '3.6.0' },
      storage: {
        files: [
          { path: '/etc/motd', mode: 0o640, contents: { source: 'data:,hello%0A' } },
          { path: '/etc/existing', overwrite: true, contents: { source: 'data:;base64,bmV3Cg==' } },
          { path: '/etc/appended', append: [{ source: 'data:,more%0A' }] },
          { path: '/var/lib/app/deep/file', mode: 0o600, contents: { source: 'data:,x' } },
        ],
        directories: [{ path: '/srv/data', mode: 0o2750 }],
        links: [{ path: '/etc/localtime', target: '../usr/share/zoneinfo/UTC' }],
      },
      systemd: { units: [{ name: 'app.service', enabled: true, contents: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n' }] },
    };
    // A file where the config needs a directory: the stage fails.
    const failing = { ignition: { version: '3.4.0' }, storage: { files: [{ path: '/etc/existing/x', contents: { source: 'data:,x' } }] } };
    const runIn = (cfg: object, env: Record<string, string>) => {
      const w = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-boot-native-fs-'));
      try {
        fs.mkdirSync(path.join(w, 'root/etc'), { recursive: true });
        fs.writeFileSync(path.join(w, 'root/etc/existing'), 'old\n');
        fs.writeFileSync(path.join(w, 'root/etc/appended'), 'first\n', { mode: 0o600 });
        fs.writeFileSync(path.join(w, 'config.ign'), JSON.stringify(cfg));
        const all = { ...isolatedBootEnv(w), IGNITION_CONFIG_FILE: path.join(w, 'config.ign'), KINDLING_TRACE_LOAD: '1', ...env };
        const offline = run('kindling-boot.cjs', stageFlags('file', 'fetch-offline', w), all);
        expect(offline.status, offline.stderr + offline.stdout).toBe(0);
        const files = run('kindling-boot.cjs', stageFlags('file', 'files', w), all);
        const failure = fs.existsSync(path.join(w, 'failure.json'))
          ? fs
              .readFileSync(path.join(w, 'failure.json'), 'utf8')
              .replaceAll(w, 'W')
              .replace(/"time": "[^"]*"/, '"time": ""')
          : '';
        return { status: files.status, trace: files.stderr, tree: tree(path.join(w, 'root')), failure };
      } finally {
        fs.rmSync(w, { recursive: true, force: true });
      }
    };
    const pending = { NODE_PENDING_DEPRECATION: '1' };
    const native = runIn(config, {});
    const pub = runIn(config, pending);
    expect(native.trace).toMatch(/^kindling: loader: Node's fs and contextify bindings$/m);
    expect(pub.trace).toMatch(/^kindling: loader: the public fs and vm functions$/m);
    expect(native.status).toBe(0);
    expect(native.tree).toContain('etc/motd 640 hello\n');
    expect(native.tree).toContain('etc/appended 600 first\nmore\n');
    expect(native.tree).toContain('srv/data/ 2750');
    expect(native.tree).toEqual(pub.tree);
    const nativeFail = runIn(failing, {});
    const pubFail = runIn(failing, pending);
    expect(nativeFail.status).toBe(1);
    expect(nativeFail.failure).toMatch(/not a directory|ENOTDIR|exists/i);
    expect([nativeFail.status, nativeFail.failure, nativeFail.tree]).toEqual([pubFail.status, pubFail.failure, pubFail.tree]);
  });

  it("uses its code cache, recorded by the build for this Node, and this Node's bindings", () => {
    const r = run('kindling-boot.cjs', ['--version'], { KINDLING_TRACE_LOAD: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^kindling: loader: code cache loader$/m);
    expect(r.stderr).toMatch(/^kindling: loader: Node's fs and contextify bindings$/m);
    expect(r.stderr).toMatch(/program main: .* \(code cache main\)/);
  });

  it('gives each boot stage the code cache entry recorded by a run of that stage', () => {
    const head = fs.readFileSync(path.join(dir, 'kindling-boot.cache'), 'latin1').split('\n', 1)[0];
    const entries = (JSON.parse(head) as [string, number][]).map(([name]) => name);
    const stages = ['fetch-offline', 'fetch', 'kargs', 'disks', 'mount', 'files', 'umount'];
    // The loader's own entry first: scripts/start.cjs reads only that one, and the index from the
    // first 4 KiB of the file.
    expect(entries[0]).toBe('loader');
    expect(head.length).toBeLessThan(4096);
    // The Butane transpiler is a program of its own (packed), with its entry.
    expect(entries.sort()).toEqual(['load-butane', 'loader', 'main', ...stages.map((s) => `main@${s}`)].sort());
    const w = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-boot-stage-cache-'));
    try {
      fs.writeFileSync(path.join(w, 'empty.ign'), '');
      fs.mkdirSync(path.join(w, 'root'));
      const env = { ...isolatedBootEnv(w), IGNITION_CONFIG_FILE: path.join(w, 'empty.ign'), KINDLING_TRACE_LOAD: '1' };
      for (const stage of ['fetch-offline', 'files']) {
        const r = run('kindling-boot.cjs', stageFlags('file', stage, w), env);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr).toMatch(new RegExp(`program main: .* \\(code cache main@${stage}\\)`));
        expect(r.stderr).not.toContain('program load-butane');
      }
      fs.writeFileSync(
        path.join(w, 'config.bu'),
        'variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /etc/motd\n      contents:\n        inline: hi\n',
      );
      const r = run('kindling-boot.cjs', stageFlags('file', 'fetch-offline', w), { ...env, IGNITION_CONFIG_FILE: path.join(w, 'config.bu') });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/program load-butane: .* \(code cache load-butane\)/);
    } finally {
      fs.rmSync(w, { recursive: true, force: true });
    }
  });
});
