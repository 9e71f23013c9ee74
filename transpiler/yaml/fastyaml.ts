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
  s = text;
  pos = depth = lastEnd = 0;
  try {
    return { root: readDocument() };
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  } finally {
    s = '';
    anchors.clear();
  }
}

// The reader works on UTF-16 code units (charCodeAt), never on one-character strings: a cold run
// executes this code as baseline code, where `s[i]` is an inline-cache lookup that makes a string
// and each comparison with one a builtin call. Past the end of the text charCodeAt gives NaN,
// which no test below matches except isBreak's and badKeyStart's.
const TAB = 9;
const NL = 10;
const SPACE = 32;
const isSpace = (c: number) => c === SPACE || c === TAB;
/** A line break, or the end of the text (NaN). */
const isBreak = (c: number) => c === NL || c !== c;
const isSpaceOrBreak = (c: number) => c === SPACE || c === TAB || c === NL || c !== c;
/** `,` `[` `]` `{` `}`. */
const isFlow = (c: number) => c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
/** What a plain key cannot start with: a line end, a comment, or an indicator (`\n#[]{},&*!|>%@` and a backquote). */
function badKeyStart(c: number): boolean {
  switch (c) {
    case NL:
    case 35: // #
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case 44: // ,
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case 37: // %
    case 64: // @
    case 96: // `
      return true;
    default:
      return c !== c; // the end of the text
  }
}
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

// Nodes are made by these functions. Their literals nest arrays, which V8 copies through the
// runtime at every execution rather than in a builtin; a flat literal with the arrays made by calls
// (esbuild's minifier folds a `const` used once back into the literal) measured the same: 134
// fewer runtime calls in a cold plan, and no fewer instructions. (The build writes the objects as
// stores into an empty object, scripts/literal-stores.mjs; the arrays stay literals.)
function scalarNode(text: string, plain: boolean, start: number, end: number): YScalar {
  return { kind: 'scalar', text, plain, range: [start, end] };
}
function seqNode(at: number): YSeq {
  return { kind: 'seq', items: [], range: [at, at] };
}
function mapNode(at: number): YMap {
  return { kind: 'map', pairs: [], range: [at, at] };
}
function aliasNode(name: string, target: YNode | undefined, start: number, end: number): YAlias {
  return { kind: 'alias', name, target, range: [start, end] };
}

// The reader's state is in module variables, and its steps are functions, not the fields and
// methods of an object: a cold run executes this code as baseline code, where every `this.pos` is
// an inline-cache lookup (through the runtime the first time each site runs, and a builtin call
// after that), and a variable of the enclosing scope is a plain slot. One text is read at a time.
let s = '';
let pos = 0;
let depth = 0;
let lastEnd = 0;
const anchors = new Map<string, YNode>();

function readDocument(): YNode | null {
  skipBlankLines();
  if (s.startsWith('---', pos) && isSpaceOrBreak(s.charCodeAt(pos + 3))) {
    pos += 3;
    skipInlineSpace();
    if (!atLineEnd()) bail(); // content after `---` on the same line
    nextLine();
    skipBlankLines();
  }
  if (pos >= s.length) return null;
  if (column() !== 0) bail();
  const root = blockNode(-1);
  skipBlankLines();
  if (pos < s.length) bail(); // a second document, `...`, or a syntax error
  return root;
}

