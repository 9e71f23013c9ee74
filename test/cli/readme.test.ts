// The README shows real output: every `$ kindling ...` sample prints what the README says, and
// examples/webserver.ign is what `kindling transpile --pretty examples/webserver.bu` prints.
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kindling } from './helpers.js';

const readme = fs.readFileSync('README.md', 'utf8');

/**
 * Indented blocks whose first line is `$ kindling ...`: the command and the lines it prints.
 * Excerpts (a `…` line, e.g. a boot against a real network) are illustrations, not run.
 */
function samples(): { args: string[]; expected: string }[] {
  const out: { args: string[]; expected: string }[] = [];
  for (const block of readme.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.startsWith('    '));
    if (!lines[0]?.startsWith('    $ kindling ') || lines.some((l) => l.trim() === '…')) continue;
    out.push({
      args: lines[0].slice('    $ kindling '.length).split(' '),
      expected: lines
        .slice(1)
        .map((l) => l.slice(4))
        .join('\n'),
    });
  }
  return out;
}

describe('README', () => {
  it('has samples for transpile and validate', () => {
    expect(samples().map((s) => s.args[0])).toEqual(expect.arrayContaining(['transpile', 'validate']));
  });
  for (const s of samples()) {
    it(`$ kindling ${s.args.join(' ')}`, () => {
      const r = kindling(s.args);
      expect((r.stdout + r.stderr).trimEnd()).toBe(s.expected);
    });
  }
  it('examples/webserver.ign is the transpiled examples/webserver.bu', () => {
    const r = kindling(['transpile', '--pretty', 'examples/webserver.bu']);
    expect(r.status).toBe(0);
    expect(fs.readFileSync('examples/webserver.ign', 'utf8')).toBe(r.stdout);
  });
});
