// The shared command-line parser: one spec gives the parser and the help text.
import { describe, expect, it } from 'vitest';
import { helpText, parseCommandLine, type CommandSpec } from '../../src/cli/args.js';

const SPEC = {
  name: 'demo',
  operands: '[FILE]',
  summary: 'A demo command.',
  maxOperands: 1,
  flags: {
    format: { short: 'f', value: 'FORMAT', help: 'output format' },
    strict: { short: 's', help: 'fail on warnings' },
    device: { value: 'DEV', multiple: true, help: 'a device\n(repeat for each)' },
  },
} as const satisfies CommandSpec;

describe('parseCommandLine', () => {
  it('reads switches, values (separate, inline, grouped), repeated values and operands', () => {
    expect(parseCommandLine(SPEC, ['-s', '--format', 'json', 'x.bu'])).toEqual({
      kind: 'ok',
      values: { strict: true, format: 'json', device: [] },
      operands: ['x.bu'],
    });
    expect(parseCommandLine(SPEC, ['--format=sarif', '-'])).toEqual({ kind: 'ok', values: { strict: false, format: 'sarif', device: [] }, operands: ['-'] });
    expect(parseCommandLine(SPEC, ['-sf', 'github'])).toMatchObject({ values: { strict: true, format: 'github' } });
    expect(parseCommandLine(SPEC, ['--device', 'a', '--device=b'])).toMatchObject({ values: { device: ['a', 'b'] } });
    expect(parseCommandLine(SPEC, ['--', '-odd-name'])).toMatchObject({ operands: ['-odd-name'] });
  });
  it('says what is wrong, in one wording for every command', () => {
    expect(parseCommandLine(SPEC, ['--format'])).toEqual({ kind: 'error', message: '--format needs a value (FORMAT)' });
    expect(parseCommandLine(SPEC, ['-f'])).toEqual({ kind: 'error', message: '--format needs a value (FORMAT)' });
    expect(parseCommandLine(SPEC, ['--format', '--strict'])).toEqual({ kind: 'error', message: '--format needs a value (FORMAT)' });
    expect(parseCommandLine(SPEC, ['--bogus'])).toEqual({ kind: 'error', message: 'unknown option --bogus' });
    expect(parseCommandLine(SPEC, ['-x'])).toEqual({ kind: 'error', message: 'unknown option -x' });
    expect(parseCommandLine(SPEC, ['--strict=yes'])).toEqual({ kind: 'error', message: '--strict takes no value' });
    expect(parseCommandLine(SPEC, ['--format=a', '--format=b'])).toEqual({ kind: 'error', message: '--format was given twice' });
    expect(parseCommandLine(SPEC, ['a', 'b'])).toEqual({ kind: 'error', message: 'too many arguments: "a" "b"' });
  });
  it('-h and --help win over everything else on the line', () => {
    expect(parseCommandLine(SPEC, ['a', 'b', '-h'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(SPEC, ['--help'])).toEqual({ kind: 'help' });
  });
  it('the help lists every flag with its value name', () => {
    const h = helpText(SPEC);
    expect(h.split('\n')[0]).toBe('usage: kindling demo [options] [FILE]');
    expect(h).toContain('  -f, --format FORMAT   output format\n');
    expect(h).toContain('  -s, --strict          fail on warnings\n');
    expect(h).toContain('      --device DEV      a device\n                        (repeat for each)\n');
    expect(h).toContain('  -h, --help            show this help\n');
  });
});
