// Every recorded Butane v0.29.0 case, transpiled in-process and compared like the conformance tool:
// exit status per mode (plain and --strict), and parsed output with data URLs compared by payload.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/input/load.js';
import { LATEST } from '../../src/model/versions.js';
import { canonical } from '../../transpiler/core/output.js';
import { formatResult, transpileButane } from '../../transpiler/transpile.js';
import { corpusDir, corpusRows } from '../support/corpus.js';

const dir = corpusDir('transpile');
const cases = path.join(dir ?? '', 'cases');

function payload(src: string, compression: unknown): string {
  const m = /^data:([^,]*),(.*)$/s.exec(src)!;
  let buf = m[1].endsWith(';base64') ? Buffer.from(m[2], 'base64') : Buffer.from(decodeURIComponent(m[2]), 'utf8');
  if (compression === 'gzip') buf = zlib.gunzipSync(buf);
  return buf.toString('base64');
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = normalize(x);
    if (typeof o.source === 'string' && o.source.startsWith('data:')) {
      o.source = 'payload:' + payload(o.source, o.compression);
      delete o.compression;
    }
    return o;
  }
  return v;
}

describe.skipIf(!dir)('Butane corpus', () => {
  for (const row of corpusRows('transpile')) {
    it(`${row.name}: ${row.description}`, () => {
      const flags = row.flags === '-' ? [] : row.flags.split(' ');
      const fd = flags.indexOf('--files-dir');
      const filesDir = fd >= 0 ? path.join(cases, flags[fd + 1]) : undefined;
      const raw = flags.includes('--raw');
      const text = fs.readFileSync(path.join(cases, `${row.name}.bu`), 'utf8');
      const yamlOut = fs.existsSync(path.join(cases, `${row.name}.expected.yaml`));
      for (const [strict, want] of [
        [false, row.exit_plain],
        [true, row.exit_strict],
      ] as const) {
        const r = transpileButane(text, { file: `${row.name}.bu`, filesDir, strict, raw });
        expect(r.config ? '0' : '1', `${strict ? 'strict' : 'plain'}: ${JSON.stringify(r.diagnostics)}`).toBe(want);
        if (want !== '0') {
          // Failures must say why, at a position in the file (except variant/version errors at the top).
          expect(r.diagnostics.length).toBeGreaterThan(0);
          expect(r.diagnostics.every((d) => d.source && d.source.line >= 1)).toBe(true);
          continue;
        }
        const out = formatResult(r, true);
        const expFile = path.join(cases, `${row.name}.expected.${yamlOut ? 'yaml' : 'json'}`);
        const parse = (s: string) => (yamlOut ? parseYaml(s) : JSON.parse(s));
        const expected = fs.readFileSync(expFile, 'utf8');
        expect(normalize(parse(out))).toEqual(normalize(parse(expected)));
        // Stronger than the conformance tool: key order, formatting and gzip bytes are Butane's too.
        expect(out).toBe(expected);
      }
    });
  }
});

describe.skipIf(!dir)('without the output form (output: false, as lint asks)', () => {
  for (const row of corpusRows('transpile')) {
    it(`${row.name}: the same verdict, and the config the output is made from`, () => {
      const flags = row.flags === '-' ? [] : row.flags.split(' ');
      const fd = flags.indexOf('--files-dir');
      const opts = { file: `${row.name}.bu`, filesDir: fd >= 0 ? path.join(cases, flags[fd + 1]) : undefined, raw: flags.includes('--raw') };
      const text = fs.readFileSync(path.join(cases, `${row.name}.bu`), 'utf8');
      const full = transpileButane(text, opts);
      const checked = transpileButane(text, { ...opts, output: false });
      expect(checked.diagnostics).toEqual(full.diagnostics);
      expect(checked.config === undefined).toBe(full.config === undefined);
      expect(checked.machineConfig).toBeUndefined();
      if (full.config) expect(canonical(checked.config!, full.ignitionVersion!) ?? {}).toEqual(full.config);
    });
  }
});

// plan, apply and validate load Butane configs without the output form (src/input/result.ts,
// LoadOptions.output): after the translation to the latest spec, the config must still be the one
// the output form carries, and every diagnostic and YAML position the same.
describe.skipIf(!dir)('loaded without the output form (plan, apply, validate)', () => {
  for (const row of corpusRows('transpile')) {
    it(`${row.name}: the same config at the latest spec, the same diagnostics and positions`, async () => {
      if (row.flags.includes('--raw') || fs.existsSync(path.join(cases, `${row.name}.expected.yaml`))) return;
      const flags = row.flags === '-' ? [] : row.flags.split(' ');
      const fd = flags.indexOf('--files-dir');
      const opts = { file: `${row.name}.bu`, filesDir: fd >= 0 ? path.join(cases, flags[fd + 1]) : undefined };
      const text = fs.readFileSync(path.join(cases, `${row.name}.bu`), 'utf8');
      const full = await loadConfig(text, opts);
      const checked = await loadConfig(text, { ...opts, output: false });
      expect(checked.diagnostics).toEqual(full.diagnostics);
      expect(checked.config === undefined).toBe(full.config === undefined);
      if (!full.config) return;
      const latest = (c: object) => canonical(c as Record<string, unknown>, LATEST) ?? {};
      expect(latest(checked.config!)).toEqual(latest(full.config));
      for (const p of [
        ['storage', 'files', 0],
        ['systemd', 'units', 0, 'contents'],
        ['passwd', 'users', 0, 'name'],
      ])
        expect(checked.sourceOf?.(p)).toEqual(full.sourceOf?.(p));
    });
  }
});
