// kindling failure [FILE]: the failure report a boot stage wrote (default /run/kindling/failure.json)
// as the block the initramfs shows on the console before its emergency shell or power-off.
import { DEFAULT_FAILURE_REPORT } from '../engine/engine.js';
import { summarize, type FailureReport } from '../engine/failure.js';
import { readCommandLine, type CommandSpec } from './args.js';
import { readInput } from './input.js';
import { utf8Text } from '../host/utf8.js';

const SPEC = {
  name: 'failure',
  operands: '[FILE]',
  summary: `Print the failure report of a first boot (default ${DEFAULT_FAILURE_REPORT}) readably, as the\ninitramfs shows it on the console.`,
  maxOperands: 1,
  flags: {},
} as const satisfies CommandSpec;

export async function main(argv: string[]): Promise<number> {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  const file = cl.operands[0] ?? DEFAULT_FAILURE_REPORT;
  const input = readInput(file);
  let report: FailureReport;
  try {
    if ('error' in input) throw new Error(input.error);
    report = JSON.parse(utf8Text(input.bytes)) as FailureReport;
  } catch (e) {
    process.stderr.write(`kindling failure: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(
    [
      '',
      '=== Kindling: first boot failed ===',
      summarize(report),
      `  report     ${file}; logs: journalctl -b -u kindling-${report.stage}.service`,
      '=== end of Kindling failure ===',
      '',
    ].join('\n') + '\n',
  );
  return 0;
}