// --- positions -------------------------------------------------------------------------------
function column(at = pos): number {
  return at === 0 ? 0 : at - s.lastIndexOf('\n', at - 1) - 1;
}
function skipInlineSpace(): void {
  let i = pos;
  for (let c = s.charCodeAt(i); c === SPACE || c === TAB; c = s.charCodeAt(++i));
  pos = i;
}
function atLineEnd(): boolean {
  const c = s.charCodeAt(pos);
  return isBreak(c) || (c === 35 && (pos === 0 || isSpace(s.charCodeAt(pos - 1)) || s.charCodeAt(pos - 1) === NL));
}
function nextLine(): void {
  const nl = s.indexOf('\n', pos);
  pos = nl < 0 ? s.length : nl + 1;
}
/** Skips empty and comment-only lines; leaves pos at the start of the next content line. */
function skipBlankLines(): void {
  for (;;) {
    if (pos >= s.length) return;
    let i = pos;
    while (s.charCodeAt(i) === SPACE) i++;
    const c = s.charCodeAt(i);
    if (c === TAB) bail();
    if (c === NL) pos = i + 1;
    else if (c !== c) return void (pos = i);
    else if (c === 35) nextLine();
    else return;
  }
}
/** Indentation of the line at pos (pos at a line start). */
function indentHere(): number {
  let i = pos;
  while (s.charCodeAt(i) === SPACE) i++;
  return i - pos;
}
/** A `-` indicator at `i`: a block sequence entry. */
function dashAt(i: number): boolean {
  return s.charCodeAt(i) === 45 && isSpaceOrBreak(s.charCodeAt(i + 1));
}

// --- block structure -----------------------------------------------------------------------------
/** A node whose first line starts at pos (a line start) with indentation `n` > parent. */
function blockNode(parent: number): YNode | null {
  const n = indentHere();
  if (n <= parent) return null;
  pos += n;
  return nodeAt(n, parent, 'line');
}

/** The node starting at pos (inside a line), at column `n`. `where` is `line` when nothing precedes it on its line except indentation/`- `. */
function nodeAt(n: number, parent: number, where: 'line' | 'seq' | 'value'): YNode | null {
  return s.charCodeAt(pos) === 38 ? anchoredNode(n, parent, where) : unanchoredNode(n, parent, where);
}

/** nodeAt past any anchor. */
function unanchoredNode(n: number, parent: number, where: 'line' | 'seq' | 'value'): YNode {
  if (dashAt(pos)) {
    if (where !== 'line') bail(); // `key: - a`
    return blockSeq(n);
  }
  // After `key:` a value is read as one: a `key:` in it (`a: b: c`) makes inlineValue bail.
  const colon = where === 'value' ? -1 : keyColon();
  return colon >= 0 ? blockMap(column(), colon) : inlineValue(parent);
}

/** nodeAt for `&anchor` at pos: the node after it (on this line or the next ones), registered. */
function anchoredNode(n: number, parent: number, where: 'line' | 'seq' | 'value'): YNode {
  const anchor = readName(1);
  skipInlineSpace();
  if (atLineEnd()) {
    nextLine();
    skipBlankLines();
    return register(anchor, blockNodeOrSeqAtParent(parent) ?? emptyScalar());
  }
  return register(anchor, unanchoredNode(n, parent, where));
}

function register(name: string, node: YNode): YNode {
  anchors.set(name, node);
  return node;
}

function emptyScalar(): YScalar {
  return scalarNode('', true, pos, pos);
}

/** After `key:` + line end: a more-indented block, or a block sequence at the key's own indentation. */
function blockNodeOrSeqAtParent(parent: number): YNode | null {
  if (pos >= s.length) return null;
  const n = indentHere();
  if (n > parent) return blockNode(parent);
  if (n === parent && parent >= 0 && dashAt(pos + n)) {
    pos += n;
    return blockSeq(n);
  }
  return null;
}

/** Opens a collection at pos; the caller closes it with `depth--`. */
function enter(): void {
  if (++depth > MAX_YAML_DEPTH) throw new TooDeep(pos);
}

function blockSeq(n: number): YSeq {
  enter();
  const seq = seqNode(pos);
  for (;;) {
    // at '-' in column n
    pos++;
    skipInlineSpace();
    if (atLineEnd()) {
      nextLine();
      skipBlankLines();
      seq.items.push(pos < s.length && indentHere() > n ? blockNode(n) : null);
    } else {
      const col = column();
      if (dashAt(pos)) bail(); // `- - x`
      seq.items.push(nodeAt(col, n, 'seq'));
    }
    seq.range[1] = lastEnd;
    if (!nextLineAt(n)) break;
    if (!dashAt(pos + n)) break;
    pos += n;
  }
  depth--;
  return seq;
}

