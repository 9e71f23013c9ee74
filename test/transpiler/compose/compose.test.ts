// Several Butane files as one config (transpiler/compose): Ignition's merge rules in input order,
// provenance that names the file and line of every output value and problem, per-input files
// directories, and ${NAME} variables that cannot change the YAML's structure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { transpileMany, type ComposeInput } from '../../../transpiler/compose/compose.js';
import { addAssignments, addVarFile, substitute } from '../../../transpiler/compose/vars.js';
import { transpileButane } from '../../../transpiler/transpile.js';
import { kindling } from '../../cli/helpers.js';

const BASE = `variant: fcos
version: 1.6.0
passwd:
  users:
    - name: core
      ssh_authorized_keys: [ssh-ed25519 AAAAbase]
storage:
  files:
    - path: /etc/motd
      mode: 0644
      contents:
        inline: welcome
    - path: /etc/role
      contents:
        inline: none
systemd:
  units:
    - name: app.service
      enabled: true
      contents: "[Service]\\nExecStart=/bin/app\\n[Install]\\nWantedBy=multi-user.target\\n"
`;
const ROLE = `storage:
  files:
    - path: /etc/role
      mode: 0600
      contents:
        inline: web
systemd:
  units:
    - name: app.service
      enabled: false
`;
const HOST = `variant: fcos
version: 1.6.0
passwd:
  users:
    - name: core
      ssh_authorized_keys: [ssh-ed25519 AAAAhost]
    - name: ops
storage:
  files:
    - path: /etc/hostname
      contents:
        inline: h1
`;
const three = (role = ROLE, host = HOST): ComposeInput[] => [
  { text: BASE, file: 'base.bu' },
  { text: role, file: 'role.bu' },
  { text: host, file: 'host.bu' },
];
const errors = (r: { diagnostics: { severity: string; source?: { file?: string; line: number; column: number }; message: string }[] }) =>
  r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.source?.file}:${d.source?.line}:${d.source?.column} ${d.message}`);

describe('several files as one config', () => {
  it('merges in order with Ignition rules: later files win, list entries merge by key', () => {
    const r = transpileMany(three());
    expect(errors(r)).toEqual([]);
    const c = r.config as any;
    expect(c.passwd.users.map((u: any) => u.name)).toEqual(['core', 'ops']);
    expect(c.passwd.users[0].sshAuthorizedKeys).toEqual(['ssh-ed25519 AAAAbase', 'ssh-ed25519 AAAAhost']);
    expect(c.storage.files.map((f: any) => f.path)).toEqual(['/etc/motd', '/etc/role', '/etc/hostname']);
    expect(c.storage.files[1]).toEqual({ path: '/etc/role', contents: { compression: '', source: 'data:,web' }, mode: 0o600 });
    expect(c.systemd.units[0]).toMatchObject({ name: 'app.service', enabled: false, contents: expect.stringContaining('ExecStart=/bin/app') });
  });

  it('one file gives what transpiling it alone gives', () => {
    expect(transpileMany([{ text: BASE, file: 'base.bu' }]).config).toEqual(transpileButane(BASE, { file: 'base.bu' }).config);
  });

  it('names the file and line of every output value', () => {
    const r = transpileMany(three());
    const at = (...p: (string | number)[]) => {
      const s = r.sourceOf!(p);
      return `${s?.file}:${s?.line}`;
    };
    expect(at('storage', 'files', 0, 'contents', 'source')).toBe('base.bu:12');
    expect(at('storage', 'files', 1, 'contents', 'source')).toBe('role.bu:6');
    expect(at('storage', 'files', 1, 'mode')).toBe('role.bu:4');
    expect(at('storage', 'files', 2, 'path')).toBe('host.bu:10');
    expect(at('systemd', 'units', 0, 'enabled')).toBe('role.bu:10');
    expect(at('systemd', 'units', 0, 'contents')).toBe('base.bu:20');
    expect(at('passwd', 'users', 1, 'name')).toBe('host.bu:7');
  });

  it('names the file and line of every problem', () => {
    const bad = ROLE.replace('    - path: /etc/role\n', '    - path: /etc/role\n    - path: etc/relative\n');
    const r = transpileMany(three(bad, HOST.replace('inline: h1', 'source: "ftp://x"')));
    expect(errors(r)).toEqual(['role.bu:4:13 path not absolute', 'host.bu:12:17 invalid url scheme']);
    expect(r.config).toBeUndefined();
  });

  it('needs one variant and version; later files may leave them out', () => {
    const r = transpileMany([
      { text: BASE, file: 'base.bu' },
      { text: 'variant: fcos\nversion: 1.5.0\n', file: 'x.bu' },
    ]);
    expect(errors(r)).toEqual(['x.bu:1:10 this input is fcos 1.5.0, but base.bu is fcos 1.6.0']);
    expect(errors(transpileMany([{ text: ROLE, file: 'role.bu' }]))).toEqual(['role.bu:1:1 error parsing variant; must be specified']);
  });

  it("reads each input's local files from its own directory", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-compose-'));
    try {
      for (const d of ['a', 'b']) {
        fs.mkdirSync(path.join(tmp, d));
        fs.writeFileSync(path.join(tmp, d, 'x'), `from ${d}`);
      }
      const uses = (p: string) => `variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: ${p}\n      contents:\n        local: x\n`;
      const r = transpileMany([
        { text: uses('/a'), file: 'a.bu', filesDir: path.join(tmp, 'a') },
        { text: uses('/b'), file: 'b.bu', filesDir: path.join(tmp, 'b') },
      ]);
      expect((r.config as any).storage.files.map((f: any) => f.contents.source)).toEqual(['data:,from%20a', 'data:,from%20b']);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('variables', () => {
  const vars = (...items: string[]) => {
    const m = new Map<string, string>();
    expect(addAssignments(m, items)).toEqual([]);
    return substitute(m);
  };
  const cfg = (body: string) => `variant: fcos\nversion: 1.6.0\n${body}`;

  it('substitutes ${NAME} in string values; $${ is a literal ${', () => {
    const r = transpileButane(cfg('storage:\n  files:\n    - path: /etc/${NAME}\n      contents:\n        inline: "id=${ID} home=$${HOME}"\n'), {
      strings: vars('NAME=hostname', 'ID=7'),
    });
    expect((r.config as any).storage.files[0]).toMatchObject({ path: '/etc/hostname', contents: { source: 'data:,id%3D7%20home%3D%24%7BHOME%7D' } });
  });

  it('an undefined variable is an error at its line and column', () => {
    const r = transpileButane(cfg('storage:\n  files:\n    - path: /etc/a\n      contents:\n        inline: |\n          one\n          two ${MISSING}\n'), {
      file: 'v.bu',
      strings: vars(),
    });
    expect(errors(r)).toEqual(['v.bu:9:15 variable MISSING is not defined']);
  });

  it('cannot inject structure: a value stays inside its string, keys and other types are untouched', () => {
    const evil = 'x\n    - path: /etc/evil\n      mode: 0777';
    const r = transpileButane(cfg('storage:\n  files:\n    - path: /etc/a\n      contents:\n        inline: ${V}\n'), {
      strings: substitute(new Map([['V', evil]])),
    });
    expect((r.config as any).storage.files).toHaveLength(1);
    expect((r.config as any).storage.files[0].contents.source).toBe(`data:;base64,${Buffer.from(evil).toString('base64')}`);
    const key = transpileButane(cfg('${K}: 1\n'), { strings: vars('K=storage') });
    expect(key.diagnostics.map((d) => d.message)).toEqual(['unused key ${K}']);
    const mode = transpileButane(cfg('storage:\n  files:\n    - path: /a\n      mode: ${M}\n'), { strings: vars('M=0644') });
    expect(errors(mode)).toEqual(['undefined:6:13 mode must be an integer, not `${M}`']);
  });

  it('values are not expanded again, and later definitions win, deterministically', () => {
    const m = new Map<string, string>();
    expect(addVarFile(m, '# comment\nA=${B}\n\nB=2\nbad line\n')).toEqual([
      { message: '`bad line` is not NAME=VALUE with a NAME of letters, digits and _ (not starting with a digit)', line: 5 },
    ]);
    addAssignments(m, ['B=3']);
    expect(substitute(m)('${A}-${B}')).toEqual({ value: '${B}-3', problems: [] });
    expect(substitute(m)('${not-a-name}').problems[0].message).toBe('`${not-a-name}` is not a variable reference');
  });
});

describe('kindling transpile FILE FILE... (CLI)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-compose-cli-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp, rel), text);
    return path.join(tmp, rel);
  };

  it('merges the files, with variables from --var and --var-file', () => {
    const base = write('base.bu', BASE.replace('inline: welcome', 'inline: ${GREETING}'));
    const host = write('host.bu', HOST.replace('inline: h1', 'inline: ${HOST}'));
    const vf = write('vars.env', 'GREETING=hi\nHOST=from-file\n');
    const r = kindling(['transpile', '--var-file', vf, '--var', 'HOST=h9', base, write('role.bu', ROLE), host]);
    expect(r.status, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.storage.files.map((f: any) => f.contents.source)).toEqual(['data:,hi', 'data:,web', 'data:,h9']);
  });

  it("--files-dir once per input, or each input's own directory", () => {
    write('a/x', 'A');
    write('b/x', 'B');
    const uses = (p: string, rel: string) =>
      write(rel, `variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: ${p}\n      contents:\n        local: x\n`);
    const a = uses('/a', 'a/a.bu');
    const b = uses('/b', 'b/b.bu');
    const per = kindling(['transpile', '-d', path.join(tmp, 'a'), '-d', path.join(tmp, 'b'), a, b]);
    expect(per.status, per.stderr).toBe(0);
    expect(JSON.parse(per.stdout).storage.files.map((f: any) => f.contents.source)).toEqual(['data:,A', 'data:,B']);
    const own = kindling(['transpile', '--files-dir-from-input', a, b]);
    expect(own.stdout).toBe(per.stdout);
    // The default stays Butane's: no files directory unless one is given.
    expect(kindling(['transpile', a, b]).stderr).toContain('local file paths are relative to a files directory');
    expect(kindling(['transpile', '-d', 'x', '-d', 'y', '-d', 'z', a, b]).status).toBe(2);
  });
});
