// The kernel matrix's own vitest configuration: `npm test` runs it after the host tests
// (which the root configuration runs, without this folder). One file, whose tests wait
// for whole kernels; the total of both runs is printed last.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/kernels/**/*.test.ts'],
    reporters: ['default', './test/kernels/total-reporter.ts'],
    pool: 'forks',
  },
});
