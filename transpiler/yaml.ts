// Reading YAML the way Butane does, with positions: one document, syntax errors reported with line
// and column (and a hint for the usual causes). The fast reader handles the usual subset; anything
// else goes through the full `yaml` package. The typed decoder then walks the node tree itself (so
// octal `0644`, YAML 1.1 booleans in boolean places, merge keys and bounded aliases behave like Go's
// yaml.v3 under Butane).
import { parseAllDocuments } from 'yaml';
import type { Diagnostic, SourceSpan } from '../src/diag/diagnostic.js';
import { LineIndex } from '../src/diag/lines.js';
import { fastParse } from './fastyaml.js';
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
  const fast = fastParse(text);
  if (fast) return { root: fast.root, lines, diagnostics: [] };
  return parseFull(text, file, lines);
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
      if (e.code === 'MULTILINE_IMPLICIT_KEY' || e.code === 'BLOCK_AS_IMPLICIT_KEY') {
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
      diagnostics.push({ severity: 'error', code: `yaml-${e.code.toLowerCase().replace(/_/g, '-')}`, message, source: loc.span(e.pos[0], e.pos[1]), hint });
    }
  }
  // Go's yaml.v3 reads YAML 1.1 only: a %YAML directive naming another version is refused.
  const directive = list[0]?.directives?.yaml;
  if (directive?.explicit && directive.version !== '1.1') {
    diagnostics.push({ severity: 'error', code: 'yaml-version', message: `found incompatible YAML document (%YAML ${directive.version})`, source: loc.span(0), hint: 'remove the %YAML line; Butane reads YAML 1.1' });
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
