// Reading configs: positions, Go-compatible decoding, version handling and hostile inputs.
import { describe, expect, it } from 'vitest';
import { parseIgnition } from '../../src/config/parse.js';
import { translate } from '../../src/config/translate.js';
import { renderIgnition, renderPretty } from '../../src/diag/render.js';
import { LATEST_STABLE, parseSemver, VERSIONS, versionsInWords } from '../../src/model/versions.js';

const errs = (r: ReturnType<typeof parseIgnition>) => r.diagnostics.filter((d) => d.severity === 'error');

describe('positions', () => {
  it('points at nested values with 1-based line and column', () => {
    const text = '{\n  "ignition": {"version": "3.3.0"},\n  "storage": {\n    "files": [\n      {"path": "/ok"},\n      {"path": "rel"}\n    ]\n  }\n}\n';
    const r = parseIgnition(text, { file: 'c.ign' });
    expect(errs(r)).toEqual([
      expect.objectContaining({
        message: 'path not absolute',
        path: ['storage', 'files', 1, 'path'],
        source: { file: 'c.ign', line: 6, column: 16, endLine: 6, endColumn: 21 },
      }),
    ]);
    expect(renderIgnition(errs(r)[0])).toBe('error at $.storage.files.1.path, line 6 col 16: path not absolute');
    expect(renderPretty(errs(r), new Map([['c.ign', text]]))).toBe(
      'c.ign:6:16: error: path not absolute (at $.storage.files.1.path)\n  |\n6 |       {"path": "rel"}\n  |                ^^^^^\n',
    );
  });
  it('points at the key of an unused key, and at the last of duplicate keys', () => {
    const text = '{"ignition":{"version":"3.3.0"},\n"storage":{"files":[{"path":"a","path":"/b","overwirte":true}]}}';
    const r = parseIgnition(text);
    expect(errs(r)).toEqual([]);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: 'unused key overwirte',
        source: { line: 2, column: 45, endLine: 2, endColumn: 56, file: undefined },
      }),
    ]);
    expect(r.config?.storage?.files?.[0].path).toBe('/b');
  });
});

describe('JSON gets the hints and spans that YAML gets', () => {
  const text =
    '{"ignition": {"version": "3.2.0"},\n "storage": {"files": [{"path": "rel", "contnets": {}, "Mode": 420}],\n  "luks": [{"name": "l", "device": "/dev/sdb", "discard": true}]}}';
  const r = parseIgnition(text, { file: 'c.ign' });
  const find = (m: string) => r.diagnostics.find((d) => d.message === m)!;
  const col = (s: string) => text.split('\n')[1].indexOf(s) + 1;
  it('did-you-mean for a misspelt key, with a caret under the whole key', () => {
    expect(find('unused key contnets')).toMatchObject({
      hint: 'did you mean `contents`?',
      source: { line: 2, column: col('"contnets"'), endLine: 2, endColumn: col('"contnets"') + 10 },
    });
    expect(renderPretty([find('unused key contnets')], new Map([['c.ign', text]]))).toContain(`\n  | ${' '.repeat(col('"contnets"') - 1)}^^^^^^^^^^\n`);
  });
  it('a mis-cased key says that keys are case-sensitive', () => {
    expect(find('unused key Mode').hint).toBe('keys are case-sensitive: write `mode`');
  });
  it('a key of a later spec version says which', () => {
    expect(find('unused key discard').hint).toBe('`discard` needs spec 3.4.0 or later; this config is 3.2.0');
  });
  it('values are spanned whole', () => {
    expect(find('path not absolute').source).toEqual({ file: 'c.ign', line: 2, column: col('"rel"'), endLine: 2, endColumn: col('"rel"') + 5 });
  });
});

