// Command-line parsing for every kindling command. One spec per command gives both the parser and
// the --help text, so the help lists every flag the command takes, and every command words its
// usage errors the same way (exit 2). The words are split into tokens as node:util's parseArgs
// splits them (a test holds the two together); loading parseArgs costs a cold start more than
// everything else on this page.
import { isDigit } from '../host/chars.js';

export interface Flag {
  short?: string;
  /** Names the value of a flag that takes one (`--root DIR`); absent for a switch. */
  value?: string;
  /** May be given several times; the values are collected in order. */
  multiple?: boolean;
  help: string;
}

export interface CommandSpec {
  /** As typed after `kindling`, e.g. `transpile`. */
  name: string;
  /** The positional part of the usage line, e.g. `[FILE|-]`. */
  operands: string;
  summary: string;
  flags: Record<string, Flag>;
  /** The most operands the command accepts. */
  maxOperands: number;
  /** Paragraphs printed after the options. */
  details?: string;
}

export type FlagValues<F extends Record<string, Flag>> = {
  [K in keyof F]: F[K] extends { multiple: true } ? string[] : F[K] extends { value: string } ? string | undefined : boolean;
};

export type ParseOutcome<F extends Record<string, Flag>> =
  { kind: 'ok'; values: FlagValues<F>; operands: string[] } | { kind: 'help' } | { kind: 'error'; message: string };

const HELP_FLAG: Flag = { short: 'h', help: 'show this help' };

function flagLabel(name: string, f: Flag): string {
  return `${f.short ? `-${f.short}, ` : '    '}--${name}${f.value ? ` ${f.value}` : ''}`;
}

export function usageLine(spec: CommandSpec): string {
  return `usage: kindling ${spec.name} [options]${spec.operands ? ' ' + spec.operands : ''}`;
}

/** The full --help text, generated from the spec. */
export function helpText(spec: CommandSpec): string {
  const flags = Object.entries({ ...spec.flags, help: HELP_FLAG });
  const labels = flags.map(([n, f]) => flagLabel(n, f));
  const width = Math.max(...labels.map((l) => l.length)) + 3;
  const lines = flags.map(([, f], i) => {
    const [first, ...rest] = f.help.split('\n');
    return [`  ${labels[i].padEnd(width)}${first}`, ...rest.map((r) => `  ${' '.repeat(width)}${r}`)].join('\n');
  });
  return `${usageLine(spec)}\n\n${spec.summary}\n\noptions:\n${lines.join('\n')}\n${spec.details ? `\n${spec.details.trimEnd()}\n` : ''}`;
}

/** One word or part of a word of the command line, as parseArgs's `tokens` has it. */
export type Token =
  | { kind: 'option'; name: string; rawName: string; value: string | undefined; inlineValue: boolean | undefined }
  | { kind: 'positional'; value: string }
  | { kind: 'option-terminator' };

/**
 * Splits argv into options and operands the way parseArgs does when not strict: `--` ends the
 * options; `--name=value` and `-xVALUE` carry their value; `--name` and `-x` of a flag that takes
 * a value take the next word, whatever it is; `-abc` is a group of switches, in which a flag that
 * takes a value takes the rest of the word; an unknown `-x` or `--name` is an option without value;
 * `-` is an operand. `takesValue` tells flags that take a value, by long name; `longOf` maps a
 * short letter to its long name. Pure.
 */
export function tokenize(argv: string[], takesValue: (name: string) => boolean, longOf: (short: string) => string | undefined): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      tokens.push({ kind: 'option-terminator' });
      for (i++; i < argv.length; i++) tokens.push({ kind: 'positional', value: argv[i] });
      break;
    }
    if (arg.length < 2 || arg[0] !== '-') {
      tokens.push({ kind: 'positional', value: arg });
      continue;
    }
    if (arg[1] === '-') {
      // parseArgs: a value when an `=` follows the first letter of the name, split at the first `=`.
      const eq = arg.indexOf('=', 3) >= 0 ? arg.indexOf('=') : -1;
      if (eq >= 0) {
        const name = arg.slice(2, eq);
        tokens.push({ kind: 'option', name, rawName: `--${name}`, value: arg.slice(eq + 1), inlineValue: true });
        continue;
      }
      const name = arg.slice(2);
      const next = takesValue(name) && i + 1 < argv.length;
      tokens.push({ kind: 'option', name, rawName: arg, value: next ? argv[++i] : undefined, inlineValue: next ? false : undefined });
      continue;
    }
    // A short option, its value, or a group of short options.
    for (let at = 1; at < arg.length; at++) {
      const letter = arg[at];
      const name = longOf(letter) ?? letter;
      const rawName = `-${letter}`;
      if (!takesValue(name)) {
        tokens.push({ kind: 'option', name, rawName, value: undefined, inlineValue: undefined });
        continue;
      }
      if (at + 1 < arg.length) tokens.push({ kind: 'option', name, rawName, value: arg.slice(at + 1), inlineValue: true });
      else {
        const next = i + 1 < argv.length;
        tokens.push({ kind: 'option', name, rawName, value: next ? argv[++i] : undefined, inlineValue: next ? false : undefined });
      }
      break;
    }
  }
  return tokens;
}

