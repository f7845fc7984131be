import { defineConfig } from 'vitest/config';

// Real-browser tests: the production build in Debian Chromium, fixture pages
// served under the panel origins (https://seller.ozon.ru/…, .ozonru.cn, .ozon.kz) by context.route (test/e2e/harness.ts).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
