// `npm test`: runs vitest in two phases and ends with one plain summary line,
// "tests: N passed, N failed, N skipped", that CI systems read. Exits non-zero if either fails.
//
// Why two phases: the QEMU guests (files named *.qemu.test.ts) keep a core busy for minutes under
// TCG, and several tests assert Ignition's retry timing against real servers. So every other file
// runs first, in parallel, and the guests run afterwards, one at a time. The interruption test
// (SIGKILL of large apply runs, issue 13 §3) loads both cores as much: it runs with the guests.
// Arguments (file filters, -t patterns) run as one phase instead.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const phases = filters.length
  ? [{ name: 'all', args: filters }]
  : [
      { name: 'host', args: ['--exclude', '**/*.qemu.test.ts', '--exclude', '**/interrupt.loop.test.ts'] },
      // Filters (substrings of the path) that select the heavy files only.
      { name: 'heavy', args: ['--no-file-parallelism', '--passWithNoTests', '.qemu.test.ts', 'interrupt.loop.test.ts'] },
    ];

const totals = { passed: 0, failed: 0, skipped: 0, ran: 0 };
let status = 0;
for (const p of phases) {
  const out = join(tmpdir(), `kindling-vitest-${process.pid}-${p.name}.json`);
  const r = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...p.args],
    { stdio: 'inherit' },
  );
  if ((r.status ?? 1) !== 0) status = r.status ?? 1;
  try {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += j.numPendingTests + j.numTodoTests;
    totals.ran += j.numTotalTests;
  } catch {
    totals.failed += r.status === 0 ? 0 : 1;
  } finally {
    rmSync(out, { force: true });
  }
}
let summary = `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
if (totals.ran === 0) summary += ' (no test ran)';
console.log(summary);
process.exit(status);
