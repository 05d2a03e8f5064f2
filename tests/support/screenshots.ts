import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

/**
 * The README's screenshots are taken only when asked: `npm run screenshots` sets
 * ALTSCOUT_SCREENSHOTS=1 and runs the e2e files that import this. An ordinary `npm test` writes
 * none, so it leaves the work tree clean.
 */
export const SCREENSHOTS_DIR = 'tests/screenshots';
export const takingScreenshots = process.env.ALTSCOUT_SCREENSHOTS === '1';

/** Writes `tests/screenshots/<name>.png` of a page (whole with `fullPage`) or one element, when asked. */
export async function screenshot(target: Page | Locator, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!takingScreenshots) return;
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = `${SCREENSHOTS_DIR}/${name}.png`;
  if ('goto' in target) await target.screenshot({ path, ...options });
  else await target.screenshot({ path });
}
