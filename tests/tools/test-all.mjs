// `npm test`: typecheck, unit tests, build, end-to-end tests in Chromium, then in Firefox; then one closing line
// "N passed, N failed" summed over every suite (CI reads it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'tests/.results';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${label}: exit ${status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return status === 0;
}

function vitestSuite(label, config) {
  const out = `${results}/${label}.json`;
  const ok = run(label, 'npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (!existsSync(out)) {
    // The runner died before reporting: count the suite as one failure so CI is red.
    failed += 1;
    return;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (ok || report.numFailedTests > 0 ? 0 : 1);
}

if (run('typecheck', 'npx', ['tsc', '--noEmit'])) passed += 1;
else failed += 1;
vitestSuite('unit', 'vitest.config.ts');
// Two builds: the store build users get (.output; tests/e2e/permissions.test.ts checks its
// manifest and its activeTab flow) and the test build every other e2e file loads (.output-test:
// all sites granted up front, since an automated browser cannot answer a permission prompt).
const store = run('build (store)', 'npx', ['wxt', 'build']);
const test = store && run('build (test: ALTSCOUT_TEST_HOSTS=all)', 'npx', ['wxt', 'build'], { ALTSCOUT_TEST_HOSTS: 'all' });
if (store && test) {
  passed += 2;
  vitestSuite('e2e', 'vitest.e2e.config.ts');
} else {
  failed += store ? 1 : 2;
}
// Firefox: its own test build (MV3, ALTSCOUT_TEST_HOSTS=all), then the shared scenarios in Firefox
// and the Firefox-only checks (package, lint).
if (run('build firefox', 'npm', ['run', '--silent', 'build:firefox:test'])) {
  passed += 1;
  vitestSuite('firefox', 'vitest.firefox.config.ts');
} else {
  failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
