// The failure report: which operation, where in the config, the command with its exit code and
// stderr, and one line of advice. Everything in it is already redacted.
import { formatPath, type ConfigPath, type SourceSpan } from '../diag/diagnostic.js';
import { describeOp } from '../stages/files/plan/describe.js';
import type { OpError } from '../stages/files/errors.js';

export interface ReportOptions {
  stage?: string;
  /** For YAML input: the YAML position a config path came from. */
  sourceOf?: (path: ConfigPath) => SourceSpan | undefined;
}

/** ` (file:line:column)` for a config path when the input was YAML, else nothing. */
export function yamlWhere(path: ConfigPath | undefined, sourceOf: ReportOptions['sourceOf']): string {
  const s = path && sourceOf?.(path);
  return s ? ` (${s.file ?? '<stdin>'}:${s.line}:${s.column})` : '';
}

export function formatFailure(e: OpError, opts: ReportOptions = {}): string {
  const d = e.details;
  const lines = [`${opts.stage ?? 'apply'} failed: ${e.message}`];
  if (d.op) lines.push(`  operation: ${d.index !== undefined ? `#${d.index + 1} ` : ''}${describeOp(d.op)}`);
  if (d.configPath) lines.push(`  config:    ${formatPath(d.configPath)}${yamlWhere(d.configPath, opts.sourceOf)}`);
  if (d.command) {
    lines.push(`  command:   ${d.command.argv.join(' ')}`);
    lines.push(`  exit code: ${d.command.code}`);
    if (d.command.stderr.trim()) lines.push(`  stderr:    ${d.command.stderr.trim().split('\n').join('\n             ')}`);
  }
  if (d.hint) lines.push(`  hint:      ${d.hint}`);
  return lines.join('\n') + '\n';
}
