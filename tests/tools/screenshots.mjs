// `npm run screenshots`: retakes the README's screenshots, and only this writes them. Builds, runs
// every e2e file that takes screenshots (those importing tests/support/screenshots.ts) with
// ALTSCOUT_SCREENSHOTS=1, the shared scenarios that take them in Chromium and in Firefox, then
// `npm start -- --check` for the popup at the top of the README.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const env = { ...process.env, ALTSCOUT_SCREENSHOTS: '1' };
const files = readdirSync('tests/e2e')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `tests/e2e/${f}`)
  .filter((f) => readFileSync(f, 'utf8').includes("from '../support/screenshots'"));

// Shared scenarios take them through tests/support/scenario.ts's screenshot(view, name).
const scenarios = readdirSync('tests/scenarios')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `tests/scenarios/${f}`)
  .filter((f) => /\bscreenshot\(/.test(readFileSync(f, 'utf8')));

function run(command, args) {
  console.log(`\n=== ${command} ${args.join(' ')}`);
  const { status } = spawnSync(command, args, { stdio: 'inherit', env });
  if (status !== 0) {
    console.error(`screenshots: "${command} ${args.join(' ')}" failed (exit ${status}); the screenshots it did not reach are unchanged.`);
    process.exit(status ?? 1);
  }
}

// The test builds: automated browsers cannot answer permission prompts (wxt.config.ts).
run('npm', ['run', '--silent', 'build:test']);
run('npx', ['vitest', 'run', '--config', 'vitest.e2e.config.ts', ...files, ...scenarios]);
run('npm', ['run', '--silent', 'build:firefox:test']);
run('npx', ['vitest', 'run', '--config', 'vitest.firefox.config.ts', ...scenarios]);
run('npx', ['tsx', 'tests/tools/start.ts', '--check']);
console.log('\nScreenshots written to tests/screenshots/. Look at them before you commit them.');
