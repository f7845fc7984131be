import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  // WxtVitest does not copy vite.plugins from wxt.config.ts, so preact() is repeated here.
  plugins: [WxtVitest(), preact()],
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    setupFiles: ['test/setup.ts'],
    // Property and fuzz suites run thousands of cases: on a busy 2-core machine 5 s is not
    // enough. Speed is the benchmark's business (npm run bench), never a test's.
    testTimeout: 30_000,
    // zustand's React bindings must go through the preact/compat alias, so inline it.
    server: { deps: { inline: ['zustand'] } },
  },
});
