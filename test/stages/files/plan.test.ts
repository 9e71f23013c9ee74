// Pure planner tests over plain-data snapshots of a root: no filesystem, no commands.
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/generated/types.js';
import { snapshotView } from '../../../src/stages/files/rootview.js';
import { resolveInRoot } from '../../../src/stages/files/resolve.js';
import { planFilesStage } from '../../../src/stages/files/plan/plan.js';
import { describeOp } from '../../../src/stages/files/plan/describe.js';
import { SimulatedRoot } from '../../../src/stages/files/plan/sim.js';

const cfg = (c: Omit<Config, 'ignition'>): Config => ({ ignition: { version: '3.6.0' }, ...c });
const plan = (c: Config, nodes = {}, mode: 'apply' | 'boot' = 'apply') => planFilesStage(c, snapshotView(nodes), { root: '/R', mode });

describe('resolveInRoot', () => {
  const view = snapshotView({
    '/a': { kind: 'symlink', target: '/b' },
    '/b': { kind: 'symlink', target: '../../../c' },
    '/c': { kind: 'dir' },
    '/loop': { kind: 'symlink', target: '/loop' },
  });
  it('follows chains, re-roots absolute targets and clamps ..', () => {
    expect(resolveInRoot(view, '/a/x')).toBe('/c/x');
  });
  it('never follows the last component unless asked', () => {
    expect(resolveInRoot(view, '/a')).toBe('/a');
    expect(resolveInRoot(view, '/a', { followLast: true })).toBe('/c');
  });
  it('stops symlink loops', () => {
    expect(() => resolveInRoot(view, '/loop/x')).toThrow(/too many levels/);
  });
});

