// Parses systemd unit file text with the acceptance rules of go-systemd's deserializer, which
// Ignition uses to validate unit and drop-in contents. Returns the options, or the error text.

export interface UnitOption {
  section: string;
  name: string;
  value: string;
}

const LINE_MAX = 2048;

export function parseUnit(text: string): { options: UnitOption[] } | { error: string } {
  const s = text;
  const n = s.length;
  const options: UnitOption[] = [];
  let i = 0;

  const toEol = (): string => {
    const nl = s.indexOf('\n', i);
    const end = nl < 0 ? n : nl;
    let line = s.slice(i, end);
    i = nl < 0 ? n : nl + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    return line;
  };
  const skipCommentLine = () => {
    // A comment continues onto the next line when it ends with a backslash.
    for (;;) {
      const line = toEol().replace(/ +$/, '');
      if (!line.endsWith('\\') || i >= n) return;
    }
  };
  // systemd truncates over-long lines; refuse them instead of letting that pass silently.
  const lineTooLong = () => {
    if (n - i < LINE_MAX) return false;
    const window = s.slice(i, i + LINE_MAX);
    return !/[\r\n]/.test(window);
  };

  let section: string | undefined;
  while (i < n) {
    if (lineTooLong()) return { error: `line too long (max ${LINE_MAX} bytes)` };
    const ch = s[i];
    if (section === undefined) {
      // Before the first section everything except a section header or a comment is skipped.
      i++;
      if (ch === '[') {
        const first = readSection();
        if (typeof first === 'object') return first;
        section = first;
      } else if (ch === '#' || ch === ';') skipCommentLine();
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '[') {
      i++;
      const next = readSection();
      if (typeof next === 'object') return next;
      section = next;
      continue;
    }
    if (ch === '#' || ch === ';') {
      i++;
      skipCommentLine();
      continue;
    }
    // An option: name up to '=' on the same line, then a value with backslash continuations.
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
    options.push({ section, name, value });
  }
  return { options };

  function readSection(): string | { error: string } {
    const close = s.indexOf(']', i);
    if (close < 0) return { error: 'unable to find end of section' };
    const name = s.slice(i, close);
    i = close + 1;
    const garbage = toEol().trim();
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

export function hasInstallSection(options: UnitOption[]): boolean {
  return options.some((o) => o.section === 'Install');
}
