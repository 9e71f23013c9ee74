// Parses systemd unit file text with the acceptance rules of go-systemd's deserializer, which
// Ignition uses to validate unit and drop-in contents. Returns the options, or the error text.

export interface UnitOption {
  section: string;
  name: string;
  value: string;
}

const LINE_MAX = 2048;

export type ParsedUnit = { readonly options: readonly UnitOption[] } | { readonly error: string };

/** The last text parsed and its result: validation reads a unit's contents for two rules. */
let last: { text: string; parsed: ParsedUnit } | undefined;

export function parseUnit(text: string): ParsedUnit {
  if (last?.text !== text) last = { text, parsed: read(text) };
  return last.parsed;
}

/** What `\s` matches, without a regular expression for the ASCII characters a unit is made of. */
const isSpace = (ch: string) =>
  ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v' || (ch.charCodeAt(0) > 0x7f && /\s/.test(ch));

/** `s` without the spaces (U+0020 only) that end it. */
function trimEndSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x20) end--;
  return end === s.length ? s : s.slice(0, end);
}

// The reader's state is in module variables and its steps are functions, not an object's fields
// and methods: validation runs this as cold baseline code, where each `this.i` is an inline-cache
// lookup and a variable of the enclosing scope a plain slot. One text is read at a time.
let s = '';
let i = 0;
let n = 0;

function read(text: string): { options: UnitOption[] } | { error: string } {
  s = text;
  i = 0;
  n = text.length;
  try {
    return readOptions();
  } finally {
    s = '';
  }
}

function readOptions(): { options: UnitOption[] } | { error: string } {
  const options: UnitOption[] = [];
  let section = firstSection();
  if (section === undefined) return { options };
  if (typeof section === 'object') return section;
  while (i < n) {
    if (lineTooLong()) return { error: `line too long (max ${LINE_MAX} bytes)` };
    const ch = s[i];
    if (isSpace(ch)) i++;
    else if (ch === '[') {
      i++;
      const next = readSection();
      if (typeof next === 'object') return next;
      section = next;
    } else if (ch === '#' || ch === ';') {
      i++;
      skipCommentLine();
    } else {
      const option = readOption(section);
      if ('error' in option) return option;
      options.push(option);
    }
  }
  return { options };
}

/** Before the first section everything except a section header or a comment is skipped. */
function firstSection(): string | { error: string } | undefined {
  while (i < n) {
    if (lineTooLong()) return { error: `line too long (max ${LINE_MAX} bytes)` };
    const ch = s[i++];
    if (ch === '[') return readSection();
    if (ch === '#' || ch === ';') skipCommentLine();
  }
  return undefined;
}

/** An option at i: a name up to '=' on the same line, then a value with backslash continuations. */
function readOption(section: string): UnitOption | { error: string } {
  const eq = indexOfAny(s, i);
  if (eq.at < 0) return { error: 'EOF' };
  if (eq.ch !== '=') return { error: 'unexpected newline encountered while parsing option name' };
  const name = s.slice(i, eq.at).trim();
  i = eq.at + 1;
  let value = '';
  for (;;) {
    const eof = s.indexOf('\n', i) < 0;
    const line = toEol();
    if (line.trim().length !== 0) {
      value += line;
      if (line.endsWith('\\')) {
        if (!eof) value += '\n';
        if (i < n || !eof) continue;
      }
    }
    break;
  }
  value = value.endsWith('\n') ? value.trim() + '\n' : value.trim();
  return { section, name, value };
}

function toEol(): string {
  const nl = s.indexOf('\n', i);
  const end = nl < 0 ? n : nl;
  let line = s.slice(i, end);
  i = nl < 0 ? n : nl + 1;
  if (line.endsWith('\r')) line = line.slice(0, -1);
  return line;
}

function skipCommentLine(): void {
  // A comment continues onto the next line when it ends with a backslash.
  for (;;) {
    const line = trimEndSpaces(toEol());
    if (!line.endsWith('\\') || i >= n) return;
  }
}

/** systemd truncates over-long lines; refuse them instead of letting that pass silently. */
function lineTooLong(): boolean {
  if (n - i < LINE_MAX) return false;
  const window = s.slice(i, i + LINE_MAX);
  return !/[\r\n]/.test(window);
}

function readSection(): string | { error: string } {
  const close = s.indexOf(']', i);
  if (close < 0) return { error: 'unable to find end of section' };
  const name = s.slice(i, close);
  i = close + 1;
  const garbage = toEol().trim();
  if (garbage.length > 0) return { error: `found garbage after section name : ${JSON.stringify(garbage)}` };
  return name;
}

function indexOfAny(s: string, from: number): { at: number; ch: string } {
  for (let k = from; k < s.length; k++) {
    const c = s[k];
    if (c === '=' || c === '\n' || c === '\r') return { at: k, ch: c };
  }
  return { at: -1, ch: '' };
}

export function hasInstallSection(options: readonly UnitOption[]): boolean {
  return options.some((o) => o.section === 'Install');
}
