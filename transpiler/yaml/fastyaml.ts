// A fast reader for the YAML that Butane configs are written in: block mappings and sequences,
// plain, quoted and block scalars, single-line flow collections, comments, anchors and aliases.
// Anything outside that subset (tags, directives, multi-line plain or quoted scalars, several
// documents, CR line ends, tabs in indentation, syntax errors...) makes it give up, and the caller
// uses the full `yaml` package instead, which also produces the error messages. The result must be
// the same tree the full parser gives; a test checks that on every input both accept.
import type { Range, YAlias, YMap, YNode, YScalar, YSeq } from './ynode.js';

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

/**
 * The deepest nesting of collections any YAML reader here accepts. yaml.v3 allows 10000, but every
 * reader and walker here recurses, and well within the default stack of Node; Butane configs need
 * about 10 levels.
 */
export const MAX_YAML_DEPTH = 500;

/** Where the input nests more than MAX_YAML_DEPTH collections. */
export class TooDeep extends Error {
  constructor(readonly offset: number) {
    super(`exceeded max depth of ${MAX_YAML_DEPTH}`);
  }
}

/**
 * The root node (null for an empty document), or undefined when the input needs the full parser.
 * Throws TooDeep.
 */
export function fastParse(text: string): { root: YNode | null } | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return { root: new Reader(text).document() };
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
const isBreak = (c: string | undefined) => c === '\n' || c === undefined;
const FLOW = new Set([',', '[', ']', '{', '}']);
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

class Reader {
  private pos = 0;
  private depth = 0;
  private readonly anchors = new Map<string, YNode>();
  constructor(private readonly s: string) {}

  document(): YNode | null {
    this.skipBlankLines();
    if (this.s.startsWith('---', this.pos) && (isSpace(this.s[this.pos + 3]) || isBreak(this.s[this.pos + 3]))) {
      this.pos += 3;
      this.skipInlineSpace();
      if (!this.atLineEnd()) bail(); // content after `---` on the same line
      this.nextLine();
      this.skipBlankLines();
    }
    if (this.pos >= this.s.length) return null;
    if (this.col() !== 0) bail();
    const root = this.blockNode(-1);
    this.skipBlankLines();
    if (this.pos < this.s.length) bail(); // a second document, `...`, or a syntax error
    return root;
  }

  // --- positions -------------------------------------------------------------------------------
  private col(at = this.pos): number {
    let i = at;
    while (i > 0 && this.s[i - 1] !== '\n') i--;
    return at - i;
  }
  private skipInlineSpace(): void {
    while (isSpace(this.s[this.pos])) this.pos++;
  }
  private atLineEnd(): boolean {
    const c = this.s[this.pos];
    return isBreak(c) || (c === '#' && (this.pos === 0 || isSpace(this.s[this.pos - 1]) || this.s[this.pos - 1] === '\n'));
  }
  private nextLine(): void {
    const nl = this.s.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.s.length : nl + 1;
  }
  /** Skips empty and comment-only lines; leaves pos at the start of the next content line. */
  private skipBlankLines(): void {
    for (;;) {
      if (this.pos >= this.s.length) return;
      let i = this.pos;
      while (this.s[i] === ' ') i++;
      if (this.s[i] === '\t') bail();
      const c = this.s[i];
      if (c === '\n') this.pos = i + 1;
      else if (c === undefined) return void (this.pos = i);
      else if (c === '#') this.nextLine();
      else return;
    }
  }
  /** Indentation of the line at pos (pos at a line start). */
  private indentHere(): number {
    let i = this.pos;
    while (this.s[i] === ' ') i++;
    return i - this.pos;
  }

  // --- block structure -----------------------------------------------------------------------------
  /** A node whose first line starts at pos (a line start) with indentation `n` > parent. */
  private blockNode(parent: number): YNode | null {
    const n = this.indentHere();
    if (n <= parent) return null;
    this.pos += n;
    return this.nodeAt(n, parent, 'line');
  }

