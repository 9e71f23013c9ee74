// Property-based tests of hostile input (issue 13 §4), with fast-check: Butane YAML generated from
// a model of the config (valid, then mutated), Ignition JSON of every spec version (valid, then
// mutated), and kernel command lines. Properties: no crash and no hang (each input bounded in
// time), every diagnostic placed inside its input, transpile and validate agreeing, and Ignition's
// merge being associative. A fixed seed and a fixed number of cases in `npm test`; more with
// KINDLING_PROPERTY_RUNS=N (a failure prints the seed and the shrunk input to replay).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { mergeConfigs } from '../../src/config/merge.js';
import { parseIgnition } from '../../src/config/parse.js';
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import type { Config } from '../../src/generated/types.js';
import { VERSIONS } from '../../src/model/versions.js';
import { ignitionCmdline, kernelCmdlineWords } from '../../src/providers/cmdline.js';
import { transpileButane } from '../../transpiler/transpile.js';

const RUNS = Number(process.env.KINDLING_PROPERTY_RUNS ?? 150);
const params = { numRuns: RUNS, seed: 0x13 };
/** Per input: generous for a loaded 2-core machine, far below a hang. */
const BOUND_MS = 2_000;
const BUTANE_VERSIONS = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0', '1.5.0', '1.6.0'];

// ---- the model ------------------------------------------------------------------------------

const segment = fc.stringMatching(/^[a-z0-9._-]{1,8}$/);
const absPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((p) => '/' + p.join('/'));
const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const mode = fc.integer({ min: 0, max: 0o7777 });
const text = fc.string({ maxLength: 40 });

/** The parts of a config every 3.x spec has, in Ignition's (camelCase) spelling. */
const ignitionParts = fc.record(
  {
    files: fc.array(
      fc.record(
        { path: absPath, mode, overwrite: fc.boolean(), contents: text.map((t) => ({ source: `data:,${encodeURIComponent(t)}` })) },
        { requiredKeys: ['path'] },
      ),
      { maxLength: 4 },
    ),
    directories: fc.array(fc.record({ path: absPath, mode }, { requiredKeys: ['path'] }), { maxLength: 3 }),
    links: fc.array(fc.record({ path: absPath, target: absPath, hard: fc.boolean() }, { requiredKeys: ['path', 'target'] }), { maxLength: 3 }),
    units: fc.array(
      fc.record({ name: name.map((n) => `${n}.service`), enabled: fc.boolean(), mask: fc.boolean(), contents: text }, { requiredKeys: ['name'] }),
      { maxLength: 3 },
    ),
    users: fc.array(
      fc.record({ name, uid: fc.integer({ min: 0, max: 70000 }), sshAuthorizedKeys: fc.array(text, { maxLength: 2 }) }, { requiredKeys: ['name'] }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);
type Parts = typeof ignitionParts extends fc.Arbitrary<infer T> ? T : never;

function ignitionOf(version: string, p: Parts): Config {
  return {
    ignition: { version },
    ...(p.files || p.directories || p.links ? { storage: { files: p.files, directories: p.directories, links: p.links } } : {}),
    ...(p.units ? { systemd: { units: p.units } } : {}),
    ...(p.users ? { passwd: { users: p.users } } : {}),
  } as Config;
}

/** The same model in Butane's spelling (snake_case; contents inline). */
function butaneOf(version: string, p: Parts): object {
  return {
    variant: 'fcos',
    version,
    ...(p.files || p.directories || p.links
      ? {
          storage: {
            files: p.files?.map((f) => ({
              path: f.path,
              mode: f.mode,
              overwrite: f.overwrite,
              contents: f.contents && { inline: decodeURIComponent(f.contents.source.slice(6)) },
            })),
            directories: p.directories,
            links: p.links,
          },
        }
      : {}),
    ...(p.units ? { systemd: { units: p.units } } : {}),
    ...(p.users ? { passwd: { users: p.users.map((u) => ({ name: u.name, uid: u.uid, ssh_authorized_keys: u.sshAuthorizedKeys })) } } : {}),
  };
}

/** A few edits at random places: the shapes hostile or careless input takes. */
const edits = fc.array(
  fc.record({
    at: fc.nat(),
    cut: fc.nat({ max: 6 }),
    put: fc.constantFrom(
      '',
      ':',
      '- ',
      ' ',
      '  ',
      '\n',
      '\t',
      '{',
      '}',
      '[',
      ']',
      ',',
      '"',
      "'",
      '#',
      '&a ',
      '*a',
      '!!binary ',
      '? ',
      '|',
      '>',
      '0x',
      '1e999',
      '-',
      'null',
      '~',
      '\\',
      '\u0000',
      '\ufeff',
      'é',
    ),
  }),
  { minLength: 1, maxLength: 4 },
);
function mutate(s: string, es: { at: number; cut: number; put: string }[]): string {
  for (const e of es) {
    const at = s.length ? e.at % (s.length + 1) : 0;
    s = s.slice(0, at) + e.put + s.slice(at + e.cut);
  }
  return s;
}

// ---- the properties -------------------------------------------------------------------------

/** Runs `f` and says how long it took. */
function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

/** Every diagnostic names a line and column inside the input (the column may be one past a line's end). */
function expectPlaced(diagnostics: Diagnostic[], input: string): void {
  const lines = input.split(/\r?\n|\r/);
  for (const d of diagnostics) {
    expect(d.source, `no position: ${d.code}: ${d.message}`).toBeDefined();
    const { line, column } = d.source!;
    expect(line, `${d.code}: ${d.message}`).toBeGreaterThanOrEqual(1);
    expect(line, `${d.code}: ${d.message}`).toBeLessThanOrEqual(lines.length);
    expect(column, `${d.code}: ${d.message}`).toBeGreaterThanOrEqual(1);
    expect(column, `${d.code}: ${d.message}`).toBeLessThanOrEqual([...lines[line - 1]].length + 1);
  }
}

const hasError = (ds: Diagnostic[]) => ds.some((d) => d.severity === 'error');

describe('Butane YAML from the model', () => {
  it('valid: no crash, bounded, placed diagnostics, and what transpiles cleanly validates', () => {
    let clean = 0;
    fc.assert(
      fc.property(fc.constantFrom(...BUTANE_VERSIONS), ignitionParts, (v, p) => {
        const yaml = stringify(butaneOf(v, p));
        const [r, ms] = timed(() => transpileButane(yaml));
        expect(ms).toBeLessThan(BOUND_MS);
        expectPlaced(r.diagnostics, yaml);
        if (!hasError(r.diagnostics) && r.config) {
          clean++;
          const back = parseIgnition(JSON.stringify(r.config));
          expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        }
      }),
      params,
    );
    // The agreement was checked on many configs, not vacuously.
    expect(clean).toBeGreaterThan(RUNS / 4);
  });

  it('mutated: no crash, bounded, placed diagnostics, and what transpiles cleanly validates', () => {
    let diagnosed = 0;
    fc.assert(
      fc.property(fc.constantFrom(...BUTANE_VERSIONS), ignitionParts, edits, (v, p, es) => {
        const yaml = mutate(stringify(butaneOf(v, p)), es);
        const [r, ms] = timed(() => transpileButane(yaml));
        expect(ms).toBeLessThan(BOUND_MS);
        expectPlaced(r.diagnostics, yaml);
        if (r.diagnostics.length) diagnosed++;
        if (!hasError(r.diagnostics) && r.config) {
          const back = parseIgnition(JSON.stringify(r.config));
          expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        }
      }),
      params,
    );
    // The positions were checked on many diagnostics, not vacuously.
    expect(diagnosed).toBeGreaterThan(RUNS / 4);
  });
});

describe('Ignition JSON of every version', () => {
  it('valid and mutated: no crash, bounded, placed diagnostics', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VERSIONS), ignitionParts, fc.option(edits, { nil: undefined }), fc.constantFrom(0, 2), (v, p, es, indent) => {
        const json = JSON.stringify(ignitionOf(v, p), null, indent);
        const input = es ? mutate(json, es) : json;
        const [r, ms] = timed(() => parseIgnition(input));
        expect(ms).toBeLessThan(BOUND_MS);
        expectPlaced(r.diagnostics, input);
      }),
      params,
    );
  });

  it('any JSON value where a config is expected: no crash, placed diagnostics', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const input = JSON.stringify({ ignition: { version: '3.4.0' }, storage: value });
        const [r, ms] = timed(() => parseIgnition(input));
        expect(ms).toBeLessThan(BOUND_MS);
        expectPlaced(r.diagnostics, input);
      }),
      params,
    );
  });

  it("merging is associative, as Ignition's (child fields over parent fields, keyed lists by key)", () => {
    const cfg = ignitionParts.map((p) => ignitionOf('3.4.0', p));
    fc.assert(
      fc.property(cfg, cfg, cfg, (a, b, c) => {
        expect(mergeConfigs(mergeConfigs(a, b), c)).toEqual(mergeConfigs(a, mergeConfigs(b, c)));
      }),
      params,
    );
  });
});

