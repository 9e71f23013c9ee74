// Reading YAML the way Butane does, with positions: one document, syntax errors reported with line
// and column (and a hint for the usual causes). The fast reader handles the usual subset; anything
// else goes through the full `yaml` package. The typed decoder then walks the node tree itself (so
// octal `0644`, YAML 1.1 booleans in boolean places, merge keys and bounded aliases behave like Go's
// yaml.v3 under Butane).
import { CST, Lexer, parseAllDocuments } from 'yaml';
import type { Diagnostic, SourceSpan } from '../../src/diag/diagnostic.js';
import { LineIndex } from '../../src/diag/lines.js';
import { fastParse, MAX_YAML_DEPTH, TooDeep } from './fastyaml.js';
import { fromYamlPackage, type YNode } from './ynode.js';

export interface Parsed {
  /** The document's root; undefined when there is no document at all. */
  root?: YNode | null;
  lines: LineIndex;
  diagnostics: Diagnostic[];
}

export class Locator {
  constructor(
    readonly file: string | undefined,
    readonly lines: LineIndex,
  ) {}

  span(start: number, end?: number): SourceSpan {
    const a = this.lines.position(start);
    const out: SourceSpan = { file: this.file, line: a.line, column: a.column };
    if (end !== undefined && end > start) {
      const z = this.lines.position(end);
      out.endLine = z.line;
      out.endColumn = z.column;
    }
    return out;
  }
}

const HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation; use spaces',
  MULTILINE_IMPLICIT_KEY: 'a key must be followed by `:` on the same line',
  BAD_INDENT: 'check that this line is indented like its siblings',
  BLOCK_AS_IMPLICIT_KEY: 'a key must be followed by `:` on the same line',
};

export function parseYaml(text: string, file: string | undefined): Parsed {
  const lines = new LineIndex(text);
  let tooDeep: number;
  try {
    const fast = fastParse(text);
    if (fast) return { root: fast.root, lines, diagnostics: [] };
    // The `yaml` package recurses per level (and overflows the stack long before yaml.v3's limit).
    tooDeep = tooDeepAt(text);
  } catch (e) {
    if (!(e instanceof TooDeep)) throw e;
    tooDeep = e.offset;
  }
  if (tooDeep < 0) return parseFull(text, file, lines);
  const diagnostic: Diagnostic = {
    severity: 'error',
    code: 'yaml-too-deep',
    message: `exceeded max depth: the YAML nests more than ${MAX_YAML_DEPTH} levels here`,
    source: new Locator(file, lines).span(tooDeep),
    hint: 'a Butane config needs about 10 levels; look for runaway brackets or indentation',
  };
  return { lines, diagnostics: [diagnostic] };
}