  /** The node starting at pos (inside a line), at column `n`. `lineStart`: nothing precedes it on its line except indentation/`- `. */
  private nodeAt(n: number, parent: number, where: 'line' | 'seq' | 'value'): YNode | null {
    const lineStart = where === 'line';
    let anchor: string | undefined;
    if (this.s[this.pos] === '&') {
      anchor = this.name(1);
      this.skipInlineSpace();
      if (this.atLineEnd()) {
        this.nextLine();
        this.skipBlankLines();
        const node = this.blockNodeOrSeqAtParent(parent);
        return this.register(anchor, node ?? this.emptyScalar());
      }
    }
    const c = this.s[this.pos];
    let node: YNode | null;
    if (c === '-' && (isSpace(this.s[this.pos + 1]) || isBreak(this.s[this.pos + 1]))) {
      if (!lineStart) bail(); // `key: - a`
      node = this.blockSeq(n);
    } else if (this.looksLikeKey()) {
      if (where === 'value') bail(); // `a: b: c`
      node = this.blockMap(this.col());
    } else node = this.inlineValue(parent);
    return anchor !== undefined ? this.register(anchor, node ?? this.emptyScalar()) : node;
  }

  private register(name: string, node: YNode): YNode {
    this.anchors.set(name, node);
    return node;
  }

  private emptyScalar(): YScalar {
    return { kind: 'scalar', text: '', plain: true, range: [this.pos, this.pos] };
  }

  /** After `key:` + line end: a more-indented block, or a block sequence at the key's own indentation. */
  private blockNodeOrSeqAtParent(parent: number): YNode | null {
    if (this.pos >= this.s.length) return null;
    const n = this.indentHere();
    if (n > parent) return this.blockNode(parent);
    if (n === parent && parent >= 0 && this.s[this.pos + n] === '-' && (isSpace(this.s[this.pos + n + 1]) || isBreak(this.s[this.pos + n + 1]))) {
      this.pos += n;
      return this.blockSeq(n);
    }
    return null;
  }

  /** Opens a collection at pos; the caller closes it with `this.depth--`. */
  private enter(): void {
    if (++this.depth > MAX_YAML_DEPTH) throw new TooDeep(this.pos);
  }

  private blockSeq(n: number): YSeq {
    this.enter();
    const seq: YSeq = { kind: 'seq', items: [], range: [this.pos, this.pos] };
    for (;;) {
      // at '-' in column n
      this.pos++;
      this.skipInlineSpace();
      if (this.atLineEnd()) {
        this.nextLine();
        this.skipBlankLines();
        seq.items.push(this.pos < this.s.length && this.indentHere() > n ? this.blockNode(n) : null);
      } else {
        const col = this.col();
        if (this.s[this.pos] === '-' && (isSpace(this.s[this.pos + 1]) || isBreak(this.s[this.pos + 1]))) bail(); // `- - x`
        seq.items.push(this.nodeAt(col, n, 'seq'));
      }
      seq.range[1] = this.lastEnd;
      this.skipBlankLines();
      if (this.pos >= this.s.length) break;
      const ind = this.indentHere();
      if (ind !== n) {
        if (ind > n) bail();
        break;
      }
      if (this.s[this.pos + n] !== '-' || !(isSpace(this.s[this.pos + n + 1]) || isBreak(this.s[this.pos + n + 1]))) break;
      this.pos += n;
    }
    this.depth--;
    return seq;
  }

  private lastEnd = 0;

  private blockMap(n: number): YMap {
    this.enter();
    const map: YMap = { kind: 'map', pairs: [], range: [this.pos, this.pos] };
    for (;;) {
      const key = this.key();
      this.skipInlineSpace();
      let value: YNode | null;
      if (this.atLineEnd()) {
        this.nextLine();
        this.skipBlankLines();
        value = this.blockNodeOrSeqAtParent(n);
      } else {
        value = this.nodeAt(this.col(), n, 'value');
      }
      map.pairs.push({ key, value });
      map.range[1] = value ? this.lastEnd : key.range[1] + 1;
      this.lastEnd = map.range[1];
      this.skipBlankLines();
      if (this.pos >= this.s.length) break;
      const ind = this.indentHere();
      if (ind !== n) {
        if (ind > n) bail();
        break;
      }
      this.pos += n;
      if (!this.looksLikeKey()) {
        if (this.s[this.pos] === '-' && isSpace(this.s[this.pos + 1])) {
          this.pos -= n;
          break; // a sequence at the parent's indentation continues the parent
        }
        bail();
      }
    }
    this.depth--;
    return map;
  }

