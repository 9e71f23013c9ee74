// The shared command-line parser: one spec gives the parser and the help text.
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { helpText, parseCommandLine, tokenize, type CommandSpec } from '../../src/cli/args.js';

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

describe('tokenize', () => {
  // The reference: node:util parseArgs, not strict, with the same flags.
  const options = {
    format: { type: 'string', short: 'f' },
    strict: { type: 'boolean', short: 's' },
    device: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const longOf = (s: string) => Object.entries(options).find(([, o]) => 'short' in o && o.short === s)?.[0];
  const takesValue = (n: string) => Object.hasOwn(options, n) && options[n as keyof typeof options].type === 'string';
  const reference = (argv: string[]) =>
    parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true }).tokens.map((t) => {
      if (t.kind !== 'option') return t.kind === 'positional' ? { kind: t.kind, value: t.value } : { kind: t.kind };
      return { kind: t.kind, name: t.name, rawName: t.rawName, value: t.value, inlineValue: t.inlineValue };
    });

  it('splits words as parseArgs does, on the cases that matter', () => {
    const cases = [
      ['-s', '--format', 'json', 'x.bu'],
      ['--format=sarif', '-'],
      ['-sf', 'github'],
      ['-sfgithub', 'x'],
      ['-fs'],
      ['-f'],
      ['--format'],
      ['--format', '--strict'],
      ['--', '-s', '--format'],
      ['--=x', '--a=b=c', '-=', '-xyz', '--bogus', 'v'],
      ['-hs', '-', '--device', '-'],
    ];
    for (const argv of cases) expect(tokenize(argv, takesValue, longOf), argv.join(' ')).toEqual(reference(argv));
  });

  it('splits any command line as parseArgs does', () => {
    const word = fc.oneof(
      fc.constantFrom('-', '--', '-s', '-f', '-h', '-x', '-sf', '-fs', '-sx', '--format', '--strict', '--device', '--bogus', '--format=', '--=', 'a', 'b.bu'),
      fc.stringMatching(/^-{0,2}[sfhx=a-c]{0,4}$/),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (argv) => {
        expect(tokenize(argv, takesValue, longOf)).toEqual(reference(argv));
      }),
      { numRuns: 2000 },
    );
  });
});