describe('kernel command lines', () => {
  const word = fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[a-z.]{1,12}=("[^"]{0,8}"|[^\s"]{0,12})$/));
  it('no crash, bounded; without quotes, the words are exactly what white space separates', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 30 }), fc.constantFrom(' ', '\t', '\n', '  '), (words, sep) => {
        const line = words.join(sep);
        const [ws, ms] = timed(() => kernelCmdlineWords(line));
        expect(ms).toBeLessThan(BOUND_MS);
        for (const [k, v] of ws) expect(`${k}${v ?? ''}`).not.toContain('"');
        if (!line.includes('"')) expect(ws.map(([k, v]) => (v === null ? k : `${k}=${v}`))).toEqual(line.split(/\s+/).filter(Boolean));
      }),
      params,
    );
  });

  it('the last non-empty ignition.config.url wins, whatever surrounds it', () => {
    const url = fc.webUrl().filter((u) => !/[\s"]/.test(u));
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 12 }).filter((w) => !w.includes('"') && !w.startsWith('ignition.config.url')),
          { maxLength: 10 },
        ),
        url,
        url,
        (noise, first, last) => {
          const line = [...noise, `ignition.config.url=${first}`, ...noise, `ignition.config.url=${last}`, 'ignition.config.url='].join(' ');
          expect(ignitionCmdline(line).url).toBe(last);
        },
      ),
      params,
    );
  });

  it('a 1 MB command line of quotes and words is read in bounded time', () => {
    const line = ('a="b c ' + 'x'.repeat(50) + ' ').repeat(15_000) + '"';
    const [ws, ms] = timed(() => kernelCmdlineWords(line));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(ws.length).toBeGreaterThan(0);
  });
});