  /** Whether a `key:` starts at pos. */
  private looksLikeKey(): boolean {
    const c = this.s[this.pos];
    if (c === '"' || c === "'") {
      const end = this.quotedEnd(this.pos);
      if (end < 0) return false;
      let i = end;
      while (this.s[i] === ' ') i++;
      return this.s[i] === ':' && (isSpace(this.s[i + 1]) || isBreak(this.s[i + 1]));
    }
    // A plain key cannot start with an indicator (`-`, `?`, `:` only when followed by a space).
    if (c === undefined || '\n#[]{},&*!|>%@`'.includes(c)) return false;
    if ((c === '-' || c === '?' || c === ':') && (isSpace(this.s[this.pos + 1]) || isBreak(this.s[this.pos + 1]))) return false;
    for (let i = this.pos; i < this.s.length; i++) {
      const ch = this.s[i];
      if (ch === '\n') return false;
      if (ch === '#' && isSpace(this.s[i - 1])) return false;
      if (ch === ':' && (isSpace(this.s[i + 1]) || isBreak(this.s[i + 1]))) return true;
    }
    return false;
  }

  private key(): YScalar {
    const start = this.pos;
    const c = this.s[start];
    if (c === '"' || c === "'") {
      const s = this.quoted();
      this.skipInlineSpace();
      this.pos++; // ':'
      this.lastEnd = s.range[1];
      return s;
    }
    let i = start;
    while (!(this.s[i] === ':' && (isSpace(this.s[i + 1]) || isBreak(this.s[i + 1])))) i++;
    let end = i;
    while (isSpace(this.s[end - 1])) end--;
    this.pos = i + 1;
    const text = this.s.slice(start, end);
    if (c === '-' && isSpace(this.s[start + 1])) bail();
    return { kind: 'scalar', text, plain: true, range: [start, end] };
  }

  // --- scalars and flow --------------------------------------------------------------------------
  private inlineValue(parent: number): YNode {
    const c = this.s[this.pos];
    if (c === '*') {
      const start = this.pos;
      const name = this.name(1);
      const a: YAlias = { kind: 'alias', name, target: this.anchors.get(name), range: [start, this.pos] };
      if (!a.target) bail();
      this.endOfLine();
      this.lastEnd = a.range[1];
      return a;
    }
    if (c === '"' || c === "'") {
      const q = this.quoted();
      this.endOfLine();
      this.lastEnd = q.range[1];
      return q;
    }
    if (c === '[' || c === '{') {
      const f = this.flow();
      this.endOfLine();
      this.lastEnd = f.range[1];
      return f;
    }
    if (c === '|' || c === '>') return this.blockScalar(parent);
    if (c === '!' || c === '%' || c === '@' || c === '`' || c === '?' || c === ',' || c === ']' || c === '}') bail();
    if ((c === '-' || c === ':') && (isSpace(this.s[this.pos + 1]) || isBreak(this.s[this.pos + 1]))) bail();
    const start = this.pos;
    let i = start;
    for (;;) {
      const ch = this.s[i];
      if (ch === '\n' || ch === undefined) break;
      if (ch === '#' && isSpace(this.s[i - 1])) break;
      if (ch === ':' && (isSpace(this.s[i + 1]) || isBreak(this.s[i + 1]))) bail();
      i++;
    }
    let end = i;
    while (isSpace(this.s[end - 1])) end--;
    this.pos = i;
    this.nextLine();
    // A more-indented line after a plain scalar would continue it (multi-line plain): full parser.
    const save = this.pos;
    this.skipBlankLines();
    if (this.pos < this.s.length && this.indentHere() > parent && this.continuesPlain(parent)) bail();
    this.pos = save;
    this.lastEnd = end;
    return { kind: 'scalar', text: this.s.slice(start, end), plain: true, range: [start, end] };
  }

