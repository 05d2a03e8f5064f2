import { describe, expect, it } from 'vitest';
import { inBrowser, useScenarioWorld } from '../support/scenario';

/**
 * Chromium stops an idle service worker and Firefox an idle event page (about 30 s each). The
 * popup's first message must start the background again and get its answer, in both.
 */

const world = useScenarioWorld();

describe(inBrowser('stopped background'), () => {
  it('starts again when the popup asks for the page summary', async () => {
    const { driver } = world;
    const page = await driver.openPage(`${world.site.url}/basic.html`);
    await driver.stopBackground();
    expect(await driver.backgroundRunning()).toBe(false);
    const popup = await driver.openPopup(page.tabId);
    await expect.poll(() => popup.get('status', 'Page summary').text(), { timeout: 15_000 }).toBe('4 images missing alt text');
    expect(await driver.backgroundRunning()).toBe(true);
    await popup.close();
    await page.close();
  });
});