describe('planFilesStage', () => {
  it('orders shallowest first with hard links last, creating parents once', () => {
    const p = plan(
      cfg({
        storage: {
          links: [{ path: '/h', target: '/d/e/f', hard: true }],
          files: [{ path: '/d/e/f', contents: { source: 'data:,x' } }],
          directories: [{ path: '/d', mode: 0o700 }],
        },
      }),
    );
    expect(p.errors).toEqual([]);
    expect(p.ops.map((o) => o.kind)).toEqual(['mkdir', 'perms', 'mkdir', 'write', 'hardlink']);
    expect(p.ops[4]).toMatchObject({ path: '/h', target: '/d/e/f' });
  });

  it('refuses to replace an existing file without overwrite, with advice', () => {
    const p = plan(cfg({ storage: { files: [{ path: '/etc/hostname', contents: { source: 'data:,x' } }] } }), {
      '/etc': { kind: 'dir' },
      '/etc/hostname': { kind: 'file', content: 'old' },
    });
    expect(p.errors[0].message).toBe('error creating file "/etc/hostname": A file exists there already and overwrite is false');
    expect(p.errors[0].hint).toMatch(/overwrite: true/);
    expect(p.errors[0].configPath).toEqual(['storage', 'files', 0]);
  });

  it('overwrite removes first; existing file without source only gets appends and perms', () => {
    const nodes = { '/etc': { kind: 'dir' as const }, '/etc/a': { kind: 'file' as const }, '/etc/b': { kind: 'file' as const } };
    const p = plan(
      cfg({
        storage: {
          files: [
            { path: '/etc/a', overwrite: true, contents: { source: 'data:,x' } },
            { path: '/etc/b', append: [{ source: 'data:,y' }], mode: 0o600 },
          ],
        },
      }),
      nodes,
    );
    expect(p.ops.map((o) => `${o.kind} ${'path' in o ? o.path : ''}`)).toEqual(['remove /etc/a', 'write /etc/a', 'append /etc/b', 'perms /etc/b']);
  });

  it('resolves config paths through symlinks inside the root', () => {
    const p = plan(cfg({ storage: { files: [{ path: '/etc/x' }] } }), {
      '/etc': { kind: 'symlink', target: '/usr/etc' },
      '/usr': { kind: 'dir' },
      '/usr/etc': { kind: 'dir' },
    });
    expect(p.ops).toMatchObject([{ kind: 'write', path: '/usr/etc/x', contents: { inline: '' } }]);
  });

  it('reports two entries that resolve to one path', () => {
    const p = plan(cfg({ storage: { files: [{ path: '/a/x' }, { path: '/b/x' }] } }), {
      '/a': { kind: 'symlink', target: '/b' },
      '/b': { kind: 'dir' },
    });
    expect(p.errors[0].message).toMatch(/resolved to \/b\/x after symlink chasing/);
  });

  it('writes units, masks, and sorted preset lines with instances grouped', () => {
    const p = plan(
      cfg({
        systemd: {
          units: [
            { name: 'z.service', enabled: true, contents: '[Service]\n' },
            { name: 'echo@b.service', enabled: true },
            { name: 'echo@a.service', enabled: true },
            { name: 'old.service', enabled: false },
            { name: 'm.service', mask: true },
          ],
        },
      }),
    );
    const presets = p.ops.filter((o) => o.kind === 'preset' || o.kind === 'disable-unit').map(describeOp);
    expect(presets).toEqual([
      'preset /etc/systemd/system-preset/20-ignition.preset: enable echo@.service b a',
      'if enabled: systemctl disable old.service, preset /etc/systemd/system-preset/20-ignition.preset: disable old.service',
      'preset /etc/systemd/system-preset/20-ignition.preset: enable z.service',
    ]);
    expect(p.ops).toContainEqual(expect.objectContaining({ kind: 'symlink', path: '/etc/systemd/system/m.service', target: '/dev/null' }));
  });

  it('unmasks only a symlink to /dev/null', () => {
    const nodes = {
      '/etc': { kind: 'dir' as const },
      '/etc/systemd': { kind: 'dir' as const },
      '/etc/systemd/system': { kind: 'dir' as const },
      '/etc/systemd/system/a.service': { kind: 'symlink' as const, target: '/dev/null' },
      '/etc/systemd/system/b.service': { kind: 'file' as const },
    };
    const p = plan(
      cfg({
        systemd: {
          units: [
            { name: 'a.service', mask: false },
            { name: 'b.service', mask: false },
          ],
        },
      }),
      nodes,
    );
    expect(p.ops).toEqual([expect.objectContaining({ kind: 'unmask', path: '/etc/systemd/system/a.service' })]);
  });

  it('builds shadow-utils argv: groupmod for existing groups, useradd for new users, hashes redacted in output', () => {
    const nodes = {
      '/etc': { kind: 'dir' as const },
      '/etc/group': { kind: 'file' as const, content: 'root:x:0:\nwheel:x:10:\n' },
      '/etc/passwd': { kind: 'file' as const, content: 'root:x:0:0:root:/root:/bin/sh\n' },
    };
    const p = plan(
      cfg({
        passwd: {
          groups: [
            { name: 'wheel', gid: 10 },
            { name: 'ops', system: true },
          ],
          users: [{ name: 'core', passwordHash: '$6$secret', groups: ['wheel', 'ops'], sshAuthorizedKeys: ['ssh-ed25519 AAAA'] }],
        },
      }),
      nodes,
    );
    expect(p.ops.slice(0, 3).map((o) => ('argv' in o ? o.argv : []))).toEqual([
      ['groupmod', '--root', '/R', '--gid', '10', 'wheel'],
      ['groupadd', '--root', '/R', '--system', 'ops'],
      ['useradd', '--root', '/R', '--create-home', '--password', '$6$secret', '--groups', 'wheel,ops', 'core'],
    ]);
    const text = p.ops.map(describeOp).join('\n');
    expect(text).not.toContain('$6$secret');
    expect(text).not.toContain('AAAA');
  });

  it('adds the result file and a relabel step in the boot stage when a policy is configured', () => {
    const nodes = {
      '/etc': { kind: 'dir' as const },
      '/etc/selinux': { kind: 'dir' as const },
      '/etc/selinux/config': { kind: 'file' as const, content: 'SELINUX=enforcing\nSELINUXTYPE=targeted\n' },
    };
    const p = plan(cfg({ storage: { files: [{ path: '/opt/new/file' }] } }), nodes, 'boot');
    expect(p.ops.map((o) => o.kind)).toEqual(['mkdir', 'write', 'result-file', 'relabel']);
    expect(p.ops[3]).toMatchObject({ policy: 'targeted', paths: ['/opt', '/etc/.ignition-result.json'] });
    expect(plan(cfg({}), {}, 'boot').ops.map((o) => o.kind)).toEqual(['result-file']);
  });
});

