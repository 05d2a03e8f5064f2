// `npm run zip:firefox`: the Firefox add-on (MV3) and the sources archive addons.mozilla.org asks
// for, both in .output/ (or $ALTSCOUT_OUT). The sources are an allowlist: what the build reads,
// the lockfile and the build instructions (BUILDING.md); no tests, no generated or local files.
import { zip } from 'wxt';

export const SOURCES = [
  'BUILDING.md',
  'README.md',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'wxt.config.ts',
  'entrypoints/**',
  'components/**',
  'lib/**',
  'public/**',
];

if (process.env.ALTSCOUT_TEST_HOSTS) {
  console.error(
    `ALTSCOUT_TEST_HOSTS=${process.env.ALTSCOUT_TEST_HOSTS} is set: that makes a test build with access to every site. ` +
      'Unset it to make the package for addons.mozilla.org.',
  );
  process.exit(2);
}

const files = await zip({
  browser: 'firefox',
  manifestVersion: 3,
  zip: { excludeSources: ['**'], includeSources: SOURCES },
});
if (files.length !== 2) {
  console.error(`Expected the add-on and its sources, got: ${files.join(', ')}`);
  process.exit(1);
}
