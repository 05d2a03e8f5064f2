import { defineConfig } from 'vitest/config';

// The Firefox suite: the shared scenarios (tests/scenarios/, also run in Chromium by
// vitest.e2e.config.ts) and Firefox-only checks (tests/firefox/), against the Firefox test build
// (`npm run build:firefox:test`). One Firefox per file, files one at a time, as in Chromium.
export default defineConfig({
  test: {
    include: ['tests/scenarios/**/*.test.ts', 'tests/firefox/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    provide: { browser: 'firefox' },
  },
});
