// kindling failure [FILE]: the failure report a boot stage wrote (default /run/kindling/failure.json)
// as the block the initramfs shows on the console before its emergency shell or power-off.
import * as fs from 'node:fs';
import { DEFAULT_FAILURE_REPORT } from '../engine/engine.js';
import { summarize, type FailureReport } from '../engine/failure.js';

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help') || argv.length > 1) {
    process.stderr.write(`usage: kindling failure [FILE]\n\nPrint the failure report of a first boot (default ${DEFAULT_FAILURE_REPORT}) readably.\n`);
    return argv.length > 1 ? 2 : 0;
  }
  const file = argv[0] ?? DEFAULT_FAILURE_REPORT;
  let report: FailureReport;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8')) as FailureReport;
  } catch (e) {
    process.stderr.write(`kindling failure: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(
    ['', '=== Kindling: first boot failed ===', summarize(report), `  report     ${file}; logs: journalctl -b -u kindling-${report.stage}.service`, '=== end of Kindling failure ===', ''].join('\n') + '\n',
  );
  return 0;
}