  /** Whether the content line at pos could only be a continuation of the previous plain scalar. */
  private continuesPlain(parent: number): boolean {
    const n = this.indentHere();
    if (n <= parent) return false;
    return true;
  }

  private endOfLine(): void {
    this.skipInlineSpace();
    if (!this.atLineEnd()) bail();
    this.nextLine();
  }

  private name(skip: number): string {
    const start = this.pos + skip;
    let i = start;
    while (i < this.s.length && !isSpace(this.s[i]) && this.s[i] !== '\n' && !FLOW.has(this.s[i])) i++;
    if (i === start) bail();
    this.pos = i;
    return this.s.slice(start, i);
  }

  private quotedEnd(from: number): number {
    const q = this.s[from];
    for (let i = from + 1; i < this.s.length; i++) {
      const ch = this.s[i];
      if (ch === '\n') return -1;
      if (q === '"' && ch === '\\') i++;
      else if (ch === q) {
        if (q === "'" && this.s[i + 1] === "'") i++;
        else return i + 1;
      }
    }
    return -1;
  }

  private quoted(): YScalar {
    const start = this.pos;
    const end = this.quotedEnd(start);
    if (end < 0) bail(); // multi-line quoted scalars go to the full parser
    const body = this.s.slice(start + 1, end - 1);
    let text: string;
    if (this.s[start] === "'") text = body.replace(/''/g, "'");
    else {
      text = '';
      for (let i = 0; i < body.length; i++) {
        const ch = body[i];
        if (ch !== '\\') {
          text += ch;
          continue;
        }
        const e = body[++i];
        if (e in ESCAPES) text += ESCAPES[e];
        else if (e === 'x' || e === 'u' || e === 'U') {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = body.slice(i + 1, i + 1 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) bail();
          text += String.fromCodePoint(parseInt(hex, 16));
          i += len;
        } else bail();
      }
    }
    this.pos = end;
    return { kind: 'scalar', text, plain: false, range: [start, end] };
  }

