// Containment: symlinks and `..` in the target root must never lead a write outside of it.
// Real directories, as root; an "outside" directory next to the root is checked to stay intact.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/generated/types.js';
import { realHost } from '../../../src/host/host.js';
import { runFilesStage } from '../../../src/stages/files/run.js';
import { OpError } from '../../../src/stages/files/errors.js';
import { seedAccounts } from '../../support/seed-root.js';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('security tests skipped: they need root (chown in the target root)');

let base: string, root: string, outside: string, secret: string;
const cfg = (c: Omit<Config, 'ignition'>): Config => ({ ignition: { version: '3.6.0' }, ...c });
const apply = (c: Config) => runFilesStage(c, realHost(), { root, mode: 'apply' });
const snapshot = (d: string) =>
  fs
    .readdirSync(d, { recursive: true, withFileTypes: true })
    .map((e) => {
      const p = path.join(e.parentPath, e.name);
      const st = fs.lstatSync(p);
      // Byte for byte: a file's contents, a link's target.
      const body = st.isFile() ? fs.readFileSync(p, 'base64') : st.isSymbolicLink() ? fs.readlinkSync(p) : '';
      return `${p} ${st.mode} ${st.uid}:${st.gid} ${st.nlink} ${st.size} ${body}`;
    })
    .sort();