describe('Go decoding rules', () => {
  it('matches keys case-insensitively and warns about each mis-cased key', () => {
    const r = parseIgnition('{"Ignition":{"Version":"3.3.0"},"Storage":{"Files":[{"Path":"/x"}]}}');
    expect(errs(r)).toEqual([]);
    expect(r.diagnostics.map((d) => d.message).sort()).toEqual([
      'unused key Files',
      'unused key Ignition',
      'unused key Path',
      'unused key Storage',
      'unused key Version',
    ]);
    expect(r.config?.storage?.files?.[0].path).toBe('/x');
  });
  it('treats null as absent, and warns for null objects as Ignition does', () => {
    const r = parseIgnition('{"ignition":{"version":"3.3.0","config":null},"storage":{"files":[{"path":"/x","mode":null}]}}');
    expect(r.diagnostics.map((d) => [d.severity, d.path?.join('.'), d.source?.column])).toEqual([['warning', 'ignition.config', 41]]);
    expect(r.config?.storage?.files?.[0]).toEqual({ path: '/x' });
    // In 3.2.0 clevis is a Go pointer: null there is simply unset.
    expect(parseIgnition('{"ignition":{"version":"3.2.0"},"storage":{"luks":[{"name":"a","device":"/dev/b","clevis":null}]}}').diagnostics).toEqual([]);
  });
  it('names the field and the expected type when a number stands where a string belongs', () => {
    const r = parseIgnition('{"ignition":{"version":"3.3.0"},"storage":{"files":[{"path":42}]},"systemd":{"units":[{"name":"a.service","enabled":"yes"}]}}');
    expect(errs(r).map((d) => [d.path?.join('.'), d.message])).toEqual([
      ['storage.files.0.path', 'expected a string, found an integer'],
      ['systemd.units.0.enabled', 'expected a boolean, found a string'],
    ]);
  });
  it('rejects fractions, exponents and 64-bit overflow where integers belong, as Go does', () => {
    const r = parseIgnition('{"ignition":{"version":"3.3.0"},"storage":{"files":[{"path":"/a","mode":420.5}]}}');
    expect(errs(r).map((d) => d.message)).toEqual(['expected an integer, found a number with a fraction']);
    const e = parseIgnition('{"ignition":{"version":"3.3.0"},"storage":{"files":[{"path":"/a","mode":4.2e2}]},"passwd":{"users":[{"name":"a","uid":420.0}]}}');
    expect(errs(e).map((d) => [d.path?.join('.'), d.message, d.source?.column])).toEqual([
      ['passwd.users.0.uid', 'uid must be an integer, not 420.0: write it without a fraction or exponent', 119],
      ['storage.files.0.mode', 'mode must be an integer, not 4.2e2: write it without a fraction or exponent', 73],
    ]);
    expect(errs(parseIgnition('{"ignition":{"version":"3.3.0"},"passwd":{"users":[{"name":"a","uid":99999999999999999999}]}}'))[0].message).toBe(
      'uid must be an integer, not 99999999999999999999: it does not fit in 64 bits',
    );
    expect(parseIgnition('{"ignition":{"version":"3.3.0"},"passwd":{"users":[{"name":"a","uid":9223372036854775807}]}}').diagnostics).toEqual([]);
  });
  it('reports keys unknown to the declared version', () => {
    const r = parseIgnition('{"ignition":{"version":"3.0.0","config":{"merge":[{"source":"data:,{}","compression":"gzip"}]}}}');
    expect(r.diagnostics.map((d) => d.message)).toContain('unused key compression');
  });
});

describe('versions', () => {
  it.each([
    ['{"ignition":{"version":"latest"}}', "invalid config version (couldn't parse)"],
    ['{"ignition":{}}', "invalid config version (couldn't parse)"],
    ['{"ignition":{"version":"3.99.0"}}', 'unsupported config version'],
    ['{"ignition":{"version":"3.4.0-experimental"}}', 'unsupported config version'],
    ['{"ignition":{"version":"3.5.0+build"}}', 'unsupported config version'],
    ['{"ignition":{"version":"3.5"}}', "invalid config version (couldn't parse)"],
    ['{"ignition":{"version":"3.5.0-a..b"}}', "invalid config version (couldn't parse)"],
  ])('%s → %s', (text, message) => {
    expect(errs(parseIgnition(text))).toEqual([expect.objectContaining({ message, code: 'version' })]);
  });
  it('reads versions with go-semver, as Ignition does: 03.5.0 and 3.5.0- are 3.5.0', () => {
    // Ignition compares go-semver's parse with its spec version (config/v3_5/config.go).
    for (const v of ['03.5.0', '3.05.00', '3.5.0-']) {
      const r = parseIgnition(`{"ignition":{"version":"${v}"},"storage":{"luks":[{"name":"a","device":"/dev/b","cex":{"enabled":true}}]}}`);
      expect(r.version, v).toBe('3.5.0');
      expect(r.diagnostics, v).toEqual([]);
    }
  });
  it('hints at the accepted versions, derived from the version table', () => {
    expect(errs(parseIgnition('{"ignition":{"version":"3.99.0"}}'))[0].hint).toBe(`supported versions: ${versionsInWords()}`);
    expect(versionsInWords()).toBe('3.0.0 to 3.6.0 and 3.7.0-experimental');
    expect(LATEST_STABLE).toBe('3.6.0');
    // The table's pre-releases are told by their dash: go-semver reads the same of each entry.
    const preReleases = VERSIONS.filter((v) => parseSemver(v)?.preRelease);
    expect(versionsInWords()).toBe(`${VERSIONS[0]} to ${LATEST_STABLE} and ${preReleases.join(', ')}`);
    for (const v of VERSIONS) expect(parseSemver(v), v).toMatchObject({ metadata: '', preRelease: v.includes('-') ? v.slice(v.indexOf('-') + 1) : '' });
  });
  it("a spec 2 config: Ignition's message, then what it is and how to migrate", () => {
    const [e] = errs(parseIgnition('{"ignition":{"version":"2.3.0"}}'));
    expect(e.code).toBe('version');
    expect(e.message).toMatch(/^unsupported config version: 2\.3\.0 is an Ignition spec 2 config; .*convert it \(ign-converter\) or rewrite it in Butane$/);
    expect(e.hint).toContain('github.com/coreos/ign-converter');
  });
  it('translates every version to 3.7.0-experimental', () => {
    for (const v of ['3.0.0', '3.1.0', '3.2.0', '3.3.0', '3.4.0', '3.5.0', '3.6.0', '3.7.0-experimental']) {
      const r = parseIgnition(`{"ignition":{"version":"${v}"},"storage":{"files":[{"path":"/a","mode":2541}],"directories":[{"path":"/d","mode":1023}]}}`);
      expect(r.config?.ignition.version).toBe('3.7.0-experimental');
      const keep = v === '3.6.0' || v === '3.7.0-experimental';
      expect(r.config?.storage?.files?.[0].mode).toBe(keep ? 2541 : 2541 & 0o777);
      expect(r.config?.storage?.directories?.[0].mode).toBe(keep ? 1023 : 1023 & 0o777);
    }
  });
  it('translation does not mutate its input', () => {
    const c = { ignition: { version: '3.3.0' }, storage: { files: [{ path: '/a', mode: 0o4755 }] } };
    translate(c, '3.3.0');
    expect(c.storage.files[0].mode).toBe(0o4755);
  });
});

