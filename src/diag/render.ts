// Renderers: the same Diagnostic list as Ignition's one-line form, a pretty form with the source
// line and a caret, JSON, GitHub annotations or SARIF. Text meant for a terminal goes through
// `printable`, so a control character in a config is shown escaped, never sent to the terminal.
import { createHash } from 'node:crypto';
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
  // Each file's lines, split once (a batch has many diagnostics per file).
  const linesOf = new Map<string | undefined, string[]>();
  for (const d of diags) {
    const src = d.source;
    const loc = src ? `${printable(src.file ?? '<stdin>')}:${src.line}:${src.column}: ` : '';
    const sev = d.severity === 'error' ? paint('1;31', 'error') : d.severity === 'warning' ? paint('1;33', 'warning') : paint('1;36', 'info');
    const at = d.path && d.path.length ? ` (at ${formatPath(d.path)})` : '';
    out.push(`${loc}${sev}: ${printable(d.message + at)}`);
    const text = src ? sources.get(src.file) : undefined;
    if (src && text !== undefined) {
      let lines = linesOf.get(src.file);
      if (!lines) linesOf.set(src.file, (lines = text.split('\n')));
      const line = lines[src.line - 1];
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
      const s = d.source;
      const end = s && s.endLine !== undefined && s.endColumn !== undefined ? `,endLine=${s.endLine},endColumn=${s.endColumn}` : '';
      const props = s ? ` file=${prop(s.file ?? '')},line=${s.line},col=${s.column}${end},title=${prop(d.code)}` : '';
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

/** What a renderer may say about a check beyond its code (SARIF rules, Code Climate categories). */
export interface RuleInfo {
  summary: string;
}

/** SARIF 2.1.0, for code-scanning uploads in CI. `rules` describes the codes it knows. */
export function renderSarif(diags: readonly Diagnostic[], opts: { tool?: string; version?: string; rules?: ReadonlyMap<string, RuleInfo> } = {}): string {
  const level = (s: Diagnostic['severity']) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const rules = [...new Set(diags.map((d) => d.code))].map((id) => {
    const info = opts.rules?.get(id);
    return info ? { id, shortDescription: { text: info.summary } } : { id };
  });
  const region = (s: NonNullable<Diagnostic['source']>) => ({
    startLine: s.line,
    startColumn: s.column,
    ...(s.endLine !== undefined && s.endColumn !== undefined ? { endLine: s.endLine, endColumn: s.endColumn } : {}),
  });
  const location = (s: NonNullable<Diagnostic['source']>) => ({ physicalLocation: { artifactLocation: { uri: artifactUri(s.file) }, region: region(s) } });
  const results = diags.map((d) => ({
    ruleId: d.code,
    ruleIndex: rules.findIndex((r) => r.id === d.code),
    level: level(d.severity),
    message: { text: d.message + (d.hint ? ` (hint: ${d.hint})` : '') },
    locations: d.source ? [location(d.source)] : [],
    ...(d.related?.source ? { relatedLocations: [{ id: 1, ...location(d.related.source), message: { text: d.related.message } }] } : {}),
    properties: d.path ? { jsonPath: formatPath(d.path) } : undefined,
  }));
  const driver = { name: opts.tool ?? 'kindling', ...(opts.version ? { version: opts.version } : {}), rules };
  return JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [{ tool: { driver }, results }] }, null, 2) + '\n';
}

/** Text allowed in XML 1.0 (no C0 controls but tab and line breaks), with markup characters escaped. */
function xml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

const withHint = (d: Diagnostic) => d.message + relatedNote(d) + (d.hint ? ` (hint: ${d.hint})` : '');
const fileOf = (d: Diagnostic) => d.source?.file ?? '<stdin>';

/** Groups diagnostics by file, keeping `files` (every file checked, clean ones too) in order. */
function byFile(diags: readonly Diagnostic[], files: readonly string[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>(files.map((f) => [f, []]));
  for (const d of diags) {
    const f = fileOf(d);
    if (!out.has(f)) out.set(f, []);
    out.get(f)!.push(d);
  }
  return out;
}

/** Checkstyle XML (Jenkins warnings-ng, reviewdog, many CI plugins): one <file> per file checked. */
export function renderCheckstyle(diags: readonly Diagnostic[], files: readonly string[] = []): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
  for (const [file, list] of byFile(diags, files)) {
    out.push(`  <file name="${xml(file)}">`);
    for (const d of list) {
      const sev = d.severity === 'info' ? 'info' : d.severity;
      out.push(
        `    <error line="${d.source?.line ?? 1}" column="${d.source?.column ?? 1}" severity="${sev}" message="${xml(withHint(d))}" source="kindling.${xml(d.code)}"/>`,
      );
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>');
  return out.join('\n') + '\n';
}

/**
 * JUnit XML (GitLab, Jenkins, Azure): a test suite per file, a test case per problem (a passing
 * one for a clean file). A problem that fails the run is a <failure>; others are reported in
 * <system-out> of a passing case, so CI shows them without calling them failed tests.
 */
export function renderJunit(diags: readonly Diagnostic[], files: readonly string[] = [], opts: { fails?: (d: Diagnostic) => boolean } = {}): string {
  const fails = opts.fails ?? ((d: Diagnostic) => d.severity === 'error');
  const groups = byFile(diags, files);
  const total = [...groups.values()].reduce((n, l) => n + Math.max(1, l.length), 0);
  const failures = diags.filter(fails).length;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="kindling lint" tests="${total}" failures="${failures}" errors="0">`];
  for (const [file, list] of groups) {
    const f = list.filter(fails).length;
    out.push(`  <testsuite name="${xml(file)}" tests="${Math.max(1, list.length)}" failures="${f}" errors="0" skipped="0">`);
    if (!list.length) out.push(`    <testcase classname="${xml(file)}" name="kindling lint"/>`);
    for (const d of list) {
      const where = d.source ? `${file}:${d.source.line}:${d.source.column}` : file;
      const name = `${d.code} at ${d.source ? `${d.source.line}:${d.source.column}` : file}`;
      const body = xml(`${where}: ${d.severity}: ${withHint(d)}`);
      out.push(`    <testcase classname="${xml(file)}" name="${xml(name)}">`);
      if (fails(d)) out.push(`      <failure type="${xml(d.code)}" message="${xml(d.message)}">${body}</failure>`);
      else out.push(`      <system-out>${body}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/**
 * GitLab code quality (a Code Climate issue list): `description`, `check_name`, a stable
 * `fingerprint` (file, code, message and line; not the column, so unrelated edits keep it),
 * `severity` and `location.path` with `lines.begin`.
 */
export function renderCodeClimate(diags: readonly Diagnostic[]): string {
  const severity = (s: Diagnostic['severity']) => (s === 'error' ? 'major' : s === 'warning' ? 'minor' : 'info');
  const issues = diags.map((d) => ({
    type: 'issue',
    check_name: d.code,
    description: withHint(d),
    categories: ['Bug Risk'],
    severity: severity(d.severity),
    fingerprint: createHash('sha256')
      .update(JSON.stringify([fileOf(d), d.code, d.message, d.source?.line ?? 0]))
      .digest('hex')
      .slice(0, 32),
    location: { path: fileOf(d), lines: { begin: d.source?.line ?? 1, end: d.source?.endLine ?? d.source?.line ?? 1 } },
  }));
  return JSON.stringify(issues, null, 2) + '\n';
}
