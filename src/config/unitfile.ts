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
  if (last?.text !== text) last = { text, parsed: new UnitReader(text).read() };
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

/** The reader's state is a position in the text (a class, not closures: see the note in provenance.ts). */
class UnitReader {
  private i = 0;
  private readonly n: number;

  constructor(private readonly s: string) {
    this.n = s.length;
  }

  read(): { options: UnitOption[] } | { error: string } {
    const { s, n } = this;
    const options: UnitOption[] = [];
    let section: string | undefined;
    while (this.i < n) {
      if (this.lineTooLong()) return { error: `line too long (max ${LINE_MAX} bytes)` };
      const ch = s[this.i];
      if (section === undefined) {
        // Before the first section everything except a section header or a comment is skipped.
        this.i++;
        if (ch === '[') {
          const first = this.readSection();
          if (typeof first === 'object') return first;
          section = first;
        } else if (ch === '#' || ch === ';') this.skipCommentLine();
        continue;
      }
      if (isSpace(ch)) {
        this.i++;
        continue;
      }
      if (ch === '[') {
        this.i++;
        const next = this.readSection();
        if (typeof next === 'object') return next;
        section = next;
        continue;
      }
      if (ch === '#' || ch === ';') {
        this.i++;
        this.skipCommentLine();
        continue;
      }
      // An option: name up to '=' on the same line, then a value with backslash continuations.
      const eq = indexOfAny(s, this.i);
      if (eq.at < 0) return { error: 'EOF' };
      if (eq.ch !== '=') return { error: 'unexpected newline encountered while parsing option name' };
      const name = s.slice(this.i, eq.at).trim();
      this.i = eq.at + 1;
      let value = '';
      for (;;) {
        const eof = s.indexOf('\n', this.i) < 0;
        const line = this.toEol();
        if (line.trim().length !== 0) {
          value += line;
          if (line.endsWith('\\')) {
            if (!eof) value += '\n';
            if (this.i < n || !eof) continue;
          }
        }
        break;
      }
      value = value.endsWith('\n') ? value.trim() + '\n' : value.trim();
      options.push({ section, name, value });
    }
    return { options };
  }

  private toEol(): string {
    const nl = this.s.indexOf('\n', this.i);
    const end = nl < 0 ? this.n : nl;
    let line = this.s.slice(this.i, end);
    this.i = nl < 0 ? this.n : nl + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    return line;
  }

  private skipCommentLine(): void {
    // A comment continues onto the next line when it ends with a backslash.
    for (;;) {
      const line = trimEndSpaces(this.toEol());
      if (!line.endsWith('\\') || this.i >= this.n) return;
    }
  }

  /** systemd truncates over-long lines; refuse them instead of letting that pass silently. */
  private lineTooLong(): boolean {
    if (this.n - this.i < LINE_MAX) return false;
    const window = this.s.slice(this.i, this.i + LINE_MAX);
    return !/[\r\n]/.test(window);
  }

  private readSection(): string | { error: string } {
    const close = this.s.indexOf(']', this.i);
    if (close < 0) return { error: 'unable to find end of section' };
    const name = this.s.slice(this.i, close);
    this.i = close + 1;
    const garbage = this.toEol().trim();
    if (garbage.length > 0) return { error: `found garbage after section name : ${JSON.stringify(garbage)}` };
    return name;
  }
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
