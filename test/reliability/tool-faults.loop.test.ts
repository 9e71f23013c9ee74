// Disk and tool faults (issue 13 §2), through the built `kindling apply`: a tool that fails (a stub
// first on PATH that prints to stderr and exits 1) must be reported with the command, its exit
// status and its stderr; a target root that fills up or is read-only, a device that never appears
// and one that disappears mid-stage must end in a clear error, in bounded time, with nothing
// half-written and nothing left mounted. Real loop devices, always detached afterwards.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDisks } from '../../src/disks/index.js';
import { CLI } from '../cli/helpers.js';
import { canLoop, isRoot, Lab, loopReason, sh } from '../disks/lab.js';
import { httpServer } from '../fetch/helpers.js';
import { seedAccounts } from '../support/seed-root.js';

if (!canLoop) console.warn(`skipping the disk-fault tests: ${loopReason}`);
if (!isRoot) console.warn('skipping the tool-fault tests: they need root (useradd --root, chown)');

let lab: Lab | undefined;
afterEach(() => {
  lab?.cleanup();
  lab = undefined;
});

/** A directory with `name` stubs: each prints `stderr` and exits 1, or runs `script` if given. */
function stubs(dir: string, tools: Record<string, string>): string {
  const bin = path.join(dir, 'stub-bin');
  fs.mkdirSync(bin, { recursive: true });
  for (const [name, script] of Object.entries(tools)) fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return bin;
}
const failing = (name: string) => `echo "${name}: simulated failure (stub): Input/output error" >&2\nexit 1`;

function apply(args: string[], config: object, env: Record<string, string> = {}) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, 'apply', ...args, '-'], {
    encoding: 'utf8',
    input: JSON.stringify(config),
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: r.status, stderr: r.stderr, elapsedMs: Date.now() - t0 };
}

/** The report names the command, its exit status and its stderr. */
function expectCommandReport(stderr: string, tool: string): void {
  expect(stderr).toMatch(new RegExp(`\\b${tool.replace('.', '\\.')}\\b`));
  expect(stderr).toMatch(/exit (status|code):? 1\b/);
  expect(stderr).toContain(`${tool}: simulated failure (stub): Input/output error`);
}

const temps = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => path.basename(p).startsWith('.kindling-'));

