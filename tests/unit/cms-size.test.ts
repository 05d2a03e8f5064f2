import { expect, it } from 'vitest';
import { cmsBundleSize } from '../support/cms-world';

// The CMS adapters are injected on demand into editing screens as their own script: no zod, no
// React, nothing from the scanner. About 13.5 kB minified (5 kB gzipped) today.
it('the CMS script stays small', async () => {
  const { bytes, gzip } = await cmsBundleSize();
  console.log(`CMS script: ${(bytes / 1024).toFixed(1)} kB minified, ${(gzip / 1024).toFixed(1)} kB gzipped`);
  expect(bytes).toBeLessThan(20 * 1024);
});