const lineStartOf = (text: string, pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
const lineEndOf = (text: string, from: number) => {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
};
const KEY = /^([^\s:#'"\-][^:#]*?):(?=\s|$)/;

/** The `key:` that starts the line of `pos`, when pos lies in that line's indentation. */
function keyAtLineStart(text: string, pos: number): { name: string; start: number; end: number } | undefined {
  const ls = lineStartOf(text, pos);
  let i = ls;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (pos > i) return undefined;
  const m = KEY.exec(text.slice(i, lineEndOf(text, i)));
  return m ? { name: m[1], start: i, end: i + m[1].length } : undefined;
}

/**
 * `path: /a` followed by a line `     mode: 420` indented deeper than `path`: YAML reads the second
 * line as a continuation of the value and complains about the first. The mistake is the second.
 */
function indentedMore(text: string, pos: number): { message: string; hint: string; start: number; end: number } | undefined {
  const ls = lineStartOf(text, pos);
  const before = /^( *(?:- +)?)([^\s:#'"\-][^:#]*?): +$/.exec(text.slice(ls, pos));
  if (!before) return undefined;
  const next = lineEndOf(text, pos) + 1;
  const m = /^( *)([^\s:#'"\-][^:#]*?):(?=\s|$)/.exec(text.slice(next, lineEndOf(text, next)));
  if (!m || m[1].length <= before[1].length) return undefined;
  const [key, deeper] = [before[2], m[2]];
  return {
    message: `\`${deeper}\` is indented more than \`${key}\` above it, so YAML reads it as part of the value of \`${key}\``,
    hint: `indent \`${deeper}:\` like \`${key}:\` (column ${before[1].length + 1})`,
    start: next + m[1].length,
    end: next + m[1].length + deeper.length,
  };
}

/**
 * The offset of the first collection nested deeper than MAX_YAML_DEPTH, or -1, from the `yaml`
 * package's lexer (which does not recurse). Flow collections count by their brackets; block
 * collections by the columns of the lines and indicators that open them, so the count is the
 * depth or slightly more (a `- item` counts its scalar too), never less.
 */
export function tooDeepAt(text: string): number {
  let offset = 0;
  let lineStart = 0;
  let flow = 0;
  /** Open block collections: the column each starts at, and whether it is a sequence. */
  const open: { col: number; seq: boolean }[] = [];
  let firstOnLine = true;
  let afterIndicator = false;
  let scalarNext = false;
  for (const tok of new Lexer().lex(text)) {
    if (tok === CST.DOCUMENT || tok === CST.FLOW_END) continue;
    if (tok === CST.SCALAR) {
      scalarNext = true;
      continue;
    }
    const start = offset;
    offset += tok.length;
    const type = scalarNext ? 'scalar' : CST.tokenType(tok);
    scalarNext = false;
    const nl = tok.lastIndexOf('\n');
    const content = type !== 'space' && type !== 'newline' && type !== 'comment';
    if (type === 'doc-start' || type === 'doc-end') {
      open.length = 0;
      flow = 0;
    } else if (content && flow === 0) {
      const col = start - lineStart;
      const indicator = type === 'seq-item-ind' || type === 'explicit-key-ind';
      if (firstOnLine) {
        while (open.length && open[open.length - 1].col > col) open.pop();
        let top = open[open.length - 1];
        // A key at the column of a sequence under a key (`k:\n- a\nnext: b`) ends that sequence.
        if (top && top.col === col && top.seq && type !== 'seq-item-ind') (open.pop(), (top = open[open.length - 1]));
        const continues = top && top.col === col && top.seq === (type === 'seq-item-ind');
        if (!continues && type !== 'map-value-ind') open.push({ col, seq: type === 'seq-item-ind' });
      } else if (indicator || (afterIndicator && type !== 'flow-seq-start' && type !== 'flow-map-start')) open.push({ col, seq: type === 'seq-item-ind' });
      afterIndicator = indicator;
    }
    if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if ((type === 'flow-seq-end' || type === 'flow-map-end') && flow > 0) flow--;
    if (open.length + flow > MAX_YAML_DEPTH) return start;
    if (nl >= 0) lineStart = start + nl + 1;
    if (type === 'newline' || (nl >= 0 && nl === tok.length - 1)) firstOnLine = true;
    else if (content) firstOnLine = false;
  }
  return -1;
}

function parseFull(text: string, file: string | undefined, lines: LineIndex): Parsed {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, merge: false, strict: true });
  const loc = new Locator(file, lines);
  const diagnostics: Diagnostic[] = [];
  const list = Array.isArray(docs) ? docs : [];
  // The yaml package often reports one mistake several times at the same place: keep the first.
  const seen = new Set<number>();
  // Like Butane (Go's yaml.v3 decoder), only the first document is read; later ones are ignored.
  for (const d of list.slice(0, 1)) {
    for (const e of d.errors) {
      if (seen.has(e.pos[0])) continue;
      seen.add(e.pos[0]);
      let hint = HINTS[e.code];
      let message = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
      let [start, end] = e.pos;
      const deeper = indentedMore(text, start);
      if (deeper) {
        diagnostics.push({
          severity: 'error',
          code: 'yaml-indentation',
          message: deeper.message,
          source: loc.span(deeper.start, deeper.end),
          hint: deeper.hint,
        });
        continue;
      }
      const key = e.code === 'TAB_AS_INDENT' ? undefined : keyAtLineStart(text, start);
      if (key) {
        // Indentation errors are reported at the start of the line: point at the key instead.
        [start, end] = [key.start, key.end];
        hint = `check the indentation of \`${key.name}\`: the keys of one mapping start in the same column`;
      } else if (e.code === 'MULTILINE_IMPLICIT_KEY' || e.code === 'BLOCK_AS_IMPLICIT_KEY') {
        // Almost always a key written without its colon.
        const line = text.slice(e.pos[0]).split(/\r?\n/)[0].trim();
        if (line.startsWith('- ')) {
          message = `a list item \`${line}\` stands where a key was expected`;
          hint = 'indent the item under the key whose list it belongs to';
        } else if (line && !line.includes(':')) {
          message = `expected \`:\` after \`${line}\``;
          hint = `did you mean \`${line}:\`?`;
        }
      }
      diagnostics.push({ severity: 'error', code: `yaml-${e.code.toLowerCase().replace(/_/g, '-')}`, message, source: loc.span(start, end), hint });
    }
  }
  // Go's yaml.v3 reads YAML 1.1 only: a %YAML directive naming another version is refused.
  const directive = list[0]?.directives?.yaml;
  if (directive?.explicit && directive.version !== '1.1') {
    diagnostics.push({
      severity: 'error',
      code: 'yaml-version',
      message: `found incompatible YAML document (%YAML ${directive.version})`,
      source: loc.span(0),
      hint: 'remove the %YAML line; Butane reads YAML 1.1',
    });
  }
  if (list.length > 1) {
    diagnostics.push({
      severity: 'info',
      code: 'yaml-extra-document',
      message: 'a second YAML document starts here; only the first document is read (as Butane does)',
      source: loc.span(list[1].range[0]),
      hint: 'remove the `---` separator and what follows, or move it into a file of its own',
    });
  }
  return { root: list[0] ? fromYamlPackage(list[0], text) : undefined, lines, diagnostics };
}