describe.skipIf(!isRoot)('failing tools in the files stage', () => {
  it('useradd: the report names the command, exit status and stderr; nothing after it ran', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-toolfault-'));
    try {
      const root = path.join(dir, 'root');
      seedAccounts(root);
      const r = apply(
        ['--root', root],
        {
          ignition: { version: '3.4.0' },
          passwd: { users: [{ name: 'core', passwordHash: '$6$toolfault$' + 'H'.repeat(86) }] },
          storage: { files: [{ path: '/etc/after-users', contents: { source: 'data:,x' } }] },
        },
        { PATH: `${stubs(dir, { useradd: failing('useradd') })}:${process.env.PATH}` },
      );
      expect(r.status).toBe(1);
      expectCommandReport(r.stderr, 'useradd');
      expect(r.stderr).toContain('<redacted>'); // the password hash in the argv is masked
      expect(fs.existsSync(path.join(root, 'etc/after-users'))).toBe(false); // users come first
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('systemctl: a failing disable is reported; a failing is-enabled probe means "not enabled"', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-toolfault-'));
    try {
      const root = path.join(dir, 'root');
      fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
      const config = { ignition: { version: '3.4.0' }, systemd: { units: [{ name: 'old.service', enabled: false }] } };
      const probeOk = stubs(path.join(dir, 'a'), { systemctl: `case "$*" in *is-enabled*) exit 0;; esac\n${failing('systemctl')}` });
      const r = apply(['--root', root], config, { PATH: `${probeOk}:${process.env.PATH}` });
      expect(r.status).toBe(1);
      expectCommandReport(r.stderr, 'systemctl');
      expect(r.stderr).toContain('old.service');
      // Ignition asks `systemctl is-enabled` first and only disables what is enabled.
      const allFail = stubs(path.join(dir, 'b'), { systemctl: failing('systemctl') });
      const r2 = apply(['--root', root], config, { PATH: `${allFail}:${process.env.PATH}` });
      expect(r2.stderr).toBe('');
      expect(r2.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!canLoop)('failing tools in the disks stage', () => {
  const diskConfig = (dev: string, extra: object = {}) => ({
    ignition: { version: '3.4.0' },
    storage: {
      disks: [{ device: dev, wipeTable: true, partitions: [{ number: 1, label: 'ROOT', sizeMiB: 0 }] }],
      filesystems: [{ device: `${dev}p1`, format: 'ext4', label: 'root', path: '/', wipeFilesystem: true }],
      files: [{ path: '/etc/hostname', contents: { source: 'data:,faulty%0A' } }],
      ...extra,
    },
  });

  it.each(['sgdisk', 'mkfs.ext4'])('%s: reported with command, exit status and stderr; nothing mounted', (tool) => {
    lab = new Lab();
    const dev = lab.disk(64);
    const root = path.join(lab.dir, 'sysroot');
    fs.mkdirSync(root);
    const r = apply(['--root', root, '--disks', '--device', dev], diskConfig(dev), {
      PATH: `${stubs(lab.dir, { [tool]: failing(tool) })}:${process.env.PATH}`,
      KINDLING_RUN_DIR: path.join(lab.dir, 'run'),
    });
    expect(r.status).toBe(1);
    expectCommandReport(r.stderr, tool);
    expect(fs.readFileSync('/proc/mounts', 'utf8')).not.toContain(root);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('cryptsetup: luksFormat failing is reported; the key file it was given is gone', () => {
    lab = new Lab();
    const dev = lab.disk(64);
    const root = path.join(lab.dir, 'sysroot');
    fs.mkdirSync(root);
    const keysBefore = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('kindling-luks-'));
    const config = {
      ignition: { version: '3.4.0' },
      storage: {
        disks: [{ device: dev, wipeTable: true, partitions: [{ number: 1, label: 'CRYPT', sizeMiB: 0 }] }],
        luks: [{ name: 'faultcrypt', device: `${dev}p1`, wipeVolume: true }],
      },
    };
    const r = apply(['--root', root, '--disks', '--device', dev], config, {
      PATH: `${stubs(lab.dir, { cryptsetup: failing('cryptsetup') })}:${process.env.PATH}`,
      KINDLING_RUN_DIR: path.join(lab.dir, 'run'),
    });
    expect(r.status).toBe(1);
    expectCommandReport(r.stderr, 'cryptsetup');
    expect(r.stderr).toContain('luksFormat');
    expect(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('kindling-luks-'))).toEqual(keysBefore);
  });

  it('a device that disappears mid-stage (the loop device detached before mkfs): a clear error, nothing mounted', () => {
    lab = new Lab();
    const dev = lab.disk(64);
    const root = path.join(lab.dir, 'sysroot');
    fs.mkdirSync(root);
    const realMkfs = sh('sh', ['-c', 'command -v mkfs.ext4']).trim();
    const bin = stubs(lab.dir, { 'mkfs.ext4': `losetup -d ${dev}\nsleep 0.5\nexec ${realMkfs} "$@"` });
    const r = apply(['--root', root, '--disks', '--device', dev], diskConfig(dev), {
      PATH: `${bin}:${process.env.PATH}`,
      KINDLING_RUN_DIR: path.join(lab.dir, 'run'),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/mkfs\.ext4/);
    expect(r.stderr).toMatch(/exit status [1-9]/);
    expect(r.stderr).toContain(`(device "${dev}p1" disappeared)`);
    expect(r.elapsedMs).toBeLessThan(60_000);
    expect(fs.readFileSync('/proc/mounts', 'utf8')).not.toContain(root);
  });

  it('a device that never appears: the timeout names it', async () => {
    lab = new Lab();
    const missing = '/dev/disk/by-id/kindling-never-appears';
    const t0 = Date.now();
    const e = await runDisks(
      { ignition: { version: '3.4.0' }, storage: { filesystems: [{ device: missing, format: 'ext4', wipeFilesystem: true }] } },
      lab.host,
      { devices: [missing], deviceTimeoutMs: 1500 },
    ).then(
      () => null,
      (err: Error) => err,
    );
    expect(e?.message).toMatch(/timed out after 1\.5s waiting for device "\/dev\/disk\/by-id\/kindling-never-appears" to appear/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });
});

describe.skipIf(!canLoop)('a target root that fills up or is read-only', () => {
  const BIG = 16 * 1024 * 1024;

  /** A tiny ext4 on a loop device, mounted as the root (read-only if asked). */
  function tinyRoot(mib: number, opts: string[] = []): string {
    lab = new Lab();
    const dev = lab.disk(mib);
    sh('mkfs.ext4', ['-q', '-F', dev]);
    const root = path.join(lab.dir, 'sysroot');
    lab.mount(dev, root, opts);
    if (!opts.includes('ro')) fs.mkdirSync(path.join(root, 'etc'));
    return root;
  }

  it('ENOSPC mid-write: a clear error naming the file, no temp file, no partial file, the space given back', async () => {
    const root = tinyRoot(8);
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(BIG) });
      res.end(Buffer.alloc(BIG, 0x5a));
    });
    try {
      const free = () => Number(sh('df', ['--output=avail', '-B1', root]).split('\n')[1]);
      const before = free();
      const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'apply', '--root', root, '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => resolve({ status, stderr }));
        child.stdin.end(
          JSON.stringify({
            ignition: { version: '3.4.0' },
            storage: {
              files: [
                { path: '/etc/small', contents: { source: 'data:,fits%0A' } },
                { path: '/etc/big.bin', contents: { source: `${server.url}/big` } },
              ],
            },
          }),
        );
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/ENOSPC|no space left on device/i);
      expect(r.stderr).toContain('/etc/big.bin');
      expect(temps(root)).toEqual([]);
      expect(fs.existsSync(path.join(root, 'etc/big.bin'))).toBe(false);
      expect(fs.readFileSync(path.join(root, 'etc/small'), 'utf8')).toBe('fits\n'); // written before, whole
      expect(free()).toBeGreaterThanOrEqual(before - 64 * 1024);
    } finally {
      await server.close();
    }
  });

  it('a read-only root: a clear error, nothing written', () => {
    const root = tinyRoot(8, ['-o', 'ro']);
    const r = apply(['--root', root], { ignition: { version: '3.4.0' }, storage: { files: [{ path: '/etc/hostname', contents: { source: 'data:,ro%0A' } }] } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/EROFS|read-only file system/i);
    expect(fs.readdirSync(root).filter((n) => n !== 'lost+found')).toEqual([]);
  });
});
