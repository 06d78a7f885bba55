import { defineConfig } from 'vitest/config';

// Limits sized for a loaded 2-core machine (two suites side by side): a hook or a teardown that runs
// real sweeps gets as long as a test. No test may rely on wall-clock time; these only bound a hang.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
