// The failure report: which operation, where in the config, the command with its exit code and
// stderr, and one line of advice. Everything in it is already redacted.
import { formatPath } from '../diag/diagnostic.js';
import { describeOp } from '../plan/describe.js';
import type { OpError } from './errors.js';

export function formatFailure(e: OpError, opts: { stage?: string } = {}): string {
  const d = e.details;
  const lines = [`${opts.stage ?? 'apply'} failed: ${e.message}`];
  if (d.op) lines.push(`  operation: ${d.index !== undefined ? `#${d.index + 1} ` : ''}${describeOp(d.op)}`);
  if (d.configPath) lines.push(`  config:    ${formatPath(d.configPath)}`);
  if (d.command) {
    lines.push(`  command:   ${d.command.argv.join(' ')}`);
    lines.push(`  exit code: ${d.command.code}`);
    if (d.command.stderr.trim()) lines.push(`  stderr:    ${d.command.stderr.trim().split('\n').join('\n             ')}`);
  }
  if (d.hint) lines.push(`  hint:      ${d.hint}`);
  return lines.join('\n') + '\n';
}
