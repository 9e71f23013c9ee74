// `npm test`: runs vitest (arguments pass through) and ends with one plain summary line,
// "tests: N passed, N failed, N skipped", that CI systems read. Exits with vitest's status.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = join(tmpdir(), `kindling-vitest-${process.pid}.json`);
const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)], { stdio: 'inherit' });
let summary = 'tests: no results (vitest did not finish)';
try {
  const j = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = j.numPendingTests + j.numTodoTests;
  summary = `tests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`;
  if (j.numTotalTests === 0) summary += ' (no test ran)';
} catch {
  // leave the "no results" line
} finally {
  rmSync(out, { force: true });
}
console.log(summary);
process.exit(r.status ?? 1);