describe('hostile input', () => {
  it('empty file: not a config', () => {
    expect(errs(parseIgnition(Buffer.alloc(0)))).toEqual([expect.objectContaining({ message: 'not a config (empty)' })]);
  });
  it('newline only: end of input, with a position', () => {
    expect(errs(parseIgnition('\n'))).toEqual([
      expect.objectContaining({ message: 'unexpected end of JSON input', source: { line: 2, column: 1, file: undefined } }),
    ]);
  });
  it('syntax errors have Go-like messages and positions', () => {
    expect(errs(parseIgnition('{\n  "ignition": {"version": "3.3.0"},\n}'))[0]).toMatchObject({
      message: "invalid character '}' looking for beginning of object key string",
      source: { line: 3, column: 1 },
    });
  });
  it.each([
    ['{"a" 1}', "invalid character '1' after object key", 5],
    ['[1 2]', "invalid character '2' after array element", 3],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair", 7],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')", 8],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code", 7],
    ['{"a":-}', "invalid character '}' in numeric literal", 6],
    ['{"a":"x', 'unexpected end of JSON input', 7],
    ['{} {}', "invalid character '{' after top-level value", 3],
    ['[' + '['.repeat(10_000), 'exceeded max depth', 10_000],
  ])('explains %s', (text, message, offset) => {
    expect(errs(parseIgnition(text))[0]).toMatchObject({ message, source: { line: 1, column: offset + 1 } });
  });
  it('invalid UTF-8 is accepted like Go does, with a warning', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"ignition":{"version":"3.3.0"},"storage":{"files":[{"path":"/a\xff'.replace('\xff', '')),
      Buffer.from([0xff]),
      Buffer.from('"}]}}'),
    ]);
    const r = parseIgnition(bytes);
    expect(errs(r)).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'invalid-utf8', severity: 'warning' })]);
    expect(r.config?.storage?.files?.[0].path).toBe('/a\ufffd');
  });
  it('10,000-deep nesting is an error, not a crash', () => {
    const deep = '{"ignition":{"version":"3.3.0"},"x":' + '['.repeat(10_001) + ']'.repeat(10_001) + '}';
    expect(errs(parseIgnition(deep))).toEqual([expect.objectContaining({ message: 'exceeded max depth' })]);
    const ok = '{"ignition":{"version":"3.3.0"},"x":' + '['.repeat(9_000) + ']'.repeat(9_000) + '}';
    expect(errs(parseIgnition(ok))).toEqual([]);
  });
  it('a 10 MB config validates', () => {
    const files = Array.from({ length: 130_000 }, (_, k) => ({ path: `/etc/f${k}`, mode: 420, contents: { source: `data:,file%20${k}` } }));
    const text = JSON.stringify({ ignition: { version: '3.4.0' }, storage: { files } });
    expect(text.length).toBeGreaterThan(10_000_000);
    const r = parseIgnition(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.config?.storage?.files?.length).toBe(130_000);
  });
  it('a top-level value that is not an object is refused', () => {
    expect(errs(parseIgnition('[1,2]'))[0].message).toBe('a config must be a JSON object');
  });
});
