import { describe, expect, it } from 'vitest';
import { inBrowser, screenshot, useScenarioWorld } from '../support/scenario';
import { altBox, colourOf, generate, imagesOnPage, lastAction, openFixture, pageSummary, reviewItem } from '../support/popup-steps';

/**
 * Apply: exactly what the review accepted lands on the page (an edit as edited, a rejected image
 * untouched, the decorative image left alone), and the popup counts the page again.
 */

const world = useScenarioWorld();

describe(inBrowser('apply'), () => {
  it('writes the accepted and edited descriptions into the page and leaves the rejected image as it was', async () => {
    const { page, popup } = await openFixture(world);
    const before = await imagesOnPage(page);
    const colours = await generate(popup);
    const edited = `A bright ${colours[0]} tile, edited by hand`;
    await altBox(popup, 1).fill(edited);
    const reject = reviewItem(popup, 2).get('button', 'Reject');
    await reject.click();
    await expect.poll(() => reject.attribute('aria-pressed')).toBe('true');
    const accepted = new Map<string, string>([[colours[0], edited]]);
    for (const n of [3, 4]) accepted.set(colours[n - 1], await altBox(popup, n).value());

    await popup.get('button', 'Apply to page').click();
    await expect.poll(() => lastAction(popup).text()).toBe('Applied alt text to 3 images on the page.');
    expect(await imagesOnPage(page)).toEqual(before.map(([path, alt]) => [path, accepted.get(colourOf(path)!) ?? alt]));
    expect(await page.evaluate((src) => document.querySelector(`img[src="/img/${src}.png"]`)!.hasAttribute('alt'), colours[1])).toBe(false);
    // Counted again: only the rejected image still lacks alt text.
    await expect.poll(() => pageSummary(popup).text()).toBe('1 image missing alt text');
    await screenshot(popup, 'popup-4-applied', { fullPage: true });
    await popup.close();
    await page.close();
  });
});
