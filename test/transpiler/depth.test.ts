// Deep nesting is a positioned error from every reader, never a stack overflow: the fast YAML
// reader, the `yaml` package behind it, and JSON (validate's own reader allows Go's 10000 levels).
import { describe, expect, it } from 'vitest';
import { MAX_YAML_DEPTH } from '../../transpiler/yaml/fastyaml.js';
import { transpileButane } from '../../transpiler/transpile.js';
import { parseYaml } from '../../transpiler/yaml/yaml.js';
import { loadConfig } from '../../src/input/load.js';

const HEAD = 'variant: fcos\nversion: 1.6.0\n';
// `!!map` (a tag) sends the same document to the full parser.
const FULL = 'variant: fcos\nversion: !!str 1.6.0\n';
const flow = (d: number) => `x: ${'['.repeat(d)}${']'.repeat(d)}\n`;
const flowMaps = (d: number) => `x: ${'{a: '.repeat(d)}1${'}'.repeat(d)}\n`;
const blockMaps = (d: number) => 'x:\n' + Array.from({ length: d }, (_, i) => `${' '.repeat(i + 1)}a:${i === d - 1 ? ' 1' : ''}\n`).join('');
const compactSeqs = (d: number) => `x:\n- ${'- '.repeat(d - 1)}{}\n`;
const seqUnderKey = (d: number) => 'x:\n' + Array.from({ length: d }, (_, i) => `${'  '.repeat(i)}- k:\n`).join('') + `${'  '.repeat(d)}v: 1\n`;

const errorsOf = (text: string) => transpileButane(text, { file: 'deep.bu' }).diagnostics.filter((d) => d.severity === 'error');

describe('nesting depth', () => {
  // make(n) nests 1 (the root map) + extra + levels * n collections.
  for (const [name, make, levels, extra] of [
    ['flow sequences', flow, 1, 0],
    ['flow maps', flowMaps, 1, 0],
    ['block maps', blockMaps, 1, 0],
    ['compact sequences', compactSeqs, 1, 1],
    ['sequences under keys', seqUnderKey, 2, 0],
  ] as const) {
    for (const [reader, head] of [
      ['fast reader', HEAD],
      ['yaml package', FULL],
    ]) {
      it(`${name}, ${reader}: 10000 levels is one error with a position`, () => {
        const errs = errorsOf(head + make(10000));
        expect(errs).toHaveLength(1);
        expect(errs[0]).toMatchObject({ code: 'yaml-too-deep', source: { file: 'deep.bu', line: expect.any(Number), column: expect.any(Number) } });
        expect(errs[0].message).toMatch(/^exceeded max depth/);
        expect(errs[0].source!.line).toBeGreaterThanOrEqual(3);
      });
      it(`${name}, ${reader}: the limit is exact (${MAX_YAML_DEPTH} levels read, one more refused)`, () => {
        const fits = Math.floor((MAX_YAML_DEPTH - 1 - extra) / levels);
        expect(parseYaml(head + make(fits), 'a.bu').diagnostics).toEqual([]);
        expect(parseYaml(head + make(fits + 1), 'a.bu').diagnostics.map((d) => d.code)).toEqual(['yaml-too-deep']);
      });
    }
  }
  it('deep JSON given to transpile is the same error', () => {
    const errs = errorsOf(`{"ignition": {"version": "3.4.0"}, "x": ${'['.repeat(10000)}${']'.repeat(10000)}}`);
    expect(errs.map((e) => e.code)).toEqual(['yaml-too-deep']);
    // The root object is level 1: the bracket that opens level MAX + 1 is number MAX.
    expect(errs[0].source).toEqual({ file: 'deep.bu', line: 1, column: 40 + MAX_YAML_DEPTH });
  });
  it('deep Butane YAML given to validate is the same error', async () => {
    const r = await loadConfig(HEAD + flow(10000), { file: 'deep.bu' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['yaml-too-deep']);
  });
  it("validate keeps Go's JSON limit of 10000", async () => {
    const r = await loadConfig(`{"ignition": {"version": "3.4.0"}, "x": ${'['.repeat(10001)}${']'.repeat(10001)}}`, { file: 'deep.ign' });
    expect(r.diagnostics).toMatchObject([{ severity: 'error', message: 'exceeded max depth', source: { line: 1 } }]);
    const ok = await loadConfig(`{"ignition": {"version": "3.4.0"}, "x": ${'['.repeat(9999)}${']'.repeat(9999)}}`, { file: 'deep.ign' });
    expect(ok.diagnostics.map((d) => d.message)).toEqual(['unused key x']);
  });
});
