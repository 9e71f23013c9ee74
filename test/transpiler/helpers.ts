// Shared by the transpiler's unit tests: YAML in, the config or the diagnostics (with positions)
// out, data URLs decoded, and --files-dir trees made in a temporary directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, expect } from 'vitest';
import { transpileButane, type TranspileOptions } from '../../transpiler/transpile.js';

export type O = Record<string, any>;

export const tr = (yaml: string, opts: TranspileOptions = {}) => transpileButane(yaml, { file: 't.bu', ...opts });

/** The config of a translation that must succeed. */
export const ok = (yaml: string, opts: TranspileOptions = {}): O => {
  const r = tr(yaml, opts);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.config).toBeDefined();
  return r.config as O;
};

/** The diagnostics as `line:col severity message`. */
export const diags = (yaml: string, opts: TranspileOptions = {}) =>
  tr(yaml, opts).diagnostics.map((d) => `${d.source?.line}:${d.source?.column} ${d.severity} ${d.message}`);

/** The bytes of a resource's data URL, gunzipped when compressed, as text. */
export const decode = (r: O) => {
  const m = /^data:([^,]*),(.*)$/s.exec(r.source)!;
  let b = m[1].endsWith(';base64') ? Buffer.from(m[2], 'base64') : Buffer.from(decodeURIComponent(m[2]), 'latin1');
  if (r.compression === 'gzip') b = zlib.gunzipSync(b);
  return b.toString('utf8');
};

type Entry = string | { link: string } | { mode: number; text: string };

/** A maker of --files-dir trees (files, symlinks, files with a mode), removed after the test file. */
export function filesDirs(): (files: Record<string, Entry>) => string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-transpile-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  return (files) => {
    const d = fs.mkdtempSync(path.join(tmp, 'fd-'));
    for (const [rel, v] of Object.entries(files)) {
      const p = path.join(d, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      if (typeof v === 'string') fs.writeFileSync(p, v);
      else if ('link' in v) fs.symlinkSync(v.link, p);
      else fs.writeFileSync(p, v.text, { mode: v.mode });
    }
    return d;
  };
}
