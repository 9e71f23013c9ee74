import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/disks/vm needs md and dm-crypt: it runs inside the QEMU guest of test/disks/guest.qemu.test.ts.
    exclude: process.env.KINDLING_IN_VM ? configDefaults.exclude : [...configDefaults.exclude, 'test/disks/vm/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Disk and QEMU tests share loop devices and kernel state: keep files sequential per worker.
    pool: 'forks',
    // Every test's output is scanned for the secrets its configs plant (issue 13 §5).
    setupFiles: ['test/support/leak-guard.ts'],
    reporters: ['default'],
  },
});
