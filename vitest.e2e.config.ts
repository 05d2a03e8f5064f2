import { defineConfig } from 'vitest/config';

// End-to-end suites drive the built extension in Debian's Chromium; they share one
// browser per file and run files one at a time to stay inside two cores. Shared scenarios
// (tests/scenarios/) run here in Chromium and in vitest.firefox.config.ts in Firefox.
// As root (containers, CI), Chromium can only start without its sandbox: the CLI asks for that
// through ALTSCOUT_CHROMIUM_NO_SANDBOX, never by default.
const asRoot = process.getuid?.() === 0;
export default defineConfig({
  test: {
    env: asRoot ? { ALTSCOUT_CHROMIUM_NO_SANDBOX: '1' } : {},
    include: ['tests/e2e/**/*.test.ts', 'tests/scenarios/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    provide: { browser: 'chromium' },
  },
});