/** Parses argv against the spec. Pure: the caller prints. */
export function parseCommandLine<F extends Record<string, Flag>>(spec: CommandSpec & { flags: F }, argv: string[]): ParseOutcome<F> {
  // A Map and a dictionary rather than objects made of the spec's names: an object of a new set of
  // names is a hidden class for each name to V8, some 4 K instructions each at every cold start.
  const all = new Map<string, Flag>(Object.entries(spec.flags)).set('help', HELP_FLAG);
  const shorts = new Map<string, string>();
  all.forEach((f, n) => f.short && shorts.set(f.short, n));
  // Not strict: the tokens are checked here, so that every error is worded the same way.
  const tokens = tokenize(
    argv,
    (n) => all.get(n)?.value !== undefined,
    (s) => shorts.get(s),
  );
  const values: Record<string, string | boolean | string[] | undefined> = Object.create(null);
  for (const [n, f] of Object.entries(spec.flags)) values[n] = f.multiple ? [] : f.value ? undefined : false;
  const operands: string[] = [];
  let help = false;
  for (const t of tokens) {
    if (t.kind === 'positional') operands.push(t.value);
    if (t.kind !== 'option') continue;
    const f = all.get(t.name);
    if (!f) return { kind: 'error', message: `unknown option ${t.rawName}` };
    if (!f.value) {
      if (t.value !== undefined) return { kind: 'error', message: `--${t.name} takes no value` };
      if (t.name === 'help') help = true;
      else values[t.name] = true;
      continue;
    }
    // `--format --pretty`: parseArgs would take `--pretty` as the format.
    const missing = t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && t.value !== '-');
    if (missing) return { kind: 'error', message: `--${t.name} needs a value (${f.value})` };
    if (f.multiple) (values[t.name] as string[]).push(t.value!);
    else if (values[t.name] !== undefined) return { kind: 'error', message: `--${t.name} was given twice` };
    else values[t.name] = t.value;
  }
  if (help) return { kind: 'help' };
  if (operands.length > spec.maxOperands) {
    return {
      kind: 'error',
      message:
        spec.maxOperands === 0
          ? `unexpected argument ${JSON.stringify(operands[0])}`
          : `too many arguments: ${operands.map((o) => JSON.stringify(o)).join(' ')}`,
    };
  }
  return { kind: 'ok', values: values as FlagValues<F>, operands };
}

/**
 * Parses argv for a command, printing the help (exit 0) or a usage error (exit 2) itself. Returns
 * the exit code when the command should stop there.
 */
export function readCommandLine<F extends Record<string, Flag>>(
  spec: CommandSpec & { flags: F },
  argv: string[],
): { values: FlagValues<F>; operands: string[] } | number {
  const r = parseCommandLine(spec, argv);
  if (r.kind === 'ok') return r;
  if (r.kind === 'help') {
    process.stdout.write(helpText(spec));
    return 0;
  }
  return usageError(spec, r.message);
}

/** Prints `kindling CMD: message`, the usage line and where the help is; returns exit code 2. */
export function usageError(spec: CommandSpec, message: string): number {
  process.stderr.write(`kindling ${spec.name}: ${message}\n${usageLine(spec)}\nrun 'kindling ${spec.name} --help' for the options\n`);
  return 2;
}

/** Milliseconds per unit of a Go duration; the two-letter units are tried first (`ms` before `m`). */
const DURATION_UNITS: readonly (readonly [string, number])[] = [
  ['ns', 1e-6],
  ['us', 1e-3],
  ['\u00b5s', 1e-3],
  ['ms', 1],
  ['s', 1000],
  ['m', 60_000],
  ['h', 3_600_000],
];

/**
 * Go's time.ParseDuration, for the units a timeout uses: numbers (`5`, `1.5`, `5.`, `.5`) each
 * followed by a unit, with no sign. Milliseconds, or null when invalid. (Read by hand: every boot
 * stage parses its default, and a regular expression is compiled at its first use in a process.)
 */
export function parseGoDuration(s: string): number | null {
  if (s === '0') return 0;
  if (s.length === 0) return null;
  let total = 0;
  for (let i = 0; i < s.length;) {
    const start = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    const whole = i - start;
    if (s.charCodeAt(i) === 0x2e) {
      i++;
      while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    }
    if (whole === 0 && i - start < 2) return null; // no digit at all
    const unit = DURATION_UNITS.find(([u]) => s.startsWith(u, i));
    if (!unit) return null;
    total += Number(s.slice(start, i)) * unit[1];
    i += unit[0].length;
  }
  return total;
}
