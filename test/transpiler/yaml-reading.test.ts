// Transpiler unit tests: YAML the way Butane reads it: scalars, keys, aliases, errors with
// positions.
import { describe, expect, it } from 'vitest';
import { tr, ok, diags, type O } from './helpers.js';

describe('YAML the way Butane reads it', () => {
  it('reads 0644 and 0o644 as octal, 644 as decimal (with the decimal-mode warning)', () => {
    const y = (m: string) => `variant: fcos\nversion: 1.7.0\nstorage:\n  files:\n    - path: /a\n      mode: ${m}\n`;
    expect(ok(y('0644')).storage.files[0].mode).toBe(420);
    expect(ok(y('0o644')).storage.files[0].mode).toBe(420);
    expect(ok(y('0x1a4')).storage.files[0].mode).toBe(420);
    const r = tr(y('644'));
    expect((r.config as O).storage.files[0].mode).toBe(644);
    expect(r.diagnostics.map((d) => `${d.source?.line}:${d.source?.column} ${d.severity}`)).toEqual(['6:13 warning']);
    expect(tr(y('644'), { strict: true }).config).toBeUndefined();
  });

  it('reports a missing colon with line and column', () => {
    const r = tr('variant: fcos\nversion: 1.7.0\nstorage\n  files:\n    - path: /etc/a\n');
    expect(r.diagnostics.map((d) => [d.source?.line, d.source?.column, d.message, d.hint])).toEqual([
      [3, 1, 'expected `:` after `storage`', 'did you mean `storage:`?'],
    ]);
  });

  it('explains tab indentation', () => {
    const r = tr('variant: fcos\nversion: 1.7.0\nstorage:\n\tfiles: []\n');
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', source: { line: 4, column: 1 } });
    expect(r.diagnostics.some((d) => /tabs/.test(d.hint ?? ''))).toBe(true);
  });

  it('reports duplicate keys with both positions', () => {
    expect(diags('variant: fcos\nversion: 1.7.0\nstorage:\n  files:\n    - path: /a\n      path: /b\n')).toEqual([
      '6:7 error duplicate key `path`: it is already defined at line 5 column 7',
    ]);
  });

  it('reports type errors where they are, and keeps going', () => {
    expect(
      diags('variant: fcos\nversion: 1.7.0\nstorage:\n  files:\n    - path: /a\n      overwrite: sure\n      mode: abc\n  directories:\n    - path: rel\n'),
    ).toEqual(['6:18 error overwrite must be a boolean, not `sure`', '7:13 error mode must be an integer, not `abc`', '9:13 error path not absolute']);
    // YAML 1.1 booleans are accepted where a boolean is expected, as Go's yaml.v3 does.
    expect(ok('variant: fcos\nversion: 1.7.0\nsystemd:\n  units:\n    - name: a.service\n      mask: yes\n').systemd.units[0].mask).toBe(true);
  });

  it('drops empty list items like Butane, warning only where Butane does (the later items shift)', () => {
    const r = tr('variant: fcos\nversion: 1.7.0\nstorage:\n  files:\n    - path: /a\n    -\n');
    expect(r.diagnostics.map((d) => `${d.source?.line} ${d.severity} ${d.message}`)).toEqual(['6 info empty list item in files is ignored']);
    expect((r.config as O).storage.files).toEqual([{ path: '/a' }]);
    const shifted = tr('variant: fcos\nversion: 1.7.0\nstorage:\n  files:\n    -\n    - path: /a\n');
    expect(shifted.diagnostics.map((d) => `${d.source?.line}:${d.source?.column} ${d.severity} ${d.code}`)).toEqual(['5:5 warning yaml-tree-mismatch']);
    expect((shifted.config as O).storage.files).toEqual([{ path: '/a' }]);
  });

  it('reads the first document only, like Butane', () => {
    expect(diags('variant: fcos\nversion: 1.7.0\n---\nvariant: fcos\n: [\n')).toEqual([
      '3:1 info a second YAML document starts here; only the first document is read (as Butane does)',
    ]);
    expect(ok('variant: fcos\nversion: 1.7.0\n---\nstorage: {files: [{path: /a}]}\n')).toEqual({ ignition: { version: '3.6.0' } });
  });

  it('supports anchors, aliases and merge keys', () => {
    const c = ok(`variant: fcos
version: 1.7.0
x-defaults: &defaults
  mode: 0600
  user: {name: app}
storage:
  files:
    - <<: *defaults
      path: /a
    - <<: *defaults
      path: /b
      mode: 0644
`);
    expect(c.storage.files).toEqual([
      { path: '/a', user: { name: 'app' }, mode: 0o600 },
      { path: '/b', user: { name: 'app' }, mode: 0o644 },
    ]);
  });

  it('bounds alias expansion', () => {
    // 100 files × 100 appends × 100 headers through aliases would be a million nodes.
    const list = (alias: string) => `[${Array(100).fill(alias).join(', ')}]`;
    const y = `variant: fcos
version: 1.7.0
x-h: &h {name: a, value: b}
x-hs: &hs ${list('*h')}
x-r: &r {source: "https://example.com/x", http_headers: *hs}
x-rs: &rs ${list('*r')}
x-f: &f {path: /a, append: *rs}
storage:
  files: ${list('*f')}
`;
    const t = Date.now();
    const r = tr(y);
    // A guard against unbounded expansion (which would run for many minutes), not a benchmark:
    // generous enough for a loaded 2-core machine.
    expect(Date.now() - t).toBeLessThan(30_000);
    expect(r.config).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.code === 'yaml-alias-limit').map((d) => d.message)).toEqual([
      'aliases expand to too many nodes (possible alias bomb)',
    ]);
  });

  it('suggests the right key for typos and snake_case for camelCase', () => {
    const r = tr('variant: fcos\nversion: 1.7.0\nstorage:\n  files:\n    - path: /a\n      contnets: {inline: a}\n      overWrite: true\n');
    expect(r.diagnostics.map((d) => [d.source?.line, d.source?.column, d.message, d.hint])).toEqual([
      [6, 7, 'unused key contnets', 'did you mean `contents`?'],
      [7, 7, 'unused key overWrite', 'did you mean `overwrite`?'],
    ]);
  });
});
