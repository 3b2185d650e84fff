import { configDefaults, defineConfig } from 'vitest/config';

// Kernel tests create namespaces and veth pairs with random names, so files may run in
// parallel; they are slow (process launches, traffic), hence the generous timeouts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The kernel matrix boots other kernels for many minutes: `npm test` runs it after
    // these tests, with its own configuration (test/kernels/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'test/kernels/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The REPL ignores CI variables (it only runs on a terminal, see src/repl/index.tsx);
    // its component tests load Ink directly, so they must not see them either.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
