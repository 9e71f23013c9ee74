// Users and groups with the real shadow-utils (`--root`) against a seeded temp root.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/generated/types.js';
import { realHost } from '../../../src/host/host.js';
import { runFilesStage } from '../../../src/stages/files/run.js';
import { OpError } from '../../../src/stages/files/errors.js';
import { formatFailure } from '../../../src/engine/report.js';

const haveTools = ['useradd', 'groupadd', 'usermod', 'groupmod'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);
const canRun = process.getuid?.() === 0 && haveTools;
if (!canRun) console.warn('passwd tests skipped: need root and shadow-utils (useradd, groupadd, usermod, groupmod)');

const HASH = '$6$rounds=4096$saltsalt$Zr5B6XrW0QeZ0H1j1g3nVJbDkbP9FFqY8ugRMtM7CXr2c8tKRx/3gMPgM0oYx7qn3b7x1q0G9QOjk7z0bGkNa/';
const config: Config = {
  ignition: { version: '3.6.0' },
  passwd: {
    groups: [
      { name: 'wheel', gid: 10 },
      { name: 'ops', gid: 2000 },
    ],
    users: [
      {
        name: 'core',
        uid: 1000,
        passwordHash: HASH,
        groups: ['wheel', 'ops'],
        sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza core@a', 'ssh-rsa AAAAB3 core@b'],
        shell: '/bin/sh',
      },
      { name: 'svc', system: true, noCreateHome: true, shell: '/usr/sbin/nologin' },
    ],
  },
  storage: {
    files: [
      { path: '/home/core/.profile-extra', contents: { source: 'data:,x' }, overwrite: true, user: { name: 'core' }, group: { name: 'ops' }, mode: 0o640 },
    ],
  },
};

let root: string;
describe.skipIf(!canRun)('users and groups with shadow-utils', () => {
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-passwd-'));
    fs.mkdirSync(path.join(root, 'etc'));
    const w = (f: string, t: string, mode = 0o644) => fs.writeFileSync(path.join(root, 'etc', f), t, { mode });
    w('passwd', 'root:x:0:0:root:/root:/bin/sh\n');
    w('group', 'root:x:0:\nwheel:x:10:\nusers:x:100:\n');
    w('shadow', 'root:*:19000:0:99999:7:::\n', 0o600);
    w('gshadow', 'root:*::\nwheel:*::\nusers:*::\n', 0o600);
    w(
      'login.defs',
      'UID_MIN 1000\nUID_MAX 60000\nSYS_UID_MIN 100\nSYS_UID_MAX 999\nGID_MIN 1000\nGID_MAX 60000\nSYS_GID_MIN 100\nSYS_GID_MAX 999\nUSERGROUPS_ENAB yes\nENCRYPT_METHOD SHA512\n',
    );
    fs.mkdirSync(path.join(root, 'home'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

  it('creates groups and users, keys and owned files; a second apply succeeds', async () => {
    await runFilesStage(config, realHost(), { root, mode: 'apply' });
    expect(read('etc/group')).toMatch(/^ops:x:2000:core$/m);
    expect(read('etc/group')).toMatch(/^wheel:x:10:core$/m);
    expect(read('etc/passwd')).toMatch(/^core:x:1000:1000::\/home\/core:\/bin\/sh$/m);
    expect(read('etc/passwd')).toMatch(/^svc:x:\d{3}:\d+::\/home\/svc:\/usr\/sbin\/nologin$/m);
    expect(read('etc/shadow')).toContain(`core:${HASH}:`);
    // The hashes stay unreadable to anyone but root (issue 13 §5).
    for (const f of ['etc/shadow', 'etc/gshadow']) expect(fs.statSync(path.join(root, f)).mode & 0o077).toBe(0);
    const keys = path.join(root, 'home/core/.ssh/authorized_keys.d/ignition');
    expect(fs.readFileSync(keys, 'utf8')).toBe('ssh-ed25519 AAAAC3Nza core@a\nssh-rsa AAAAB3 core@b\n');
    for (const [p, mode] of [
      [keys, 0o600],
      [path.dirname(keys), 0o700],
      [path.join(root, 'home/core/.ssh'), 0o700],
    ] as const) {
      const st = fs.statSync(p);
      expect([st.mode & 0o7777, st.uid, st.gid]).toEqual([mode, 1000, 1000]);
    }
    const extra = fs.statSync(path.join(root, 'home/core/.profile-extra'));
    expect([extra.mode & 0o7777, extra.uid, extra.gid]).toEqual([0o640, 1000, 2000]);
    expect(fs.existsSync(path.join(root, 'home/svc'))).toBe(false);

    // second run: groupmod/usermod instead of add, same result
    await runFilesStage(config, realHost(), { root, mode: 'apply' });
    expect(read('etc/passwd').match(/^core:/gm)).toHaveLength(1);
    expect(read('etc/group')).toMatch(/^ops:x:2000:core$/m);
  });

  it('a re-run finding a user without its home (useradd cut off) says so: usermod will not create it', async () => {
    await runFilesStage(config, realHost(), { root, mode: 'apply' });
    fs.rmSync(path.join(root, 'home/core'), { recursive: true });
    const warned: string[] = [];
    const host = realHost();
    await runFilesStage(config, { ...host, log: { ...host.log, warn: (m: string) => void warned.push(m) } }, { root, mode: 'apply' });
    expect(warned).toEqual([expect.stringMatching(/^user "core" exists but its home directory \/home\/core does not, and usermod will not create it/)]);
  });

  it('reports a failing command with its exit code and stderr, and never the hash', async () => {
    const bad: Config = { ignition: { version: '3.6.0' }, passwd: { groups: [{ name: 'dup', gid: 10, passwordHash: HASH }] } };
    const err = await runFilesStage(bad, realHost(), { root, mode: 'apply' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OpError);
    const report = formatFailure(err as OpError);
    expect(report).toContain("groupadd: GID '10' already exists");
    expect(report).toMatch(/exit code: 4/);
    expect(report).toContain('$.passwd.groups.0');
    expect(report).not.toContain(HASH);
  });
});
