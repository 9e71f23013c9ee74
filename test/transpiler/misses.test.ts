// Diagnostics that used to miss: mis-indented keys point at the key, a key at the wrong level says
// where it belongs, and a duplicate entry says where the first one is. Verdicts do not change.
import { describe, expect, it } from 'vitest';
import { transpileButane } from '../../transpiler/transpile.js';
import { parseIgnition } from '../../src/config/parse.js';
import { renderIgnition, renderPretty } from '../../src/diag/render.js';

const HEAD = 'variant: fcos\nversion: 1.6.0\n';
const tr = (body: string) => transpileButane(HEAD + body, { file: 't.bu' });
const at = (d: { source?: { line: number; column: number; endColumn?: number } }) => `${d.source?.line}:${d.source?.column}-${d.source?.endColumn}`;

describe('mis-indented YAML points at the offending key', () => {
  it('a key indented less than its siblings', () => {
    const r = tr('storage:\n  files:\n    - path: /etc/motd\n   mode: 0644\n');
    expect(r.diagnostics).toHaveLength(1);
    expect(at(r.diagnostics[0])).toBe('6:4-8');
    expect(r.diagnostics[0].hint).toContain('`mode`');
  });
  it('a key indented between two levels', () => {
    const r = tr('storage:\n  files:\n    - path: /etc/motd\n      contents:\n        inline: hi\n     mode: 0644\n');
    expect(r.diagnostics).toHaveLength(1);
    expect(at(r.diagnostics[0])).toBe('8:6-10');
  });
  it('a key indented more than its siblings is not "a missing colon" on the line above', () => {
    const r = tr('storage:\n  files:\n  - path: /a\n     mode: 420\n');
    const e = r.diagnostics.filter((d) => d.severity === 'error');
    expect(e).toHaveLength(1);
    expect(at(e[0])).toBe('6:6-10');
    expect(e[0].message).toBe('`mode` is indented more than `path` above it, so YAML reads it as part of the value of `path`');
    expect(e[0].hint).toBe('indent `mode:` like `path:` (column 5)');
  });
});

describe('a key at the wrong level says where it belongs', () => {
  it('inline beside path belongs under contents, and the file would be empty', () => {
    const r = tr('storage:\n  files:\n    - path: /etc/motd\n      inline: hello\n');
    expect(r.diagnostics.map((d) => [d.severity, d.message])).toEqual([['warning', 'unused key inline']]); // Butane's verdict
    expect(r.diagnostics[0].hint).toBe('`inline` belongs under `contents`; as written, this file gets no contents');
  });
  it('mode under contents belongs one level up', () => {
    const r = tr('storage:\n  files:\n    - path: /etc/motd\n      contents:\n        inline: x\n        mode: 0644\n');
    expect(r.diagnostics[0]).toMatchObject({ message: 'unused key mode', hint: '`mode` belongs one level up, beside `contents`' });
  });
  it('Ignition JSON too: source beside path belongs under contents', () => {
    const r = parseIgnition('{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/a","source":"data:,x"}]}}');
    expect(r.diagnostics[0]).toMatchObject({ message: 'unused key source', hint: '`source` belongs under `contents`; as written, this file gets no contents' });
  });
});

describe('duplicate entry defined says where the first entry is', () => {
  it('JSON: in the message (Ignition form) and as a related location', () => {
    const text = '{"ignition":{"version":"3.4.0"},\n"storage":{"files":[{"path":"/a"},\n{"path":"/a"}]}}';
    const r = parseIgnition(text, { file: 'c.ign' });
    const d = r.diagnostics.find((x) => x.code === 'duplicate')!;
    expect(renderIgnition(d)).toBe('error at $.storage.files.1, line 3 col 2: duplicate entry defined (first defined at $.storage.files.0, line 2 col 22)');
    expect(renderPretty([d], new Map([['c.ign', text]]))).toContain('  = note: first defined at c.ign:2:22 ($.storage.files.0)');
  });
  it('YAML: at the YAML line of the first entry', () => {
    const r = tr('storage:\n  files:\n    - path: /etc/motd\n  directories:\n    - path: /etc/motd\n');
    const d = r.diagnostics.find((x) => x.code === 'duplicate')!;
    // Ignition checks directories before files; the report still names the later line.
    expect(d).toMatchObject({
      source: { line: 7 },
      path: ['storage', 'directories', 0],
      related: { message: 'first defined', source: { line: 5 }, path: ['storage', 'files', 0] },
    });
  });
});
