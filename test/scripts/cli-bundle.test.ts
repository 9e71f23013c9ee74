// The CLI the build writes (dist/kindling.cjs and its programs in dist/kindling/): its start-up code
// compiles the loader and each program from the V8 code cache the build recorded, a command that
// reads either config format takes the cache entry recorded on the format it was given, and a copy
// of the CLI without its programs says what is missing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/kindling.cjs');

/** Runs `fn` in a fresh temporary directory, removed afterwards. */
function inTempDir(prefix: string, fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const run = (file: string, args: string[]) =>
  spawnSync(process.execPath, [file, ...args], { env: { PATH: process.env.PATH ?? '', KINDLING_TRACE_LOAD: '1' }, encoding: 'utf8' });

describe('the CLI bundle', () => {
  beforeAll(() => {
    if (!fs.existsSync(CLI)) throw new Error('run `npm run build` first (npm test does)');
  });

  it('compiles its loader and its programs from their code cache', () => {
    const r = run(CLI, ['--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^kindling: loader: code cache loader$/m);
    expect(r.stderr).toMatch(/program main: .* \(code cache main\)/);
    const head = fs.readFileSync('dist/kindling/loader.cache', 'latin1').split('\n', 1)[0];
    expect(JSON.parse(head)).toEqual([['loader', expect.any(Number)]]);
  });

  it("reads, compiles and writes through Node's bindings on the Node that built it, and through the public functions where those would warn", () => {
    const r = run(CLI, ['transpile', 'examples/webserver.bu']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^kindling: loader: Node's fs and contextify bindings$/m);
    expect(JSON.parse(r.stdout).ignition.version).toBe('3.5.0');
    // Under --pending-deprecation, process.binding warns at its first call: it is not called.
    const env = { PATH: process.env.PATH ?? '', KINDLING_TRACE_LOAD: '1', NODE_PENDING_DEPRECATION: '1' };
    const pub = spawnSync(process.execPath, [CLI, 'transpile', 'examples/webserver.bu'], { env, encoding: 'utf8' });
    expect(pub.status, pub.stderr).toBe(0);
    expect(pub.stderr).toMatch(/^kindling: loader: the public fs and vm functions$/m);
    expect(pub.stderr).not.toMatch(/Warning/);
    expect(pub.stderr).toMatch(/program transpile: .* \(code cache transpile\)/);
    expect(pub.stdout).toBe(r.stdout);
    // Under the permission model process.binding is refused: the same.
    const perm = spawnSync(process.execPath, ['--experimental-permission', '--allow-fs-read=*', CLI, 'transpile', 'examples/webserver.bu'], {
      env: { PATH: process.env.PATH ?? '', KINDLING_TRACE_LOAD: '1' },
      encoding: 'utf8',
    });
    expect(perm.status, perm.stderr).toBe(0);
    expect(perm.stderr).toMatch(/^kindling: loader: the public fs and vm functions$/m);
    expect(perm.stdout).toBe(r.stdout);
  });

  it("says what is wrong with an input it cannot read, through Node's bindings as through node:fs", () => {
    inTempDir('kindling-cli-unreadable-', (dir) => {
      const pending = { PATH: process.env.PATH ?? '', NODE_PENDING_DEPRECATION: '1' };
      for (const [file, message] of [
        [path.join(dir, 'absent.ign'), 'no such file'],
        [dir, 'it is a directory, not a config file'],
      ]) {
        for (const env of [{ PATH: process.env.PATH ?? '' }, pending]) {
          const r = spawnSync(process.execPath, [CLI, 'validate', file], { env, encoding: 'utf8' });
          expect(r.status).toBe(1);
          expect(r.stderr).toBe(`kindling validate: cannot read ${file}: ${message}\n`);
        }
      }
    });
  });

  it("looks at the target root through Node's bindings as through node:fs", () => {
    inTempDir('kindling-cli-lstat-', (dir) => {
      // A root with a file, a symlink and a directory reached through a symlink: what the plan says
      // of each depends on what lstat found there.
      const root = path.join(dir, 'root');
      for (const d of ['etc', 'real-var/lib']) fs.mkdirSync(path.join(root, d), { recursive: true });
      for (const f of ['passwd', 'group', 'shadow', 'gshadow']) fs.writeFileSync(path.join(root, 'etc', f), '');
      fs.writeFileSync(path.join(root, 'etc/hostname'), 'old\n');
      fs.symlinkSync('../usr/share/zoneinfo/Europe', path.join(root, 'etc/localtime'));
      fs.symlinkSync('real-var', path.join(root, 'var'));
      const config = path.join(dir, 'config.ign');
      fs.writeFileSync(
        config,
        JSON.stringify({
          ignition: { version: '3.4.0' },
          storage: {
            files: [{ path: '/etc/hostname', contents: { source: 'data:,a' } }],
            links: [{ path: '/etc/localtime', target: '/usr/share/zoneinfo/UTC', overwrite: true }],
            directories: [{ path: '/var/lib/d', mode: 0o700 }],
          },
        }),
      );
      const apply = (rootDir: string, env: Record<string, string>) =>
        spawnSync(process.execPath, [CLI, 'apply', '--dry-run', '--root', rootDir, config], {
          env: { PATH: process.env.PATH ?? '', ...env },
          encoding: 'utf8',
        });
      const native = apply(root, { KINDLING_TRACE_LOAD: '1' });
      expect(native.stderr).toMatch(/^kindling: loader: Node's fs and contextify bindings$/m);
      expect(native.stdout).toMatch(/error creating file "\/etc\/hostname": A file exists there already/);
      expect(native.stdout).toMatch(/remove \/etc\/localtime/);
      expect(native.stdout).toMatch(/mkdir -p \/real-var\/lib\/d in the root \(via symlink \/var -> real-var/);
      const pub = apply(root, { NODE_PENDING_DEPRECATION: '1' });
      expect([pub.status, pub.stdout]).toEqual([native.status, native.stdout]);
      // A root that is a file, or that is not there, is refused the same way by both.
      for (const bad of [path.join(root, 'etc/hostname'), path.join(dir, 'absent'), path.join(root, 'etc/hostname/x')]) {
        for (const env of [{}, { NODE_PENDING_DEPRECATION: '1' }] as Record<string, string>[]) {
          const r = apply(bad, env);
          expect([r.status, r.stderr]).toEqual([1, `kindling apply: root ${bad} is not a directory\n`]);
        }
      }
    });
  });

  it('uses the public functions on another Node than the one the build checked the bindings on', () => {
    inTempDir('kindling-cli-other-node-', (dir) => {
      const start = fs.readFileSync(CLI, 'utf8');
      const edited = start.replace(`"node":${JSON.stringify(process.version)}`, '"node":"v0.0.0"');
      expect(edited).not.toBe(start);
      fs.writeFileSync(path.join(dir, 'kindling.cjs'), edited);
      fs.cpSync(path.resolve('dist/kindling'), path.join(dir, 'kindling'), { recursive: true });
      const r = run(path.join(dir, 'kindling.cjs'), ['validate', path.resolve('examples/webserver.ign')]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^kindling: loader: the public fs and vm functions$/m);
      expect(r.stderr).toMatch(/program validate: .* \(code cache validate@json\)/);
    });
  });

  it('gives validate and apply the entry recorded on the format of the config', () => {
    for (const [file, entry] of [
      ['examples/webserver.ign', 'validate@json'],
      ['examples/webserver.bu', 'validate'],
    ]) {
      const r = run(CLI, ['validate', file]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`program validate: .* \\(code cache ${entry}\\)`));
    }
    for (const name of ['validate', 'apply']) {
      const head = fs.readFileSync(`dist/kindling/${name}.cache`, 'latin1').split('\n', 1)[0];
      expect((JSON.parse(head) as [string, number][]).map(([n]) => n).sort()).toEqual([name, `${name}@json`]);
    }
  });

  it('has a code cache for the program of every command but lsp and embed', () => {
    // lsp is a server, started once per editor session; embed's run is losetup and mount, as root.
    const uncached = new Set(['lsp', 'embed']);
    const programs = fs
      .readdirSync('dist/kindling')
      .filter((f) => f.endsWith('.js'))
      .map((f) => f.slice(0, -3));
    expect(programs.filter((p) => !uncached.has(p) && !fs.existsSync(`dist/kindling/${p}.cache`))).toEqual([]);
    inTempDir('kindling-cli-caches-', (dir) => {
      const crlf = path.join(dir, 'crlf.bu');
      fs.writeFileSync(crlf, fs.readFileSync('examples/webserver.bu', 'utf8').replaceAll('\n', '\r\n'));
      const img = path.join(dir, 'config.img');
      for (const args of [
        ['transpile', crlf],
        ['plan', 'examples/webserver.bu'],
        ['decompile', 'examples/webserver.ign'],
        ['karg', '--gzip', 'examples/webserver.ign'],
        ['initrd', 'wrap', '-i', 'examples/webserver.ign', '-o', img],
        ['initrd', 'unwrap', img],
      ]) {
        const r = run(CLI, args);
        expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        const loads = r.stderr.split('\n').filter((l) => l.startsWith('kindling: program '));
        expect(loads.length, r.stderr).toBeGreaterThan(1);
        expect(
          loads.filter((l) => !/\(code cache [\w@-]+\)/.test(l)),
          args.join(' '),
        ).toEqual([]);
      }
    });
  });

  it("never starts ICU's collator: localeCompare or Intl costs a first call about as much as Node's start-up", () => {
    const programs = fs.readdirSync('dist/kindling').filter((f) => f.endsWith('.js'));
    expect(programs.length).toBeGreaterThan(10);
    for (const f of [...programs.map((p) => `dist/kindling/${p}`), 'dist/kindling-boot.cjs'])
      expect(fs.readFileSync(f, 'utf8').match(/\blocaleCompare\b|\bIntl\.|\btoLocale[A-Za-z]*\(/g) ?? [], f).toEqual([]);
  });

  it('starts the transpile and decompile programs without lazy module initializers', () => {
    // esbuild wraps each module reachable from an import() in an initializer that runs at its first
    // use, each with a "use strict" of its own: about 25 thousand instructions of every cold start
    // apiece (scripts/build.mjs). Two empty ones remain, for built-in modules the programs share.
    for (const p of ['transpile', 'decompile']) {
      const text = fs.readFileSync(`dist/kindling/${p}.js`, 'utf8');
      expect(text.match(/"use strict"/g)?.length ?? 0, p).toBeLessThanOrEqual(3);
    }
  });

  it('runs a program whose file is not the length the build wrote, from its text', () => {
    inTempDir('kindling-cli-edited-', (dir) => {
      fs.copyFileSync(CLI, path.join(dir, 'kindling.cjs'));
      fs.cpSync(path.resolve('dist/kindling'), path.join(dir, 'kindling'), { recursive: true });
      const want = run(CLI, ['transpile', path.resolve('examples/webserver.bu')]);
      // Longer at its start: a read cut at the build's length would end mid-program.
      const program = path.join(dir, 'kindling/transpile.js');
      fs.writeFileSync(program, '/* édité */ ' + fs.readFileSync(program, 'utf8'));
      const r = run(path.join(dir, 'kindling.cjs'), ['transpile', path.resolve('examples/webserver.bu')]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(want.stdout);
      expect(r.stderr).toMatch(/program transpile: .* \(code cache transpile REJECTED\)/);
    });
  });

  it('says so when its programs are missing', () => {
    inTempDir('kindling-cli-alone-', (dir) => {
      fs.copyFileSync(CLI, path.join(dir, 'kindling.cjs'));
      const r = run(path.join(dir, 'kindling.cjs'), ['--version']);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('kindling: kindling.cjs needs the directory of programs npm run build writes beside it (kindling/)\n');
    });
  });

  it('writes to a pipe, a file and /dev/null itself, without the stream machinery Node would load', () => {
    inTempDir('kindling-cli-stdio-', (dir) => {
      // The modules Node loaded beyond its own start, written at exit.
      const preload = path.join(dir, 'modules.cjs');
      fs.writeFileSync(
        preload,
        `const base = new Set(process.moduleLoadList);
process.on('exit', () => require('fs').writeFileSync(process.env.MODULES_OUT, process.moduleLoadList.filter((m) => !base.has(m)).join('\\n')));`,
      );
      const out = path.join(dir, 'out.txt');
      const cases: [string, () => number | 'pipe', () => string][] = [
        ['pipe', () => 'pipe', () => ''],
        ['file', () => fs.openSync(out, 'w'), () => fs.readFileSync(out, 'utf8')],
        ['/dev/null', () => fs.openSync('/dev/null', 'w'), () => ''],
      ];
      for (const [kind, open, written] of cases) {
        const stdout = open();
        const modules = path.join(dir, `modules-${kind.replace(/\W/g, '')}`);
        const r = spawnSync(process.execPath, ['-r', preload, CLI, '--version'], {
          stdio: ['ignore', stdout, 'pipe'],
          env: { PATH: process.env.PATH ?? '', MODULES_OUT: modules },
          encoding: 'utf8',
        });
        if (typeof stdout === 'number') fs.closeSync(stdout);
        expect(r.status, `${kind}: ${r.stderr}`).toBe(0);
        if (kind === 'pipe') expect(r.stdout).toMatch(/^kindling \d+\.\d+\.\d+/);
        if (kind === 'file') expect(written()).toMatch(/^kindling \d+\.\d+\.\d+/);
        // Node's own stdout would be a net.Socket (pipe) or a SyncWriteStream (file, /dev/null).
        expect(fs.readFileSync(modules, 'utf8'), kind).not.toMatch(/NativeModule (net|tty|stream|internal\/fs\/sync_write_stream)$/m);
      }
    });
  });

  it('reads a config larger than its first read from a file and from stdin alike', () => {
    inTempDir('kindling-cli-input-', (dir) => {
      const files = Array.from({ length: 1000 }, (_, i) => `    - path: /etc/file-${i}\n      contents:\n        inline: content number ${i}\n`).join('');
      const bu = path.join(dir, 'big.bu');
      fs.writeFileSync(bu, `variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n${files}`);
      expect(fs.statSync(bu).size).toBeGreaterThan(3 * 16 * 1024);
      const fromFile = spawnSync(process.execPath, [CLI, 'transpile', bu], { encoding: 'utf8' });
      const fromStdin = spawnSync(process.execPath, [CLI, 'transpile', '-'], { input: fs.readFileSync(bu), encoding: 'utf8' });
      expect(fromFile.status, fromFile.stderr).toBe(0);
      expect(JSON.parse(fromFile.stdout).storage.files).toHaveLength(1000);
      expect(fromStdin.stdout).toBe(fromFile.stdout);
    });
  });
});
