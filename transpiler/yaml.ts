// Reading YAML the way Butane does, with positions: one document, syntax errors reported with line
// and column (and a hint for the usual causes), everything else left to the typed decoder which
// walks the node tree itself (so octal `0644`, YAML 1.1 booleans in boolean places, merge keys and
// bounded aliases behave like Go's yaml.v3 under Butane).
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic, SourceSpan } from '../src/diag/diagnostic.js';

export interface Parsed {
  doc?: Document.Parsed;
  lines: LineCounter;
  diagnostics: Diagnostic[];
}

export class Locator {
  constructor(
    readonly file: string | undefined,
    readonly lines: LineCounter,
  ) {}

  span(start: number, end?: number): SourceSpan {
    const a = this.lines.linePos(start);
    const out: SourceSpan = { file: this.file, line: a.line, column: a.col };
    if (end !== undefined && end > start) {
      const z = this.lines.linePos(end);
      out.endLine = z.line;
      out.endColumn = z.col;
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
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, merge: false, strict: true });
  const loc = new Locator(file, lines);
  const diagnostics: Diagnostic[] = [];
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list) {
    for (const e of d.errors) {
      const msg = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
      let hint = HINTS[e.code];
      let message = msg;
      if (e.code === 'MULTILINE_IMPLICIT_KEY' || e.code === 'BLOCK_AS_IMPLICIT_KEY') {
        // Almost always a key written without its colon.
        const line = text.slice(e.pos[0]).split(/\r?\n/)[0].trim();
        if (line && !line.includes(':')) {
          message = `expected \`:\` after \`${line}\``;
          hint = `did you mean \`${line}:\`?`;
        }
      }
      diagnostics.push({ severity: 'error', code: `yaml-${e.code.toLowerCase().replace(/_/g, '-')}`, message, source: loc.span(e.pos[0], e.pos[1]), hint });
    }
  }
  if (list.length > 1) {
    const second = list[1];
    diagnostics.push({
      severity: 'error',
      code: 'yaml-multiple-documents',
      message: 'a Butane config is one YAML document; a second document starts here',
      source: loc.span(second.range[0]),
      hint: 'remove the `---` separator, or split the documents into separate files',
    });
  }
  return { doc: list[0], lines, diagnostics };
}
