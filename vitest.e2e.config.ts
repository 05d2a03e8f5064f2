import { defineConfig } from 'vitest/config';

// End-to-end suites drive the built extension in Debian's Chromium; they share one
// browser per file and run files one at a time to stay inside two cores.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
