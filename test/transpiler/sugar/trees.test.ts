// Transpiler unit tests: storage.trees: files-dir trees become files, links and directories, merged
// with the user's entries.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ok, diags, decode, filesDirs, type O } from '../helpers.js';

const filesDir = filesDirs();

describe('storage.trees', () => {
  it('refuses special files in a tree (a FIFO), as Butane does', () => {
    const d = filesDir({ 't/a': 'a' });
    const made = spawnSync('mkfifo', [path.join(d, 't', 'pipe')]);
    if (made.status !== 0) return console.warn('mkfifo is not available; FIFO tree case skipped');
    expect(diags('variant: fcos\nversion: 1.5.0\nstorage:\n  trees:\n    - local: t\n', { filesDir: d })).toEqual([
      '5:7 error trees may only contain files, directories, and symlinks',
    ]);
  });

  it('turns files and symlinks into entries with exec-derived modes; directories only with owners (1.7)', () => {
    const d = filesDir({ 'root/bin/tool': { mode: 0o755, text: '#!/bin/sh\n' }, 'root/etc/conf': 'c', 'root/etc/link': { link: '../bin/tool' } });
    const c = ok(
      `variant: fcos
version: 1.6.0
storage:
  trees:
    - local: root
      path: /usr/local
`,
      { filesDir: d },
    );
    expect(c.storage.files.map((f: O) => [f.path, f.mode])).toEqual([
      ['/usr/local/bin/tool', 0o755],
      ['/usr/local/etc/conf', 0o644],
    ]);
    expect(c.storage.links).toEqual([{ path: '/usr/local/etc/link', target: '../bin/tool' }]);
    expect(c.storage.directories).toBeUndefined();
    const c2 = ok(
      `variant: fcos
version: 1.7.0
storage:
  trees:
    - local: root/etc
      path: /etc/app
      dir_mode: 0750
      file_mode: 0600
      user: {name: app}
`,
      { filesDir: d },
    );
    expect(c2.storage.directories).toEqual([{ path: '/etc/app', user: { name: 'app' }, mode: 0o750 }]);
    expect(c2.storage.files[0]).toMatchObject({ path: '/etc/app/conf', mode: 0o600, user: { name: 'app' } });
  });

  it('fills an existing files entry without contents and rejects one with contents', () => {
    const d = filesDir({ 't/x': 'tree' });
    const c = ok(
      `variant: fcos
version: 1.7.0
storage:
  files:
    - path: /x
      mode: 0600
  trees:
    - local: t
`,
      { filesDir: d },
    );
    expect(c.storage.files).toHaveLength(1);
    expect(c.storage.files[0].mode).toBe(0o600);
    expect(decode(c.storage.files[0].contents)).toBe('tree');
    expect(
      diags(
        `variant: fcos
version: 1.7.0
storage:
  files:
    - path: /x
      contents: {inline: mine}
  trees:
    - local: t
`,
        { filesDir: d },
      ),
    ).toEqual(['8:7 error matching filesystem node has existing contents or different type']);
  });

  it('requires local and a directory', () => {
    const d = filesDir({ f: 'x' });
    expect(
      diags(
        `variant: fcos
version: 1.7.0
storage:
  trees:
    - path: /x
`,
        { filesDir: d },
      ),
    ).toEqual(['5:7 error local is required']);
    expect(
      diags(
        `variant: fcos
version: 1.7.0
storage:
  trees:
    - local: f
`,
        { filesDir: d },
      ),
    ).toEqual(['5:7 error root of tree must be a directory']);
  });
});
