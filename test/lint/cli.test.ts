// `kindling lint` as a process: operands (files, directories, globs, unreadable ones), exit codes,
// the summary line, every output format as its consumer reads it, and --fix.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kindling } from '../cli/helpers.js';

const require = createRequire(import.meta.url);
let dir: string;
const w = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};
const lint = (args: string[], env?: NodeJS.ProcessEnv) => kindling(['lint', ...args], { cwd: dir, env });

const CLEAN = 'variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: /etc/hostname\n      mode: 0644\n      contents:\n        inline: a\n';
const WARN = 'variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: /opt/a\n      contents:\n        source: https://example.com/a\n';
const BAD = 'variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: rel\n';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-lint-cli-'));
  w('clean.bu', CLEAN);
  w('sub/warn.yaml', WARN);
  w('sub/deeper/bad.bu', BAD);
  w('sub/compose.yaml', 'services:\n  web:\n    image: nginx\n');
  w('sub/package.json', '{"name": "x"}');
  w('node_modules/x.bu', BAD);
  w('ign/a.ign', JSON.stringify({ ignition: { version: '3.4.0' }, storage: { files: [{ path: '/x', contents: { source: 'http://10.0.0.1/x' } }] } }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kindling lint: operands, exit codes, summary', () => {
  it('a clean file exits 0 with one summary line', () => {
    const r = lint(['clean.bu']);
    expect([r.status, r.stdout]).toEqual([0, '1 file checked: 0 errors, 0 warnings\n']);
  });
  it('warnings exit 0, or 1 with --strict', () => {
    expect(lint(['sub/warn.yaml']).status).toBe(0);
    expect(lint(['--strict', 'sub/warn.yaml']).status).toBe(1);
  });
  it('searches directories for configs, skipping other YAML/JSON and node_modules, reporting every file', () => {
    const r = lint(['.']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('sub/deeper/bad.bu:5:13: error: path not absolute');
    expect(r.stdout).toContain('sub/warn.yaml:7:17: warning:');
    expect(r.stdout).toContain('ign/a.ign:');
    expect(r.stdout).not.toContain('compose.yaml');
    expect(r.stdout).not.toContain('node_modules');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('4 files checked: 1 error, 2 warnings');
  });
  it('a batch still runs on the code cache the build recorded (the V8 flag for batches is set after the program starts)', () => {
    const r = lint(['clean.bu', 'sub/deeper/bad.bu'], { KINDLING_TRACE_LOAD: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/program lint: .* \(code cache lint\)/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('2 files checked: 1 error, 0 warnings');
  });

  it('expands glob patterns', () => {
    const r = lint(['sub/**/*.bu']);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('1 file checked: 1 error, 0 warnings');
    expect(lint(['*.nothing']).stdout).toContain('cannot read *.nothing: the pattern matches no config file');
  });
  it('an unreadable or non-config file is reported and the rest is still checked', () => {
    const r = lint(['missing.bu', 'sub/compose.yaml', 'clean.bu', 'sub/deeper']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('missing.bu:1:1: error: cannot read missing.bu: no such file');
    expect(r.stdout).toContain('sub/compose.yaml:1:1: error: not a config: neither Butane YAML');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('4 files checked: 3 errors, 0 warnings');
  });
  it('usage errors exit 2', () => {
    expect(lint([]).status).toBe(2);
    expect(lint(['--format', 'xml', 'clean.bu']).status).toBe(2);
    const r = lint(['--disable', 'remote-no-hsh', 'clean.bu']);
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([2, 'kindling lint: --disable remote-no-hsh: no such check; did you mean remote-no-hash?']);
    expect(lint(['--fix', '-']).status).toBe(2);
  });
  it('--disable silences a code in every file', () => {
    const r = lint(['--strict', '--disable', 'remote-no-hash', '--disable', 'http-unverified', 'sub/warn.yaml', 'ign/a.ign']);
    expect([r.status, r.stdout]).toEqual([0, '2 files checked: 0 errors, 0 warnings\n']);
  });
  it('reads stdin for -', () => {
    const r = kindling(['lint', '-'], { input: BAD, cwd: dir });
    expect(r.stdout).toContain('<stdin>:5:13: error: path not absolute');
  });
});

describe('kindling lint output formats', () => {
  const files = () => ['clean.bu', 'sub/warn.yaml', 'sub/deeper/bad.bu', 'ign/a.ign'];

  it('sarif is valid SARIF 2.1.0 (the official schema) with rules and regions', () => {
    const r = lint(['--format', 'sarif', ...files()]);
    expect(r.stderr).toBe('4 files checked: 1 error, 2 warnings\n');
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new AjvDraft04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // The schema does reject what GitHub's upload would: a bad level, a column 0.
    const broken = JSON.parse(r.stdout);
    broken.runs[0].results[0].level = 'fatal';
    broken.runs[0].results[1].locations[0].physicalLocation.region.startColumn = 0;
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/runs/0/results/0/level', '/runs/0/results/1/locations/0/physicalLocation/region/startColumn']),
    );
    const results = log.runs[0].results;
    expect(results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['remote-no-hash', 'node-path', 'http-unverified']);
    const rule = log.runs[0].tool.driver.rules[results[0].ruleIndex];
    expect(rule.id).toBe('remote-no-hash');
    expect(rule.shortDescription.text).toContain('verification hash');
    expect(results[1].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'sub/deeper/bad.bu' },
      region: { startLine: 5, startColumn: 13, endLine: 5, endColumn: 16 },
    });
  });

  it('github: workflow commands with file, line, col, end and title; the step summary lists all', () => {
    const summary = path.join(dir, 'step-summary.md');
    const r = lint(['--format', 'github', 'sub/warn.yaml', 'sub/deeper/bad.bu'], { GITHUB_STEP_SUMMARY: summary });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::warning file=sub/warn.yaml,line=7,col=17,endLine=7,endColumn=38,title=remote-no-hash::the https source has no verification hash, so whatever it serves at boot is accepted',
    );
    expect(lines[1]).toMatch(/^::error file=sub\/deeper\/bad.bu,line=5,col=13,endLine=5,endColumn=16,title=node-path::path not absolute/);
    expect(lines[2]).toBe('2 files checked: 1 error, 1 warning');
    expect(fs.readFileSync(summary, 'utf8')).toContain('| error | `node-path` | sub/deeper/bad.bu:5:13 | path not absolute |');
  });

  /** The XML parsed by Python's standard library (as CI tools parse it), as plain data. */
  const parseXml = (xml: string) => {
    const py =
      'import sys,json,xml.etree.ElementTree as E\nr=E.fromstring(sys.stdin.buffer.read())\ndef j(e): return {"tag":e.tag,"attrib":e.attrib,"text":(e.text or "").strip(),"children":[j(c) for c in e]}\nprint(json.dumps(j(r)))';
    const p = spawnSync('python3', ['-c', py], { input: xml, encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    return JSON.parse(p.stdout);
  };

  it('checkstyle: one <file> per file checked, an <error> per problem', () => {
    const r = lint(['--format', 'checkstyle', ...files()]);
    const x = parseXml(r.stdout);
    expect(x.tag).toBe('checkstyle');
    expect(x.children.map((f: { attrib: { name: string } }) => f.attrib.name)).toEqual(['clean.bu', 'sub/warn.yaml', 'sub/deeper/bad.bu', 'ign/a.ign']);
    expect(x.children[2].children[0].attrib).toMatchObject({ line: '5', column: '13', severity: 'error', source: 'kindling.node-path' });
    expect(x.children[2].children[0].attrib.message).toContain('path not absolute');
  });

  it('junit: a suite per file; errors fail, warnings fail only with --strict', () => {
    const x = parseXml(lint(['--format', 'junit', ...files()]).stdout);
    expect(x.tag).toBe('testsuites');
    expect(x.attrib).toMatchObject({ tests: '4', failures: '1' });
    const bad = x.children[2];
    expect(bad.attrib).toMatchObject({ name: 'sub/deeper/bad.bu', failures: '1' });
    expect(bad.children[0].children[0].tag).toBe('failure');
    expect(x.children[1].children[0].children[0].tag).toBe('system-out');
    expect(parseXml(lint(['--format', 'junit', '--strict', ...files()]).stdout).attrib.failures).toBe('3');
  });

  it('codeclimate: GitLab code-quality issues with the required fields and stable fingerprints', () => {
    const a = JSON.parse(lint(['--format', 'codeclimate', ...files()]).stdout);
    expect(a).toHaveLength(3);
    for (const i of a) {
      expect(Object.keys(i)).toEqual(expect.arrayContaining(['description', 'check_name', 'fingerprint', 'severity', 'location']));
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(i.severity);
      expect(typeof i.location.lines.begin).toBe('number');
    }
    expect(a[1]).toMatchObject({ check_name: 'node-path', severity: 'major', location: { path: 'sub/deeper/bad.bu', lines: { begin: 5 } } });
    expect(JSON.parse(lint(['--format', 'codeclimate', ...files()]).stdout).map((i: { fingerprint: string }) => i.fingerprint)).toEqual(
      a.map((i: { fingerprint: string }) => i.fingerprint),
    );
  });

  it('json: one array of diagnostics', () => {
    const a = JSON.parse(lint(['--format', 'json', 'sub/deeper/bad.bu']).stdout);
    expect(a).toEqual([
      expect.objectContaining({ severity: 'error', code: 'node-path', source: expect.objectContaining({ file: 'sub/deeper/bad.bu', line: 5, column: 13 }) }),
    ]);
  });
});

describe('kindling lint --fix', () => {
  const before = [
    '# A config with mechanical mistakes. Comments, quoting and layout stay as they are.',
    'variant: fcos',
    'version: 1.7.0',
    'storage:',
    '  files:',
    '    - Path: /etc/app.conf   # key in the wrong case',
    '      mode: 644',
    '      overwrite: "yes"',
    '      contents: {inline: "x"}',
    '  directories:',
    '    - path: /var/app',
    "      mode: '0750'",
    '  trees:',
    '    - local: tree',
    '      file_mode: 640',
    'passwd:',
    '  users:',
    '    - name: app',
    '      uid: 1500.0',
    '',
  ].join('\r\n');
  const after = before
    .replace('- Path:', '- path:')
    .replace('mode: 644', 'mode: 0644')
    .replace('overwrite: "yes"', 'overwrite: true')
    .replace("mode: '0750'", 'mode: 0750')
    .replace('file_mode: 640', 'file_mode: 0640')
    .replace('uid: 1500.0', 'uid: 1500');

  it('fixes octal modes, key case, booleans and integral floats, and nothing else, byte for byte', () => {
    const f = w('fix/a.bu', before);
    fs.mkdirSync(path.join(dir, 'fix/tree'), { recursive: true });
    const first = lint(['--fix', '-d', 'fix', 'fix/a.bu']);
    expect(fs.readFileSync(f, 'utf8')).toBe(after);
    expect([first.status, first.stdout]).toEqual([0, '1 file checked: 0 errors, 0 warnings; 6 fixes applied\n']);
    const again = lint(['--fix', '-d', 'fix', 'fix/a.bu']);
    expect(again.stdout).toBe('1 file checked: 0 errors, 0 warnings\n');
    expect(fs.readFileSync(f, 'utf8')).toBe(after);
  });
  it('without --fix nothing is written', () => {
    const f = w('fix/b.bu', before);
    lint(['-d', 'fix', 'fix/b.bu']);
    expect(fs.readFileSync(f, 'utf8')).toBe(before);
  });
  it('a disable comment keeps its line unfixed', () => {
    const src = before.replace('      mode: 644', '      # kindling-disable-next-line decimal-mode\r\n      mode: 644');
    const f = w('fix/c.bu', src);
    lint(['--fix', '-d', 'fix', 'fix/c.bu']);
    expect(fs.readFileSync(f, 'utf8')).toContain('mode: 644\r\n');
  });
});

it('the bundled examples lint clean (errors and warnings)', () => {
  const r = kindling(['lint', 'examples/']);
  expect(r.stdout + r.stderr).toMatch(/\b\d+ files checked: 0 errors, 0 warnings/);
  expect(r.status).toBe(0);
});
