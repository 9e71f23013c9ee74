// Help and usage errors of the built CLI: every command documents every flag it takes, `kindling
// help CMD` works, the version is listed, and usage errors exit 2 with one wording.
import { describe, expect, it } from 'vitest';
import { kindling } from './helpers.js';
import pkg from '../../package.json' with { type: 'json' };

const FLAGS: Record<string, string[]> = {
  transpile: ['--strict', '--pretty', '--files-dir', '--output', '--check', '--raw', '--help'],
  validate: ['--format', '--files-dir', '--help'],
  lsp: ['--files-dir', '--help'],
  lint: ['--format', '--strict', '--files-dir', '--disable', '--fix', '--raw', '--help'],
  apply: [
    '--root',
    '--dry-run',
    '--offline',
    '--ignore-unsupported',
    '--files-dir',
    '--fetch-timeout',
    '--disks',
    '--device',
    '--force-host',
    '--verbose',
    '--help',
  ],
  'kargs-helper': ['--should-exist', '--should-not-exist', '--boot-dir', '--boot-device', '--no-reboot', '--help'],
  plan: ['--platform', '--files-dir', '--help'],
  initrd: ['wrap', 'unwrap', '--ignition-file', '--output', '--files-dir', '--help'],
  embed: ['--config', '--platform', '--force', '--show', '--remove', '--files-dir', '--help'],
  karg: ['--max', '--gzip', '--files-dir', '--help'],
  failure: ['--help'],
};

describe('kindling help', () => {
  it('the main help lists the commands, help CMD, --help and --version/-V', () => {
    const r = kindling(['--help']);
    expect(r.status).toBe(0);
    for (const s of ['validate', 'lint', 'transpile', 'apply', 'boot', 'kargs-helper', 'help CMD', '-h, --help', '-V, --version'])
      expect(r.stdout).toContain(s);
    expect(kindling(['help']).stdout).toBe(r.stdout);
  });
  it('--version and -V print the package version', () => {
    expect(kindling(['--version']).stdout).toBe(`kindling ${pkg.version}\n`);
    expect(kindling(['-V']).stdout).toBe(`kindling ${pkg.version}\n`);
  });
  for (const [cmd, flags] of Object.entries(FLAGS)) {
    it(`${cmd} --help documents every flag, and equals kindling help ${cmd}`, () => {
      const r = kindling([cmd, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: kindling ${cmd} `));
      for (const f of flags) expect(r.stdout).toContain(f);
      const h = kindling(['help', cmd]);
      expect(h.status).toBe(0);
      expect(h.stdout).toBe(r.stdout);
      expect(kindling([cmd, '-h']).stdout).toBe(r.stdout);
    });
  }
  it('help of an unknown command is a usage error', () => {
    const r = kindling(['help', 'nosuch']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "nosuch"');
  });
});

describe('usage errors', () => {
  it('--format with no value says it needs one', () => {
    for (const args of [
      ['validate', '--format'],
      ['validate', '--format', '--files-dir', 'x'],
      ['validate', '-f'],
    ]) {
      const r = kindling(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('kindling validate: --format needs a value');
      expect(r.stderr).toContain("run 'kindling validate --help' for the options");
    }
  });
  it('unknown options and too many files', () => {
    const r = kindling(['transpile', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('kindling transpile: unknown option --bogus');
    const v = kindling(['validate', 'a.ign', 'b.ign']);
    expect(v.status).toBe(2);
    expect(v.stderr.split('\n')[0]).toBe('kindling validate: too many arguments: "a.ign" "b.ign"');
  });
  it('a missing file or a directory is named plainly (exit 1)', () => {
    for (const cmd of ['validate', 'transpile']) {
      const r = kindling([cmd, 'nosuch.cfg']);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`kindling ${cmd}: cannot read nosuch.cfg: no such file\n`);
      const d = kindling([cmd, 'test']);
      expect(d.status).toBe(1);
      expect(d.stderr).toBe(`kindling ${cmd}: cannot read test: it is a directory, not a config file\n`);
    }
  });
});