  private flow(): YMap | YSeq {
    this.enter();
    const start = this.pos;
    const open = this.s[this.pos++];
    const close = open === '[' ? ']' : '}';
    const node: YMap | YSeq = open === '[' ? { kind: 'seq', items: [], range: [start, start] } : { kind: 'map', pairs: [], range: [start, start] };
    for (;;) {
      this.skipInlineSpace();
      const c = this.s[this.pos];
      if (c === close) {
        this.pos++;
        break;
      }
      if (c === '\n' || c === undefined || c === '#') bail();
      if (node.kind === 'seq') {
        const item = this.flowScalarOrCollection();
        this.skipInlineSpace();
        if (this.s[this.pos] === ':') bail(); // single-pair map inside a sequence
        node.items.push(item);
      } else {
        const key = this.flowScalarOrCollection();
        if (key.kind !== 'scalar') bail();
        this.skipInlineSpace();
        if (this.s[this.pos] !== ':') bail();
        this.pos++;
        this.skipInlineSpace();
        const ch = this.s[this.pos];
        const value = ch === ',' || ch === '}' ? null : this.flowScalarOrCollection();
        node.pairs.push({ key, value });
      }
      this.skipInlineSpace();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== close) bail();
    }
    node.range[1] = this.pos;
    this.depth--;
    return node;
  }

  private flowScalarOrCollection(): YNode {
    const c = this.s[this.pos];
    if (c === '[' || c === '{') return this.flow();
    if (c === '"' || c === "'") return this.quoted();
    if (c === '*') {
      const start = this.pos;
      const name = this.name(1);
      const target = this.anchors.get(name);
      if (!target) bail();
      return { kind: 'alias', name, target, range: [start, this.pos] };
    }
    if (c === '&' || c === '!' || c === '|' || c === '>' || c === '%' || c === '@' || c === '`' || c === '?' || c === '#' || FLOW.has(c)) bail();
    if ((c === '-' || c === ':') && (isSpace(this.s[this.pos + 1]) || FLOW.has(this.s[this.pos + 1]))) bail();
    const start = this.pos;
    let i = start;
    for (;;) {
      const ch = this.s[i];
      if (ch === '\n' || ch === undefined || FLOW.has(ch)) break;
      if (ch === '#' && isSpace(this.s[i - 1])) bail();
      if (ch === ':' && (isSpace(this.s[i + 1]) || FLOW.has(this.s[i + 1]) || isBreak(this.s[i + 1]))) break;
      i++;
    }
    let end = i;
    while (isSpace(this.s[end - 1])) end--;
    this.pos = i;
    return { kind: 'scalar', text: this.s.slice(start, end), plain: true, range: [start, end] } satisfies YScalar;
  }

  private blockScalar(parent: number): YScalar {
    const start = this.pos;
    const literal = this.s[this.pos++] === '|';
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    if (this.s[this.pos] === '-') ((chomp = 'strip'), this.pos++);
    else if (this.s[this.pos] === '+') ((chomp = 'keep'), this.pos++);
    const c = this.s[this.pos];
    if ((c >= '0' && c <= '9') || c === '+' || c === '-') bail(); // indentation indicators
    const headerEnd = this.pos;
    this.endOfLine();
    // Content lines: indentation fixed by the first non-empty line.
    const lines: string[] = [];
    let indent = -1;
    let end = headerEnd;
    for (;;) {
      if (this.pos >= this.s.length) break;
      const nl = this.s.indexOf('\n', this.pos);
      const lineEnd = nl < 0 ? this.s.length : nl;
      const line = this.s.slice(this.pos, lineEnd);
      let spaces = 0;
      while (spaces < line.length && line.charCodeAt(spaces) === 0x20) spaces++;
      const blank = spaces === line.length;
      if (blank) {
        if (indent >= 0 && spaces > indent) bail(); // whitespace-only line longer than the indentation
        lines.push('');
      } else {
        if (indent < 0) {
          if (spaces <= parent) break;
          indent = spaces;
        }
        if (spaces < indent) break;
        if (line[spaces] === '\t' && spaces === indent && !literal) bail();
        lines.push(line.slice(indent));
        end = lineEnd;
      }
      this.pos = nl < 0 ? this.s.length : nl + 1;
      if (nl < 0) break;
    }
    if (indent < 0) {
      // No content: YAML gives an empty string (keep chomping keeps the breaks).
      if (chomp === 'keep' && lines.length) bail();
      this.lastEnd = headerEnd;
      return { kind: 'scalar', text: '', plain: false, range: [start, headerEnd] };
    }
    // Trailing blank lines belong to the chomping; rewind pos so they are skipped as blank lines.
    let trailing = 0;
    while (lines.length && lines[lines.length - 1] === '') (lines.pop(), trailing++);
    const endsWithBreak = this.s[end] === '\n';
    let body: string;
    if (literal) body = lines.join('\n');
    else {
      if (lines[0] === '' || lines.some((l) => l.startsWith(' ') || l.startsWith('\t'))) bail(); // leading or more-indented folded lines
      body = '';
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i];
        if (i === 0) body = l;
        else if (l === '') body += '\n';
        else body += lines[i - 1] === '' ? l : ' ' + l;
      }
    }
    let text = body;
    if (chomp === 'clip') text += endsWithBreak ? '\n' : '';
    else if (chomp === 'keep') text += (endsWithBreak ? '\n' : '') + '\n'.repeat(trailing);
    this.lastEnd = end;
    this.pos = endsWithBreak ? end + 1 : end;
    // Leave the skipped blank lines to the caller.
    return { kind: 'scalar', text, plain: false, range: [start, endsWithBreak ? end + 1 : end] };
  }
}

export type { Range };
