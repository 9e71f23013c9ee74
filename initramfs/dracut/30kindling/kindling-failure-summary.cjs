// Prints the failure report a stage wrote (/run/kindling/failure.json) as a readable block on the
// console. The report is redacted when written; URLs are stripped of credentials and query again
// here all the same, since this text ends up on screens and in serial logs.
'use strict';
const fs = require('node:fs');

const FIELDS = [
  ['operation', 'operation'],
  ['configPath', 'config'],
  ['yaml', 'YAML'],
  ['url', 'URL'],
  ['command', 'command'],
  ['exitStatus', 'exit status'],
  ['stderr', 'stderr'],
  ['hint', 'hint'],
];

function scrubUrls(text) {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"']*@)?([^\s?#"']*)(\?[^\s#"']*)?/gi, (_, scheme, auth, rest, query) => `${scheme}${auth ? '<redacted>@' : ''}${rest}${query ? '?<redacted>' : ''}`);
}

function show(value) {
  const text = Array.isArray(value) ? value.map((a) => (/[\s"']/.test(String(a)) ? JSON.stringify(String(a)) : String(a))).join(' ') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return scrubUrls(text.trimEnd());
}

function summary(report) {
  const out = ['', '=== Kindling: first boot failed ==='];
  out.push(`stage:       ${show(report.stage ?? '?')}`);
  if (report.message) out.push(`error:       ${show(report.message)}`);
  for (const [key, label] of FIELDS) {
    if (report[key] === undefined || report[key] === null || report[key] === '') continue;
    const lines = show(report[key]).split('\n');
    out.push(`${(label + ':').padEnd(12)} ${lines[0]}`);
    for (const more of lines.slice(1, 20)) out.push(`             ${more}`);
    if (lines.length > 20) out.push(`             ... (${lines.length - 20} more lines in the report)`);
  }
  out.push(`report:      /run/kindling/failure.json; logs: journalctl -b -u kindling-${report.stage ?? '*'}.service`);
  out.push('=== end of Kindling failure ===', '');
  return out.join('\n');
}

module.exports = { summary, scrubUrls };

if (require.main === module) {
  const file = process.argv[2] ?? '/run/kindling/failure.json';
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    process.stdout.write(`kindling: cannot read the failure report ${file}: ${e.message}\n`);
    process.exit(1);
  }
  process.stdout.write(summary(report) + '\n');
}
