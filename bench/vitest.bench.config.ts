import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import path from 'node:path';

// Only for bench/run.mjs: runs bench/node/perf.run.ts in plain Node (no DOM),
// with WXT's aliases and fake browser so lib/ modules import as in the unit tests.
export default defineConfig({
  root: path.resolve(import.meta.dirname, '..'),
  plugins: [WxtVitest()],
  test: {
    environment: 'node',
    include: ['bench/node/**/*.run.ts'],
    testTimeout: 600_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
