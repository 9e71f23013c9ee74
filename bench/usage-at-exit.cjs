// Preloaded (`node --require`) by bench/cold-start.ts into every timed process, the baseline
// included: writes the process's CPU time (user + system, ms) and its minor page faults so far to
// KINDLING_BENCH_USAGE_FILE at exit.
'use strict';
const file = process.env.KINDLING_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    require('node:fs').writeFileSync(file, `${(u.userCPUTime + u.systemCPUTime) / 1000} ${u.minorPageFault}`);
  });
}