/**
 * After an entry of a collection at indentation `n`: skips blank lines and says whether the next
 * line is at that indentation, where another entry may follow (a deeper one goes to the full parser).
 */
function nextLineAt(n: number): boolean {
  skipBlankLines();
  if (pos >= s.length) return false;
  const ind = indentHere();
  if (ind > n) bail();
  return ind === n;
}

/** The mapping whose first key, at pos in column `n`, has its `:` at `colon`. */
function blockMap(n: number, colon: number): YMap {
  enter();
  const map = mapNode(pos);
  for (;;) {
    const key = readKey(colon);
    skipInlineSpace();
    let value: YNode | null;
    if (atLineEnd()) {
      nextLine();
      skipBlankLines();
      value = blockNodeOrSeqAtParent(n);
    } else {
      value = nodeAt(column(), n, 'value');
    }
    map.pairs.push({ key, value });
    map.range[1] = value ? lastEnd : key.range[1] + 1;
    lastEnd = map.range[1];
    if (!nextLineAt(n)) break;
    pos += n;
    colon = keyColon();
    if (colon < 0) {
      if (s.charCodeAt(pos) === 45 && isSpace(s.charCodeAt(pos + 1))) {
        pos -= n;
        break; // a sequence at the parent's indentation continues the parent
      }
      bail();
    }
  }
  depth--;
  return map;
}

/** Where the `:` of a `key:` starting at pos is, or -1 when no key starts there. */
function keyColon(): number {
  const c = s.charCodeAt(pos);
  if (c === 34 || c === 39) return quotedKeyColon();
  // A plain key cannot start with an indicator (`-`, `?`, `:` only when followed by a space).
  if (badKeyStart(c)) return -1;
  if ((c === 45 || c === 63 || c === 58) && isSpaceOrBreak(s.charCodeAt(pos + 1))) return -1;
  for (let i = pos; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === NL) return -1;
    if (ch === 35 && isSpace(s.charCodeAt(i - 1))) return -1;
    if (ch === 58 && isSpaceOrBreak(s.charCodeAt(i + 1))) return i;
  }
  return -1;
}

/** keyColon for a quoted key at pos. */
function quotedKeyColon(): number {
  const end = quotedEnd(pos);
  if (end < 0) return -1;
  let i = end;
  while (s.charCodeAt(i) === SPACE) i++;
  return s.charCodeAt(i) === 58 && isSpaceOrBreak(s.charCodeAt(i + 1)) ? i : -1;
}

/** The key at pos, whose `:` keyColon found at `colon`; pos ends after the `:`. */
function readKey(colon: number): YScalar {
  const start = pos;
  const c = s.charCodeAt(start);
  if (c === 34 || c === 39) {
    const q = quoted();
    skipInlineSpace();
    pos++; // ':'
    lastEnd = q.range[1];
    return q;
  }
  let end = colon;
  while (isSpace(s.charCodeAt(end - 1))) end--;
  pos = colon + 1;
  const text = s.slice(start, end);
  if (c === 45 && isSpace(s.charCodeAt(start + 1))) bail();
  return scalarNode(text, true, start, end);
}

