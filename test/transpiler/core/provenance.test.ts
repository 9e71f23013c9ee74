// Provenance is recorded as the translation happens: every value of every output has the YAML node
// it came from, through user translation, sugar and the merge of the two.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { transpileButane, type TranspileResult } from '../../../transpiler/transpile.js';
import { corpusDir, corpusRows } from '../../support/corpus.js';

type Path = (string | number)[];

/** Every path of a JSON value, containers and leaves. */
function paths(v: unknown, at: Path = []): Path[] {
  const kids = Array.isArray(v)
    ? v.map((x, i) => paths(x, [...at, i]))
    : v && typeof v === 'object'
      ? Object.entries(v).map(([k, x]) => paths(x, [...at, k]))
      : [];
  return [at, ...kids.flat()];
}

const where = (r: TranspileResult, p: Path) => {
  const s = r.sourceOf?.(p, true);
  return s && `${s.line}:${s.column}`;
};

const dir = corpusDir('transpile');
describe.skipIf(!dir)('every value of every corpus output has a source inside the input', () => {
  for (const row of corpusRows('transpile')) {
    if (row.exit_plain !== '0') continue;
    it(row.name, () => {
      const cases = path.join(dir!, 'cases');
      const flags = row.flags === '-' ? [] : row.flags.split(' ');
      const fd = flags.indexOf('--files-dir');
      const text = fs.readFileSync(path.join(cases, `${row.name}.bu`), 'utf8');
      const file = `${row.name}.bu`;
      const r = transpileButane(text, { file, filesDir: fd >= 0 ? path.join(cases, flags[fd + 1]) : undefined, raw: flags.includes('--raw') });
      expect(r.config).toBeDefined();
      const lines = text.split('\n');
      const missing: string[] = [];
      for (const p of paths(r.config)) {
        const s = r.sourceOf!(p, true);
        const inside = s && s.file === file && s.line >= 1 && s.line <= lines.length && s.column >= 1 && s.column <= lines[s.line - 1].length + 1;
        if (!inside) missing.push(`${p.join('.') || '$'} → ${JSON.stringify(s)}`);
      }
      expect(missing).toEqual([]);
    });
  }
});

describe('recorded provenance', () => {
  const HEAD = 'variant: fcos\nversion: 1.6.0\n';
  it('the version line is the source of ignition.version', () => {
    const r = transpileButane(HEAD + 'passwd:\n  users:\n    - name: core\n');
    expect(where(r, ['ignition', 'version'])).toBe('2:10');
    expect(where(r, ['passwd', 'users', 0, 'name'])).toBe('5:13');
  });
  it('release forgets the records: sourceOf answers nothing after it, and the config stays', () => {
    const r = transpileButane(HEAD + 'boot_device:\n  luks:\n    tpm2: true\npasswd:\n  users:\n    - name: core\n');
    expect(where(r, ['passwd', 'users', 0, 'name'])).toBe('8:13');
    const config = JSON.stringify(r.config);
    r.release!();
    expect(r.sourceOf!(['passwd', 'users', 0, 'name'])).toBeUndefined();
    expect(r.sourceOf!(['passwd', 'users', 0, 'name'], true)).toBeUndefined();
    expect(JSON.stringify(r.config)).toBe(config);
  });
  it("a user entry merged over a generated one: the fields the user wrote are theirs, the rest the sugar's", () => {
    const r = transpileButane(
      HEAD +
        [
          'boot_device:',
          '  luks:',
          '    tpm2: true',
          'storage:',
          '  filesystems:',
          '    - device: /dev/mapper/root',
          '      label: root',
          '      mount_options: [noatime]',
        ].join('\n') +
        '\n',
    );
    expect(r.config).toBeDefined();
    const fs = (r.config as { storage: { filesystems: { device: string }[] } }).storage.filesystems;
    const i = fs.findIndex((f) => f.device === '/dev/mapper/root');
    expect(where(r, ['storage', 'filesystems', i, 'mountOptions', 0])).toBe('10:23');
    expect(where(r, ['storage', 'filesystems', i, 'label'])).toBe('9:14');
    expect(where(r, ['storage', 'filesystems', i, 'format'])).toBe('5:5');
    expect(where(r, ['storage', 'luks', 0, 'clevis', 'tpm2'])).toBe('5:5');
  });
  it("an Ignition error on a merged entry points at the user's line, a generated field at its sugar", () => {
    const r = transpileButane(
      HEAD +
        [
          'boot_device:',
          '  luks:',
          '    tpm2: true',
          'storage:',
          '  filesystems:',
          '    - device: /dev/mapper/root',
          '      label: root',
          '      format: nosuchfs',
        ].join('\n') +
        '\n',
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.source?.line}:${d.source?.column} ${d.message}`)).toEqual([
      '10:15 invalid filesystem format',
    ]);
  });
  it('a value from a local file is blamed on the *_local key', () => {
    const local = { dir: '/files', read: () => Buffer.from('ssh-ed25519 AAA\n'), walk: () => [] };
    const r = transpileButane(HEAD + 'passwd:\n  users:\n    - name: core\n      ssh_authorized_keys_local: [keys]\n', { local });
    expect(where(r, ['passwd', 'users', 0, 'sshAuthorizedKeys', 0])).toBe('6:35');
  });
});

describe('sources of several inputs (SourceMap.tag, recordingAs)', () => {
  it('tags each record with its input, falls back to the input for unrecorded paths, and records through a view', async () => {
    const { SourceMap } = await import('../../../transpiler/core/provenance.js');
    const m = new SourceMap();
    m.generated(['storage', 'files', 0], { path: '/a' }, ['storage', 'filesystems', 2]);
    m.copiedInPlace(['passwd'], { users: [{ name: 'core' }] });
    const t = m.tag([1]);
    expect(t).toBe(m); // in place
    expect(t.get(['storage', 'files', 0, 'path'])).toEqual([1, 'storage', 'filesystems', 2]);
    expect(t.get(['storage', 'files', 0])).toEqual([1, 'storage', 'filesystems', 2]);
    expect(t.resolve(['passwd', 'users', 0, 'groups'])).toEqual([1, 'passwd', 'users', 0, 'groups']);
    expect(t.resolve(['systemd', 'units', 3])).toEqual([1, 'systemd', 'units', 3]);
    t.recordingAs([0]).set(['storage', 'luks', 0, 'options'], ['openshift', 'fips']);
    expect(t.get(['storage', 'luks', 0, 'options'])).toEqual([0, 'openshift', 'fips']);
  });
});
