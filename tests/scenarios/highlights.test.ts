import { describe, expect, it } from 'vitest';
import type { WebTab } from '../support/driver';
import { inBrowser, useScenarioWorld } from '../support/scenario';
import { lastAction, openFixture, pageSummary } from '../support/popup-steps';

/**
 * Highlights: a box and a badge on the page per finding, remembered per tab while the popup is
 * closed, off again with Hide highlights, and gone with the document when the page reloads.
 */

const world = useScenarioWorld();

/** The badges AltScout's overlay shows on the page (its shadow root is open), sorted. */
const badges = (page: WebTab) =>
  page.evaluate(() => [...(document.querySelector('altscout-overlay')?.shadowRoot?.querySelectorAll('.badge') ?? [])].map((b) => b.textContent ?? '').sort());

describe(inBrowser('highlights'), () => {
  it('marks each finding on the page, remembers it per tab, and forgets it when the page reloads', async () => {
    const { page, popup } = await openFixture(world);
    const other = await openFixture(world);
    await popup.get('button', 'Highlight on page').click();
    await expect.poll(() => lastAction(popup).text()).toBe('Highlighted 5 images on the page.');
    expect(await badges(page)).toEqual(['Decorative', 'Missing alt', 'Missing alt', 'Missing alt', 'Missing alt']);
    // Drawing takes no focus from the page.
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    expect(await badges(other.page)).toEqual([]);
    await popup.close();

    // Reopened, the popup knows this tab's highlights are on, and the other tab's are not.
    const again = await world.driver.openPopup(page.tabId);
    await again.get('button', 'Hide highlights').waitFor();
    await other.popup.close();
    const otherAgain = await world.driver.openPopup(other.page.tabId);
    await otherAgain.get('button', 'Highlight on page').waitFor();
    await otherAgain.close();
    await again.get('button', 'Hide highlights').click();
    await expect.poll(() => badges(page)).toEqual([]);
    await again.get('button', 'Highlight on page').click();
    await expect.poll(() => badges(page)).toHaveLength(5);
    await again.close();

    // A reload drops the overlay with the old document, and the popup offers to highlight again.
    await page.reload();
    expect(await badges(page)).toEqual([]);
    const afterReload = await world.driver.openPopup(page.tabId);
    await expect.poll(() => pageSummary(afterReload).text(), { timeout: 15_000 }).toBe('4 images missing alt text');
    await afterReload.get('button', 'Highlight on page').waitFor();
    expect(await afterReload.get('button', 'Hide highlights').count()).toBe(0);
    await afterReload.close();
    await other.page.close();
    await page.close();
  });
});