// --- scalars and flow --------------------------------------------------------------------------
function inlineValue(parent: number): YNode {
  const c = s.charCodeAt(pos);
  if (c === 42) return lineEndAfter(aliasValue());
  if (c === 34 || c === 39) return lineEndAfter(quoted());
  if (c === 91 || c === 123) return lineEndAfter(flow());
  if (c === 124 || c === 62) return blockScalar(parent);
  // ! % @ ` ? , ] }
  if (c === 33 || c === 37 || c === 64 || c === 96 || c === 63 || c === 44 || c === 93 || c === 125) bail();
  if ((c === 45 || c === 58) && isSpaceOrBreak(s.charCodeAt(pos + 1))) bail();
  const start = pos;
  let i = start;
  for (;;) {
    const ch = s.charCodeAt(i);
    if (ch === NL || ch !== ch) break;
    if (ch === 35 && isSpace(s.charCodeAt(i - 1))) break;
    if (ch === 58 && isSpaceOrBreak(s.charCodeAt(i + 1))) bail();
    i++;
  }
  let end = i;
  while (isSpace(s.charCodeAt(end - 1))) end--;
  pos = i;
  nextLine();
  // A more-indented line after a plain scalar would continue it (multi-line plain): full parser.
  // (pos stays at that next content line: every caller skips blank lines next.)
  skipBlankLines();
  if (pos < s.length && indentHere() > parent) bail();
  lastEnd = end;
  return scalarNode(s.slice(start, end), true, start, end);
}

/** `*alias` at pos. */
function aliasValue(): YAlias {
  const start = pos;
  const name = readName(1);
  const a = aliasNode(name, anchors.get(name), start, pos);
  if (!a.target) bail();
  return a;
}

/** `node`, read up to pos, ends its line. */
function lineEndAfter<T extends YNode>(node: T): T {
  endOfLine();
  lastEnd = node.range[1];
  return node;
}

function endOfLine(): void {
  skipInlineSpace();
  if (!atLineEnd()) bail();
  nextLine();
}

function readName(skip: number): string {
  const start = pos + skip;
  let i = start;
  for (let c = s.charCodeAt(i); i < s.length && !isSpace(c) && c !== NL && !isFlow(c); c = s.charCodeAt(++i));
  if (i === start) bail();
  pos = i;
  return s.slice(start, i);
}

function quotedEnd(from: number): number {
  const q = s.charCodeAt(from);
  for (let i = from + 1; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === NL) return -1;
    if (q === 34 && ch === 92)
      i++; // `\` in "..."
    else if (ch === q) {
      if (q === 39 && s.charCodeAt(i + 1) === 39)
        i++; // `''` in '...'
      else return i + 1;
    }
  }
  return -1;
}

function quoted(): YScalar {
  const start = pos;
  const end = quotedEnd(start);
  if (end < 0) bail(); // multi-line quoted scalars go to the full parser
  const body = s.slice(start + 1, end - 1);
  let text: string;
  if (s.charCodeAt(start) === 39) text = body.includes("'") ? body.replace(/''/g, "'") : body;
  else if (!body.includes('\\')) text = body;
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
  pos = end;
  return scalarNode(text, false, start, end);
}

function flow(): YMap | YSeq {
  enter();
  const start = pos;
  const open = s.charCodeAt(pos++);
  const close = open === 91 ? 93 : 125;
  const node: YMap | YSeq = open === 91 ? seqNode(start) : mapNode(start);
  for (;;) {
    skipInlineSpace();
    const c = s.charCodeAt(pos);
    if (c === close) {
      pos++;
      break;
    }
    if (c === NL || c !== c || c === 35) bail();
    if (node.kind === 'seq') {
      const item = flowScalarOrCollection();
      skipInlineSpace();
      if (s.charCodeAt(pos) === 58) bail(); // single-pair map inside a sequence
      node.items.push(item);
    } else {
      const key = flowScalarOrCollection();
      if (key.kind !== 'scalar') bail();
      skipInlineSpace();
      if (s.charCodeAt(pos) !== 58) bail();
      pos++;
      skipInlineSpace();
      const ch = s.charCodeAt(pos);
      const value = ch === 44 || ch === 125 ? null : flowScalarOrCollection();
      node.pairs.push({ key, value });
    }
    skipInlineSpace();
    const after = s.charCodeAt(pos);
    if (after === 44) pos++;
    else if (after !== close) bail();
  }
  node.range[1] = pos;
  depth--;
  return node;
}

