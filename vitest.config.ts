import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Disk and QEMU tests share loop devices and kernel state: keep files sequential per worker.
    pool: 'forks',
    reporters: ['default'],
  },
});
