import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { startStaticServer, type StaticServer } from '../support/static-server';

let browser: ExtensionBrowser;
let site: StaticServer;

beforeAll(async () => {
  site = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the foundation slice in real Chromium', () => {
  it('loads the extension with its service worker and icons', async () => {
    expect(browser.extensionId).toMatch(/^[a-p]{32}$/);
    const manifest = await browser.worker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.name).toBe('AltScout');
    expect(Object.keys(manifest.icons ?? {})).toEqual(['16', '32', '48', '128']);
  });

  it('shows how many images on the tab lack alt text', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.url}/basic.html`);
    const expected = await page.evaluate(() => document.querySelectorAll('img:not([alt])').length);
    expect(expected).toBe(4);
    const popup = await browser.openPopup(page);
    await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toBe('4 images missing alt text');
    await popup.close();
    await page.close();
  });

  it('counts an image added after load', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.url}/basic.html`);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/img/red.png';
      document.body.append(img);
    });
    const popup = await browser.openPopup(page);
    await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toBe('5 images missing alt text');
    await popup.close();
    await page.close();
  });

  it('says plainly when the page cannot be read', async () => {
    const { page, tabId } = await browser.openTab('chrome://version');
    const popup = await browser.openPopup(tabId);
    await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toMatch(/Browsers do not let extensions read/);
    await popup.close();
    await page.close();
  });
});