describe.skipIf(!isRoot)('containment in the target root', () => {
  let before: string[];
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-sec-'));
    root = path.join(base, 'root');
    outside = path.join(base, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(outside);
    secret = path.join(outside, 'secret');
    fs.writeFileSync(secret, 'do not touch\n');
    before = snapshot(outside);
  });
  afterEach(() => {
    expect(snapshot(outside)).toEqual(before);
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('absolute symlink in the middle of a path is re-rooted', async () => {
    fs.symlinkSync(outside, path.join(root, 'evil'));
    await apply(cfg({ storage: { files: [{ path: '/evil/x', contents: { source: 'data:,hi' } }] } }));
    expect(fs.readFileSync(path.join(root, outside, 'x'), 'utf8')).toBe('hi');
  });

  it('relative symlink climbing with .. is clamped at the root', async () => {
    fs.mkdirSync(path.join(root, 'a'));
    fs.symlinkSync('../../../../../../..' + outside, path.join(root, 'a', 'up'));
    await apply(cfg({ storage: { directories: [{ path: '/a/up/d' }] } }));
    expect(fs.statSync(path.join(root, outside, 'd')).isDirectory()).toBe(true);
  });

  it('a chain of symlinks is followed completely inside the root', async () => {
    fs.symlinkSync('/hop2', path.join(root, 'hop1'));
    fs.symlinkSync(outside, path.join(root, 'hop2'));
    await apply(cfg({ storage: { files: [{ path: '/hop1/y', contents: { source: 'data:,z' } }] } }));
    expect(fs.existsSync(path.join(root, outside, 'y'))).toBe(true);
  });

  it('a symlink at the final path is an error without overwrite and is replaced (not followed) with it', async () => {
    fs.symlinkSync(secret, path.join(root, 'target'));
    const c = (overwrite: boolean) => cfg({ storage: { files: [{ path: '/target', overwrite, contents: { source: 'data:,new' } }] } });
    await expect(apply(c(false))).rejects.toThrow(/A non regular file exists there already/);
    await apply(c(true));
    expect(fs.lstatSync(path.join(root, 'target')).isFile()).toBe(true);
  });

  it('append to a final symlink pointing outside is refused', async () => {
    fs.symlinkSync(secret, path.join(root, 'log'));
    await expect(apply(cfg({ storage: { files: [{ path: '/log', append: [{ source: 'data:,x' }] }] } }))).rejects.toThrow(OpError);
  });

  it('chown/chmod of a directory reached through a symlink stays inside', async () => {
    fs.symlinkSync(outside, path.join(root, 'o'));
    await apply(cfg({ storage: { directories: [{ path: '/o', overwrite: true, mode: 0o700 }] } }));
    expect(fs.lstatSync(path.join(root, 'o')).isDirectory()).toBe(true);
  });

  it('hard link targets resolve inside the root; a symlink target is linked as the symlink itself', async () => {
    fs.symlinkSync(secret, path.join(root, 'sl'));
    fs.symlinkSync(outside, path.join(root, 'dir'));
    await apply(cfg({ storage: { links: [{ path: '/h1', target: '/sl', hard: true }] } }));
    expect(fs.lstatSync(path.join(root, 'h1')).isSymbolicLink()).toBe(true);
    await expect(apply(cfg({ storage: { links: [{ path: '/h2', target: '/dir/secret', hard: true }] } }))).rejects.toThrow(/no such file/);
    await expect(apply(cfg({ storage: { links: [{ path: '/h3', target: '/../../../' + secret, hard: true }] } }))).rejects.toThrow(/no such file/);
  });

  it('a unit name with / and .. is written inside the root', async () => {
    await apply(cfg({ systemd: { units: [{ name: '../../../../../../x.service', contents: '[Unit]\n' }] } }));
    expect(fs.existsSync(path.join(root, 'x.service'))).toBe(true);
    expect(fs.existsSync(path.join(base, 'x.service'))).toBe(false);
  });

  it('a symlink created earlier in the same config never leads outside: refused, or followed inside', async () => {
    fs.mkdirSync(path.join(root, outside), { recursive: true });
    const links = [
      { path: '/abs', target: outside },
      { path: '/rel', target: '../../../../../..' + outside },
    ];
    const outcomes: string[] = [];
    for (const what of [
      { files: [{ path: '/abs/f', contents: { source: 'data:,in' } }] },
      { files: [{ path: '/rel/secret', overwrite: true, contents: { source: 'data:,in' } }] },
      { directories: [{ path: '/abs/d1' }] },
      { links: [{ path: '/rel/l', target: '/etc' }] },
    ] as Config['storage'][]) {
      const r = await apply(cfg({ storage: { ...what, links: [...links, ...(what?.links ?? [])] } })).then(
        () => 'applied',
        (e: Error) => `refused: ${e.message}`,
      );
      outcomes.push(r);
      fs.rmSync(path.join(root, 'abs'), { force: true });
      fs.rmSync(path.join(root, 'rel'), { force: true });
    }
    // Kindling refuses to create entries through a link the same config made (its plan sees a link, not a directory).
    expect(outcomes).toEqual([
      expect.stringMatching(/refused: .*\/abs/),
      expect.stringMatching(/refused: .*\/rel/),
      expect.stringMatching(/refused: .*\/abs/),
      expect.stringMatching(/refused: .*\/rel/),
    ]);
    expect(fs.readdirSync(path.join(root, outside))).toEqual([]);
  });

  it('.. in any position of a file, directory or link path stays inside the root', async () => {
    const up = '/../../../../..';
    await apply(
      cfg({
        storage: {
          files: [
            { path: `${up}${outside}/f1`, contents: { source: 'data:,a' } },
            { path: `/x/..${up}${outside}/f2`, contents: { source: 'data:,b' } },
          ],
          directories: [{ path: `/y/../..${up}${outside}/d` }],
          links: [{ path: `${up}${outside}/l`, target: secret }],
        },
      }),
    ).catch(() => undefined); // refusing is as good as re-rooting: only the sentinel counts
    expect(fs.existsSync(path.join(outside, 'f1'))).toBe(false);
  });

  it('a drop-in directory planted as a symlink to outside is followed only inside the root', async () => {
    fs.mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
    fs.symlinkSync(outside, path.join(root, 'etc/systemd/system/app.service.d'));
    await apply(
      cfg({
        systemd: {
          units: [
            {
              name: 'app.service',
              dropins: [
                { name: 'secret', contents: '[Service]\n' },
                { name: '../../../../../../../x.conf', contents: '[Unit]\n' },
              ],
            },
          ],
        },
      }),
    );
    expect(fs.readFileSync(path.join(root, outside, 'secret'), 'utf8')).toBe('[Service]\n');
  });

  it('SSH keys follow a home symlink only inside the root', async () => {
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc/passwd'), `root:x:0:0::/root:/bin/sh\ncore:x:1000:1000::/home/core:/bin/sh\n`);
    fs.mkdirSync(path.join(root, 'home'));
    fs.symlinkSync(outside, path.join(root, 'home/core'));
    const host = realHost({ runner: { run: async () => ({ code: 0, stdout: '', stderr: '' }) } });
    await runFilesStage(cfg({ passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA k'] }] } }), host, { root, mode: 'apply' });
    expect(fs.readFileSync(path.join(root, outside, '.ssh/authorized_keys.d/ignition'), 'utf8')).toBe('ssh-ed25519 AAAA k\n');
  });
});

// Home directories with `..`: useradd and usermod run with `--root`, which chroots, and Kindling's
// own steps (keys, the chown of mount-point directories) clamp `..` at the root. Nothing outside
// the root may be created, chowned or written.
const haveShadow = ['useradd', 'usermod'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);
describe.skipIf(!isRoot || !haveShadow)('home directories with .. stay inside the target root', () => {
  let before: string[];
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-sec-home-'));
    root = path.join(base, 'root');
    outside = path.join(base, 'outside');
    fs.mkdirSync(outside);
    fs.mkdirSync(path.join(outside, 'x'));
    fs.writeFileSync(path.join(outside, 'x', 'sentinel'), 'do not touch\n');
    seedAccounts(root, { loginDefs: true });
    fs.mkdirSync(path.join(root, 'home'));
    before = snapshot(base).filter((l) => l.startsWith(outside));
  });
  afterEach(() => {
    try {
      expect(snapshot(base).filter((l) => l.startsWith(outside))).toEqual(before);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('useradd --create-home, keys and mount-point chowns land under the root, never outside', async () => {
    const climbing = `/home/../../../../../../..${outside}/x`;
    const fromTop = `/../../..${outside}/y`;
    // A directory the mount stage created under the first home (chowned to its user by Ignition).
    fs.mkdirSync(path.join(root, outside, 'x', 'data'), { recursive: true });
    await runFilesStage(
      cfg({
        passwd: {
          users: [
            { name: 'climb', homeDir: climbing, sshAuthorizedKeys: ['ssh-ed25519 AAAA c'] },
            { name: 'top', homeDir: fromTop, sshAuthorizedKeys: ['ssh-ed25519 AAAA t'] },
          ],
        },
      }),
      realHost(),
      { root, mode: 'apply', notatedDirectories: [`${outside}/x/data`] },
    );
    const inRoot = (p: string) => path.join(root, outside, p);
    expect(fs.readFileSync(inRoot('x/.ssh/authorized_keys.d/ignition'), 'utf8')).toBe('ssh-ed25519 AAAA c\n');
    expect(fs.readFileSync(inRoot('y/.ssh/authorized_keys.d/ignition'), 'utf8')).toBe('ssh-ed25519 AAAA t\n');
    const data = fs.statSync(inRoot('x/data'));
    expect([data.uid, data.mode & 0o777]).toEqual([1000, 0o700]);
    expect(fs.existsSync(path.join(outside, 'y'))).toBe(false);
  });

  it('usermod --move-home to a path with .. moves the home inside the root only', async () => {
    await runFilesStage(cfg({ passwd: { users: [{ name: 'mover' }] } }), realHost(), { root, mode: 'apply' });
    expect(fs.statSync(path.join(root, 'home/mover')).isDirectory()).toBe(true);
    // usermod renames the home, so the new parent must exist: inside the root (chrooted) it does.
    fs.mkdirSync(path.join(root, outside), { recursive: true });
    await runFilesStage(
      cfg({ passwd: { users: [{ name: 'mover', homeDir: `/home/../../../../..${outside}/moved`, sshAuthorizedKeys: ['ssh-ed25519 AAAA m'] }] } }),
      realHost(),
      {
        root,
        mode: 'apply',
      },
    );
    expect(fs.readFileSync(path.join(root, outside, 'moved/.ssh/authorized_keys.d/ignition'), 'utf8')).toBe('ssh-ed25519 AAAA m\n');
    expect(fs.existsSync(path.join(outside, 'moved'))).toBe(false);
  });
});
