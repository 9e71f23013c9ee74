// The machine formats: GitHub workflow annotations and SARIF.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import { renderGithub, renderPretty, renderSarif } from '../../src/diag/render.js';

const at = (file: string | undefined, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  severity: 'error',
  code: 'path-not-absolute',
  message: 'path not absolute',
  path: ['storage', 'files', 0, 'path'],
  source: { file, line: 5, column: 13 },
  ...extra,
});

describe('GitHub annotations', () => {
  it('escape `,` `:` `%` and line breaks in properties, and `%` and line breaks in the message', () => {
    const out = renderGithub([at('dir,x/a:b%c.bu', { message: 'bad\nthing 100%' })]);
    expect(out).toBe('::error file=dir%2Cx/a%3Ab%25c.bu,line=5,col=13,title=path-not-absolute::bad%0Athing 100%25 ($.storage.files.0.path)\n');
  });
  it('a diagnostic without a position has no properties', () => {
    expect(renderGithub([{ severity: 'warning', code: 'x', message: 'm' }])).toBe('::warning::m\n');
  });
});

describe('SARIF', () => {
  const sarif = (d: Diagnostic[], opts?: { version?: string }) => JSON.parse(renderSarif(d, opts));
  const uriOf = (file: string | undefined) => sarif([at(file)]).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
  it('percent-encodes relative file names into URI references', () => {
    expect(uriOf('configs/my config#1.bu')).toBe('configs/my%20config%231.bu');
    expect(uriOf('a%b.bu')).toBe('a%25b.bu');
    expect(uriOf('naïve.bu')).toBe('na%C3%AFve.bu');
  });
  it('absolute file names become file: URIs', () => {
    expect(uriOf('/srv/my config.bu')).toBe('file:///srv/my%20config.bu');
  });
  it('stdin is a proper URI, not a relative file named "stdin"', () => {
    expect(uriOf('<stdin>')).toBe('file:///dev/stdin');
    expect(uriOf(undefined)).toBe('file:///dev/stdin');
  });
  it('fills tool.driver.version', () => {
    expect(sarif([at('a.bu')], { version: '1.2.3' }).runs[0].tool.driver).toMatchObject({ name: 'kindling', version: '1.2.3' });
  });
  it('regions carry the end of the span when it is known', () => {
    const r = sarif([at('a.bu', { source: { file: 'a.bu', line: 5, column: 13, endLine: 5, endColumn: 21 } })]).runs[0].results[0];
    expect(r.locations[0].physicalLocation.region).toEqual({ startLine: 5, startColumn: 13, endLine: 5, endColumn: 21 });
  });
});

describe('pretty excerpts', () => {
  const excerpt = (line: string, column: number) => renderPretty([at('a.bu', { source: { file: 'a.bu', line: 1, column } })], new Map([['a.bu', line]]));
  it('show control characters escaped, never raw', () => {
    const out = excerpt('key\x1b]0;pwned\x07: 1', 1);
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(out).toContain('1 | key\\x1b]0;pwned\\x07: 1');
  });
  it('keep the caret under the character it points at after an escaped one', () => {
    const out = excerpt('a\x01b: c', 3);
    const lines = out.split('\n');
    expect(lines[2]).toBe('1 | a\\x01b: c');
    expect(lines[3].indexOf('^')).toBe(lines[2].indexOf('b'));
  });
  it('escape control characters in messages too', () => {
    const out = renderPretty([at('a.bu', { message: 'unused key \x1b[31mred' })], new Map());
    expect(out).toContain('unused key \\x1b[31mred');
  });
});
