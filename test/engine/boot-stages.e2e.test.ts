// `kindling boot`, one process per stage as the initramfs runs it, against a config served over
// HTTP on 127.0.0.1 and named on a (fake) kernel command line. The tree it leaves must be the one
// `kindling apply` produces for the same config, plus the result file; a failing server must give
// exit 1 and a failure report whose URL is redacted.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpServer, type TestServer } from '../fetch/helpers.js';
import { sharedPath } from '../support/corpus.js';

const cli = path.resolve('dist/kindling.cjs');
const isRoot = process.getuid?.() === 0;
let dir: string;
let server: TestServer;
const SECRET = 'S3cr3tT0ken';

function seedRoot(root: string): void {
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n');
  fs.writeFileSync(path.join(root, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n', { mode: 0o640 });
  fs.writeFileSync(path.join(root, 'etc/gshadow'), 'root:*::\n', { mode: 0o640 });
}

/** path type mode uid gid size sha256 (or link target), sorted; the manifest format of the corpus. */
function manifest(root: string, skip: (rel: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const rel = '/' + path.relative(root, p);
      if (skip(rel)) continue;
      const st = fs.lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
      if (st.isSymbolicLink()) out.push(`${rel} l ${mode} ${st.uid} ${st.gid} - ${fs.readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.push(`${rel} d ${mode} ${st.uid} ${st.gid} - -`);
        walk(p);
      } else out.push(`${rel} f ${mode} ${st.uid} ${st.gid} ${st.size} ${createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
    }
  };
  walk(root);
  return out;
}

function userConfig(port: number): string {
  return JSON.stringify({
    ignition: { version: '3.4.0', config: { merge: [{ source: `http://127.0.0.1:${port}/extra.ign` }] } },
    storage: { files: [{ path: '/etc/hostname', mode: 420, contents: { source: 'data:,node-1%0A' } }] },
    passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKindlingTestKey core@test'] }] },
    systemd: {
      units: [
        {
          name: 'app.service',
          enabled: true,
          contents: '[Unit]\nDescription=app\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
          dropins: [{ name: '10-env.conf', contents: '[Service]\nEnvironment=MODE=prod\n' }],
        },
      ],
    },
  });
}

const EXTRA = JSON.stringify({ ignition: { version: '3.4.0' }, storage: { files: [{ path: '/etc/extra.conf', contents: { source: 'data:,merged%0A' } }] } });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-boot-e2e-'));
  server = await httpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/user.ign') res.end(userConfig(server.port));
    else if (url.pathname === '/extra.ign') res.end(EXTRA);
    else if (url.pathname === '/broken.ign') {
      res.statusCode = 500;
      res.end('down\n');
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Work {
  w: string;
  root: string;
  cache: string;
  neednet: string;
  state: string;
  report: string;
}

function work(name: string, cmdline: string): Work {
  const w = path.join(dir, name);
  fs.mkdirSync(path.join(w, 'sysconfig'), { recursive: true });
  fs.writeFileSync(path.join(w, 'cmdline'), cmdline);
  const root = path.join(w, 'root');
  seedRoot(root);
  return {
    w,
    root,
    cache: path.join(w, 'ignition.json'),
    neednet: path.join(w, 'neednet'),
    state: path.join(w, 'state'),
    report: path.join(w, 'failure.json'),
  };
}

/** Runs a process without blocking this one: the HTTP server lives in the test process. */
function run(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: opts.cwd, env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function stage(k: Work, name: string, extra: string[] = []) {
  return run(
    [
      cli,
      'boot',
      '--platform',
      'metal',
      '--stage',
      name,
      '--root',
      k.root,
      '--config-cache',
      k.cache,
      '--neednet',
      k.neednet,
      '--state-file',
      k.state,
      '--failure-report',
      k.report,
      '--log-to-stdout',
      ...extra,
    ],
    {
      cwd: k.w,
      env: {
        ...process.env,
        IGNITION_KERNEL_CMDLINE_PATH: path.join(k.w, 'cmdline'),
        IGNITION_SYSTEM_CONFIG_DIR: path.join(k.w, 'sysconfig'),
        IGNITION_SYSTEM_RUNTIME_CONFIG_DIR: path.join(k.w, 'none-1'),
        IGNITION_SYSTEM_LOCAL_CONFIG_DIR: path.join(k.w, 'none-2'),
      },
    },
  );
}

describe.skipIf(!isRoot)('kindling boot, stage by stage, as separate processes', () => {
  it('fetches over HTTP when the network is up, caches, and provisions what kindling apply provisions', async () => {
    const k = work('ok', `root=/dev/vda ignition.config.url=http://127.0.0.1:${server.port}/user.ign ro`);

    const offline = await stage(k, 'fetch-offline');
    expect(offline.status, offline.stdout + offline.stderr).toBe(0);
    expect(fs.existsSync(k.neednet)).toBe(true);
    expect(fs.existsSync(k.cache)).toBe(false);

    const fetch = await stage(k, 'fetch');
    expect(fetch.status, fetch.stdout + fetch.stderr).toBe(0);
    expect(fs.statSync(k.cache).mode & 0o777).toBe(0o640);
    expect(fs.statSync(k.state).mode & 0o777).toBe(0o600);
    const state = JSON.parse(fs.readFileSync(k.state, 'utf8'));
    expect(state.fetchedConfigs).toEqual([
      { kind: 'base', source: 'system', referenced: false },
      { kind: 'base', source: 'system', referenced: false },
      { kind: 'user', source: 'cmdline', referenced: false },
      { kind: 'user', source: '/extra.ign', referenced: true },
    ]);

    for (const s of ['kargs', 'disks', 'mount', 'files', 'umount']) {
      const r = await stage(k, s);
      expect(r.status, `${s}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    const result = JSON.parse(fs.readFileSync(path.join(k.root, 'etc/.ignition-result.json'), 'utf8'));
    expect(result.userConfigProvided).toBe(true);
    expect(fs.statSync(path.join(k.root, 'etc/.ignition-result.json')).mode & 0o777).toBe(0o600);

    // The same config through kindling apply, in another root.
    const other = path.join(dir, 'apply-root');
    seedRoot(other);
    fs.writeFileSync(path.join(dir, 'user.ign'), userConfig(server.port));
    const applied = await run([cli, 'apply', '--root', other, path.join(dir, 'user.ign')]);
    expect(applied.status, applied.stderr).toBe(0);
    const skip = (rel: string) => rel === '/etc/.ignition-result.json';
    expect(manifest(k.root, skip)).toEqual(manifest(other, skip));
    expect(fs.readFileSync(path.join(k.root, 'etc/extra.conf'), 'utf8')).toBe('merged\n');
    expect(fs.readFileSync(path.join(k.root, 'etc/systemd/system/app.service.d/10-env.conf'), 'utf8')).toContain('MODE=prod');
    expect(fs.readFileSync(path.join(k.root, 'home/core/.ssh/authorized_keys.d/ignition'), 'utf8')).toContain('KindlingTestKey');
  });

  it('fails with exit 1 against a server that answers 500, and the report redacts the URL', async () => {
    const url = `http://admin:hunter2@127.0.0.1:${server.port}/broken.ign?token=${SECRET}`;
    const k = work('fail', `ignition.config.url=${url}`);
    const offline = await stage(k, 'fetch-offline');
    expect(offline.status).toBe(0);
    expect(fs.existsSync(k.neednet)).toBe(true);

    const fetch = await stage(k, 'fetch', ['--fetch-timeout', '2s']);
    expect(fetch.status).toBe(1);
    const all = fetch.stdout + fetch.stderr;
    expect(all).toContain('CRITICAL : Ignition failed: unable to fetch resource in time');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain('hunter2');
    expect(fs.existsSync(k.cache)).toBe(false);

    const report = JSON.parse(fs.readFileSync(k.report, 'utf8'));
    expect(report).toMatchObject({ stage: 'fetch', message: 'unable to fetch resource in time' });
    expect(report.url).toBe(`http://REDACTED@127.0.0.1:${server.port}/broken.ign?token=REDACTED`);
    expect(report.hint).toMatch(/fetch-timeout/);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(fs.statSync(k.report).mode & 0o777).toBe(0o600);
  });
});

describe('kindling boot command line', () => {
  it('rejects an unknown platform and stage the way Ignition does (exit 2)', () => {
    const p = spawnSync(process.execPath, [cli, 'boot', '-platform=nope', '-stage=files'], { encoding: 'utf8' });
    expect(p.status).toBe(2);
    expect(p.stderr).toContain('invalid value "nope" for flag -platform: nope is not a valid platform');
    const s = spawnSync(process.execPath, [cli, 'boot', '--platform', 'metal', '--stage', 'bake'], { encoding: 'utf8' });
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('invalid value "bake" for flag -stage: bake is not a valid stage');
    const m = spawnSync(process.execPath, [cli, 'boot', '--stage', 'files'], { encoding: 'utf8' });
    expect(m.status).toBe(2);
    expect(m.stderr).toContain("'--platform' must be provided");
  });

  it('refuses to run on this machine’s own root outside an initramfs', () => {
    if (fs.existsSync('/etc/initrd-release')) return;
    const r = spawnSync(process.execPath, [cli, 'boot', '--platform', 'metal', '--stage', 'files', '--log-to-stdout'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('/etc/initrd-release is missing');
  });

  it('answers to the name `ignition`, as distro glue calls it', () => {
    const link = path.join(dir, 'ignition');
    fs.symlinkSync(cli, link);
    const r = spawnSync(process.execPath, [link, '-version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Kindling \d/);
  });
});

describe('the boot corpus recorded from Ignition v2.26.0', () => {
  const tool = sharedPath('tools/conformance.mjs');
  it.skipIf(!tool)('every stage of every row matches (exit codes, neednet, cache, state, result, tree)', () => {
    const r = spawnSync(process.execPath, [tool!, '--set', 'boot'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/boot 12\/12/);
  });
});
