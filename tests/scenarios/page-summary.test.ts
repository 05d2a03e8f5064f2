import { describe, expect, it } from 'vitest';
import { BROWSER, inBrowser, useScenarioWorld } from '../support/scenario';

/** The popup's first answer: how many images on the tab lack alt text, in Chromium and in Firefox. */

const world = useScenarioWorld();
const summary = (popup: { get: import('../support/driver').View['get'] }) => popup.get('status', 'Page summary').text();

/** A page each browser keeps from extensions. */
const RESTRICTED = { chromium: 'chrome://version', firefox: 'about:robots' }[BROWSER];

describe(inBrowser('page summary'), () => {
  it('shows how many images on the tab lack alt text', async () => {
    const page = await world.driver.openPage(`${world.site.url}/basic.html`);
    expect(await page.evaluate(() => document.querySelectorAll('img:not([alt])').length)).toBe(4);
    const popup = await world.driver.openPopup(page.tabId);
    await expect.poll(() => summary(popup), { timeout: 15_000 }).toBe('4 images missing alt text');
    await popup.close();
    await page.close();
  });

  it('counts an image added after load', async () => {
    const page = await world.driver.openPage(`${world.site.url}/basic.html`);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/img/red.png';
      document.body.append(img);
    });
    const popup = await world.driver.openPopup(page.tabId);
    await expect.poll(() => summary(popup), { timeout: 15_000 }).toBe('5 images missing alt text');
    await popup.close();
    await page.close();
  });

  it('says plainly when the page cannot be read', async () => {
    const page = await world.driver.openPage(RESTRICTED);
    const popup = await world.driver.openPopup(page.tabId);
    await expect.poll(() => summary(popup), { timeout: 15_000 }).toMatch(/Browsers do not let extensions read/);
    await popup.close();
    await page.close();
  });
});
