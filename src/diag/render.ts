// Renderers: the same Diagnostic list as Ignition's one-line form, a pretty form with the source
// line and a caret, JSON, GitHub annotations or SARIF. Text meant for a terminal goes through
// `printable`, so a control character in a config is shown escaped, never sent to the terminal.
import { pathToFileURL } from 'node:url';
import { formatPath, type Diagnostic } from './diagnostic.js';
import { printable } from './printable.js';

/** `error at $.storage.files.0.path, line 5 col 17: path not absolute`, as ignition-validate prints. */
export function renderIgnition(d: Diagnostic): string {
  const where: string[] = [];
  if (d.path && d.path.length) where.push(formatPath(d.path));
  if (d.source) where.push(`line ${d.source.line} col ${d.source.column}`);
  return printable(`${d.severity}${where.length ? ' at ' + where.join(', ') : ''}: ${d.message}${relatedNote(d)}`);
}

/** ` (first defined at $.storage.files.0, line 5 col 7)`, or nothing. */
function relatedNote(d: Diagnostic): string {
  const r = d.related;
  if (!r) return '';
  const where = [r.path ? formatPath(r.path) : '', r.source ? `line ${r.source.line} col ${r.source.column}` : ''].filter(Boolean).join(', ');
  return ` (${r.message}${where ? ' at ' + where : ''})`;
}

export interface PrettyOptions {
  color?: boolean;
}

/**
 * `file:line:column: error: message`, then the source line with a caret under the column, then
 * the hint. `sources` maps file names to their text.
 */
export function renderPretty(diags: readonly Diagnostic[], sources: ReadonlyMap<string | undefined, string>, opts: PrettyOptions = {}): string {
  const paint = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const out: string[] = [];
  for (const d of diags) {
    const src = d.source;
    const loc = src ? `${printable(src.file ?? '<stdin>')}:${src.line}:${src.column}: ` : '';
    const sev = d.severity === 'error' ? paint('1;31', 'error') : d.severity === 'warning' ? paint('1;33', 'warning') : paint('1;36', 'info');
    const at = d.path && d.path.length ? ` (at ${formatPath(d.path)})` : '';
    out.push(`${loc}${sev}: ${printable(d.message + at)}`);
    const text = src ? sources.get(src.file) : undefined;
    if (src && text !== undefined) {
      const line = text.split('\n')[src.line - 1];
      if (line !== undefined) {
        const raw = line.replace(/\r$/, '');
        const shown = printable(raw);
        const gutter = String(src.line).length;
        out.push(`${' '.repeat(gutter)} |`);
        out.push(`${src.line} | ${shown.length > 200 ? shown.slice(0, 200) + '…' : shown}`);
        const end = src.endLine === src.line && src.endColumn && src.endColumn > src.column ? src.endColumn : src.column + 1;
        const width = Math.max(1, printable(raw.slice(src.column - 1, end - 1)).length);
        const pad = printable(raw.slice(0, src.column - 1)).replace(/[^\t]/g, ' ');
        out.push(`${' '.repeat(gutter)} | ${pad}${paint('1;32', '^'.repeat(Math.min(width, 80)))}`);
      }
    }
    const r = d.related;
    if (r) {
      const at = r.source ? `${r.source.file ?? '<stdin>'}:${r.source.line}:${r.source.column}` : '';
      const path = r.path ? formatPath(r.path) : '';
      out.push(printable(`  = note: ${r.message}${at ? ` at ${at}` : ''}${path ? (at ? ` (${path})` : ` at ${path}`) : ''}`));
    }
    if (d.hint) out.push(`  = hint: ${printable(d.hint)}`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** One JSON object per diagnostic, for tools. */
export function renderJson(diags: readonly Diagnostic[]): string {
  return JSON.stringify(diags, null, 2) + '\n';
}

/** GitHub Actions workflow commands, one per diagnostic. */
export function renderGithub(diags: readonly Diagnostic[]): string {
  const data = (s: string) => printable(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  // Property values are separated by `,` and end at `::`.
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return diags
    .map((d) => {
      const kind = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const props = d.source ? ` file=${prop(d.source.file ?? '')},line=${d.source.line},col=${d.source.column}` : '';
      return `::${kind}${props}::${data(d.message + relatedNote(d) + (d.path ? ` (${formatPath(d.path)})` : ''))}\n`;
    })
    .join('');
}

const STDIN_URI = 'file:///dev/stdin';

/** A SARIF artifact URI: a percent-encoded relative reference, or a file: URI for absolute paths. */
export function artifactUri(file: string | undefined): string {
  if (file === undefined || file === '<stdin>' || file === '-') return STDIN_URI;
  if (file.startsWith('/')) return pathToFileURL(file).href;
  return file.split('/').map(encodeURIComponent).join('/');
}

/** SARIF 2.1.0, for code-scanning uploads in CI. */
export function renderSarif(diags: readonly Diagnostic[], opts: { tool?: string; version?: string } = {}): string {
  const level = (s: Diagnostic['severity']) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const rules = [...new Set(diags.map((d) => d.code))].map((id) => ({ id }));
  const region = (s: NonNullable<Diagnostic['source']>) => ({
    startLine: s.line,
    startColumn: s.column,
    ...(s.endLine !== undefined && s.endColumn !== undefined ? { endLine: s.endLine, endColumn: s.endColumn } : {}),
  });
  const location = (s: NonNullable<Diagnostic['source']>) => ({ physicalLocation: { artifactLocation: { uri: artifactUri(s.file) }, region: region(s) } });
  const results = diags.map((d) => ({
    ruleId: d.code,
    level: level(d.severity),
    message: { text: d.message + (d.hint ? ` (hint: ${d.hint})` : '') },
    locations: d.source ? [location(d.source)] : [],
    ...(d.related?.source ? { relatedLocations: [{ id: 1, ...location(d.related.source), message: { text: d.related.message } }] } : {}),
    properties: d.path ? { jsonPath: formatPath(d.path) } : undefined,
  }));
  const driver = { name: opts.tool ?? 'kindling', ...(opts.version ? { version: opts.version } : {}), rules };
  return JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [{ tool: { driver }, results }] }, null, 2) + '\n';
}
