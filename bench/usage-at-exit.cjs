// Preloaded (`node --require`) by bench/cold-start.ts into the runs that read CPU time, its CPU
// baseline included: writes the process's CPU time (user + system, ms) to KINDLING_BENCH_USAGE_FILE
// at exit. (The timed runs go without it: see bench/cold-start.ts.)
'use strict';
const file = process.env.KINDLING_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    require('node:fs').writeFileSync(file, String((u.userCPUTime + u.systemCPUTime) / 1000));
  });
}
