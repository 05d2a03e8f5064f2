import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';

// The popup's page summary (count, late images, pages the browser keeps from extensions) is a
// shared scenario run in Chromium and Firefox: tests/scenarios/page-summary.test.ts.
let browser: ExtensionBrowser;

beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
});

describe('the foundation slice in real Chromium', () => {
  it('loads the extension with its service worker and icons', async () => {
    expect(browser.extensionId).toMatch(/^[a-p]{32}$/);
    const manifest = await browser.worker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.name).toBe('AltScout');
    expect(Object.keys(manifest.icons ?? {})).toEqual(['16', '32', '48', '128']);
  });
});