function flowScalarOrCollection(): YNode {
  const c = s.charCodeAt(pos);
  if (c === 91 || c === 123) return flow();
  if (c === 34 || c === 39) return quoted();
  if (c === 42) {
    const start = pos;
    const name = readName(1);
    const target = anchors.get(name);
    if (!target) bail();
    return aliasNode(name, target, start, pos);
  }
  // & ! | > % @ ` ? # and the flow indicators
  if (c === 38 || c === 33 || c === 124 || c === 62 || c === 37 || c === 64 || c === 96 || c === 63 || c === 35 || isFlow(c)) bail();
  if ((c === 45 || c === 58) && (isSpace(s.charCodeAt(pos + 1)) || isFlow(s.charCodeAt(pos + 1)))) bail();
  const start = pos;
  let i = start;
  for (;;) {
    const ch = s.charCodeAt(i);
    if (ch === NL || ch !== ch || isFlow(ch)) break;
    if (ch === 35 && isSpace(s.charCodeAt(i - 1))) bail();
    if (ch === 58 && (isSpaceOrBreak(s.charCodeAt(i + 1)) || isFlow(s.charCodeAt(i + 1)))) break;
    i++;
  }
  let end = i;
  while (isSpace(s.charCodeAt(end - 1))) end--;
  pos = i;
  return scalarNode(s.slice(start, end), true, start, end);
}

/**
 * The content lines of a block scalar from pos, with the indentation (fixed by the first non-empty
 * line) taken off, into `lines`; pos ends after them. Where the last content line ends, or -1 for
 * no content. Apart from blockScalar: only this loop runs long enough for V8 to compile it to
 * baseline code.
 */
function blockLines(parent: number, literal: boolean, lines: string[]): number {
  let indent = -1;
  let end = -1;
  for (;;) {
    if (pos >= s.length) break;
    const nl = s.indexOf('\n', pos);
    const lineEnd = nl < 0 ? s.length : nl;
    let spaces = 0;
    while (pos + spaces < lineEnd && s.charCodeAt(pos + spaces) === SPACE) spaces++;
    if (pos + spaces === lineEnd) {
      if (indent >= 0 && spaces > indent) bail(); // whitespace-only line longer than the indentation
      lines.push('');
    } else {
      if (indent < 0) {
        if (spaces <= parent) break;
        indent = spaces;
      }
      if (spaces < indent) break;
      if (spaces === indent && !literal && s.charCodeAt(pos + spaces) === TAB) bail();
      lines.push(s.slice(pos + indent, lineEnd));
      end = lineEnd;
    }
    pos = nl < 0 ? s.length : nl + 1;
    if (nl < 0) break;
  }
  return end;
}

function blockScalar(parent: number): YScalar {
  const start = pos;
  const literal = s.charCodeAt(pos++) === 124; // `|`, else `>`
  let chomp: 'clip' | 'strip' | 'keep' = 'clip';
  if (s.charCodeAt(pos) === 45) ((chomp = 'strip'), pos++);
  else if (s.charCodeAt(pos) === 43) ((chomp = 'keep'), pos++);
  const c = s.charCodeAt(pos);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45) bail(); // indentation indicators
  const headerEnd = pos;
  endOfLine();
  const lines: string[] = [];
  const end = blockLines(parent, literal, lines);
  if (end < 0) {
    // No content: YAML gives an empty string (keep chomping keeps the breaks).
    if (chomp === 'keep' && lines.length) bail();
    lastEnd = headerEnd;
    return scalarNode('', false, start, headerEnd);
  }
  // Trailing blank lines belong to the chomping; rewind pos so they are skipped as blank lines.
  let trailing = 0;
  while (lines.length && lines[lines.length - 1] === '') (lines.pop(), trailing++);
  const endsWithBreak = s.charCodeAt(end) === NL;
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
  lastEnd = end;
  pos = endsWithBreak ? end + 1 : end;
  // Leave the skipped blank lines to the caller.
  return scalarNode(text, false, start, endsWithBreak ? end + 1 : end);
}

export type { Range };
