import { describe, expect, it } from 'vitest';
import type { ExtensionDriver } from '../support/driver';
import { MOZILLA_HOSTS } from '../support/firefox';
import { BROWSER, inBrowser, useScenarioWorld } from '../support/scenario';
import { pageSummary } from '../support/popup-steps';

/**
 * What Firefox lacks, said plainly: Chrome's on-device model is not offered there (the options page
 * says what keeps images on this computer instead), and pages each browser keeps from extensions get
 * a sentence saying so. The browser has the last word: each page the popup calls closed is one
 * where the browser does refuse to run AltScout's script.
 */

const world = useScenarioWorld();

/** Whether the browser runs an extension script in the tab (AltScout has every site in the test build). */
const browserRuns = (driver: ExtensionDriver, tabId: number) =>
  driver.inExtension(async (tabId) => {
    try {
      const [{ result }] = await chrome.scripting.executeScript({ target: { tabId }, func: () => location.href });
      return `ran in ${result}`;
    } catch (e) {
      return `refused: ${e instanceof Error ? e.message : String(e)}`;
    }
  }, tabId);

describe(inBrowser('what differs between browsers'), () => {
  it('offers Chrome\'s on-device model only where it exists, and says what to use in Firefox', async () => {
    const options = await world.driver.openExtensionPage('options.html');
    const providers = options.get('group', 'Provider');
    await providers.get('radio', /^OpenRouter /).waitFor();
    expect(await providers.get('radio', /^Another OpenAI-compatible server /).count()).toBe(1);
    if (BROWSER === 'firefox') {
      expect(await providers.get('radio', /^Chrome on-device model/).count()).toBe(0);
      expect(await providers.description()).toMatch(/^Firefox has no built-in model .* Another OpenAI-compatible server\.$/);
    } else {
      expect(await providers.get('radio', /^Chrome on-device model/).count()).toBe(1);
      expect(await providers.description()).toBe('');
    }
    await options.close();
  });

  it('says plainly on pages the browser keeps from extensions, and the browser does refuse them', async () => {
    const port = new URL(world.site.url).port;
    // Firefox's sites are local fixture pages under Mozilla's names (tests/support/firefox.ts, MOZILLA_HOSTS).
    const pages: Array<[string, RegExp]> =
      BROWSER === 'firefox'
        ? [
            ['about:robots', /^Browsers do not let extensions read/],
            [`http://${MOZILLA_HOSTS[0]}:${port}/basic.html`, /^Browsers do not let extensions read the extension store\./],
            [`http://${MOZILLA_HOSTS[1]}:${port}/basic.html`, /^Firefox keeps this site from add-ons/],
          ]
        : [['chrome://extensions', /^Browsers do not let extensions read/]];
    for (const [url, said] of pages) {
      const page = await world.driver.openPage(url);
      expect(await browserRuns(world.driver, page.tabId), url).toMatch(/^refused: /);
      const popup = await world.driver.openPopup(page.tabId);
      await expect.poll(() => pageSummary(popup).text(), { timeout: 15_000, message: url }).toMatch(said);
      // Nothing to act on: no Generate button.
      expect(await popup.get('button', 'Generate alt text').count()).toBe(0);
      await popup.close();
      await page.close();
    }
  });
});
