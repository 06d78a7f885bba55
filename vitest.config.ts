import { defineConfig } from 'vitest/config';

// Limits sized for a loaded 2-core machine (two suites side by side): a hook or a teardown that runs
// real sweeps gets as long as a test. No test may rely on wall-clock time; these only bound a hang.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // vitest's default is one fork per core minus one: a single fork on a 2-core machine, and the
    // reproduction checks then run one after another. Two forks use both cores; test files share no paths.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
