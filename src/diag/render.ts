// Renderers: the same Diagnostic list as Ignition's one-line form, a pretty form with the source
// line and a caret, JSON, or GitHub annotations.
import { formatPath, type Diagnostic } from './diagnostic.js';

/** `error at $.storage.files.0.path, line 5 col 17: path not absolute`, as ignition-validate prints. */
export function renderIgnition(d: Diagnostic): string {
  const where: string[] = [];
  if (d.path && d.path.length) where.push(formatPath(d.path));
  if (d.source) where.push(`line ${d.source.line} col ${d.source.column}`);
  return `${d.severity}${where.length ? ' at ' + where.join(', ') : ''}: ${d.message}`;
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
    const loc = src ? `${src.file ?? '<stdin>'}:${src.line}:${src.column}: ` : '';
    const sev = d.severity === 'error' ? paint('1;31', 'error') : d.severity === 'warning' ? paint('1;33', 'warning') : paint('1;36', 'info');
    const at = d.path && d.path.length ? ` (at ${formatPath(d.path)})` : '';
    out.push(`${loc}${sev}: ${d.message}${at}`);
    const text = src ? sources.get(src.file) : undefined;
    if (src && text !== undefined) {
      const line = text.split('\n')[src.line - 1];
      if (line !== undefined) {
        const shown = line.replace(/\r$/, '');
        const gutter = String(src.line).length;
        out.push(`${' '.repeat(gutter)} |`);
        out.push(`${src.line} | ${shown.length > 200 ? shown.slice(0, 200) + '…' : shown}`);
        const width = src.endLine === src.line && src.endColumn && src.endColumn > src.column ? src.endColumn - src.column : 1;
        const pad = shown.slice(0, src.column - 1).replace(/[^\t]/g, ' ');
        out.push(`${' '.repeat(gutter)} | ${pad}${paint('1;32', '^'.repeat(Math.min(width, 80)))}`);
      }
    }
    if (d.hint) out.push(`  = hint: ${d.hint}`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** One JSON object per diagnostic, for tools. */
export function renderJson(diags: readonly Diagnostic[]): string {
  return JSON.stringify(diags, null, 2) + '\n';
}

/** GitHub Actions workflow commands, one per diagnostic. */
export function renderGithub(diags: readonly Diagnostic[]): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return diags
    .map((d) => {
      const kind = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const props = d.source ? `file=${d.source.file ?? ''},line=${d.source.line},col=${d.source.column}` : '';
      return `::${kind} ${props}::${esc(d.message + (d.path ? ` (${formatPath(d.path)})` : ''))}\n`;
    })
    .join('');
}

/** SARIF 2.1.0, for code-scanning uploads in CI. */
export function renderSarif(diags: readonly Diagnostic[], tool = 'kindling'): string {
  const level = (s: Diagnostic['severity']) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const rules = [...new Set(diags.map((d) => d.code))].map((id) => ({ id }));
  const results = diags.map((d) => ({
    ruleId: d.code,
    level: level(d.severity),
    message: { text: d.message + (d.hint ? ` (hint: ${d.hint})` : '') },
    locations: d.source
      ? [{ physicalLocation: { artifactLocation: { uri: d.source.file ?? 'stdin' }, region: { startLine: d.source.line, startColumn: d.source.column } } }]
      : [],
    properties: d.path ? { jsonPath: formatPath(d.path) } : undefined,
  }));
  return JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [{ tool: { driver: { name: tool, rules } }, results }] }, null, 2) + '\n';
}