describe('dry-run lines for paths that go through symlinks', () => {
  // The root holds a link to the host path of the root itself, and a relative one.
  const nodes = {
    '/etc': { kind: 'dir' as const },
    '/outside': { kind: 'dir' as const },
    '/etc/link': { kind: 'symlink' as const, target: '/R/outside' },
    '/etc/rel': { kind: 'symlink' as const, target: '../outside' },
  };
  const p = plan(
    cfg({
      storage: {
        files: [
          { path: '/etc/link/pwned', contents: { source: 'data:,x' } },
          { path: '/etc/rel/f', contents: { source: 'data:,y' } },
        ],
      },
    }),
    nodes,
  );
  const lines = p.ops.map(describeOp);
  it('say the path is inside the root, and name the link and the path the config asked for', () => {
    expect(lines).toContain('write /outside/f in the root (via symlink /etc/rel -> ../outside from /etc/rel/f) from data:,<1 chars>');
    expect(lines).toContain('mkdir -p /R/outside in the root (via symlink /etc/link -> /R/outside from /etc/link/pwned) (0755)');
    expect(lines).toContain('write /R/outside/pwned in the root (via symlink /etc/link -> /R/outside from /etc/link/pwned) from data:,<1 chars>');
  });
  it('paths that go through no link read as before', () => {
    const plain = plan(cfg({ storage: { files: [{ path: '/etc/motd', contents: { source: 'data:,x' } }] } }), nodes);
    expect(plain.ops.map(describeOp)).toEqual(['write /etc/motd from data:,<1 chars>']);
  });
});

describe('SimulatedRoot', () => {
  it('asks the probed root once per path, and planned nodes and removals still win', () => {
    const base = snapshotView({ '/etc': { kind: 'dir' }, '/etc/x': { kind: 'file' } });
    const asked: string[] = [];
    const sim = new SimulatedRoot({ lstat: (p) => (asked.push(p), base.lstat(p)), readText: base.readText });
    expect(sim.lstat('/etc')?.kind).toBe('dir');
    expect(sim.lstat('/etc')?.kind).toBe('dir');
    expect(sim.lstat('/nope')).toBeNull();
    expect(sim.lstat('/nope')).toBeNull();
    expect(asked).toEqual(['/etc', '/nope']);
    sim.put('/nope', { kind: 'dir', mode: 0o700, uid: 0, gid: 0 });
    expect(sim.lstat('/nope')?.mode).toBe(0o700);
    sim.removeTree('/etc');
    expect(sim.lstat('/etc/x')).toBeNull();
  });

  it('plans a config whose entries share parents with one probe of each path', () => {
    const asked = new Map<string, number>();
    const base = snapshotView({ '/etc': { kind: 'dir' } });
    const view = { lstat: (p: string) => (asked.set(p, (asked.get(p) ?? 0) + 1), base.lstat(p)), readText: base.readText };
    const files = ['/etc/a/b/1', '/etc/a/b/2', '/etc/a/c/3'].map((path) => ({ path, contents: { source: 'data:,x' } }));
    planFilesStage(cfg({ storage: { files } }), view, { root: '/R', mode: 'apply' });
    expect(Math.max(...asked.values())).toBe(1);
  });
});
