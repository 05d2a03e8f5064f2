// `npm run bench`: runs every tests/bench/*.bench.ts in turn; each prints its own figures.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const only = process.argv[2];
// As root, Chromium only starts without its sandbox; the CLI and benches ask for that explicitly.
if (process.getuid?.() === 0) process.env.ALTSCOUT_CHROMIUM_NO_SANDBOX ??= '1';
const files = readdirSync('tests/bench').filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
let failed = 0;
for (const file of files) {
  console.log(`\n### ${file}`);
  const { status } = spawnSync('npx', ['tsx', `tests/bench/${file}`], { stdio: 'inherit' });
  if (status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
