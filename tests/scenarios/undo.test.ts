import { describe, expect, it } from 'vitest';
import { inBrowser, useScenarioWorld } from '../support/scenario';
import { generate, lastAction, openFixture, pageSummary } from '../support/popup-steps';

/** Undo: after Apply, the page is put back exactly as it was, markup and count. */

const world = useScenarioWorld();

describe(inBrowser('undo'), () => {
  it('puts the page back exactly as it was before Apply', async () => {
    const { page, popup } = await openFixture(world);
    const original = await page.evaluate(() => document.body.innerHTML);
    await generate(popup);
    await popup.get('button', 'Apply to page').click();
    await expect.poll(() => lastAction(popup).text()).toBe('Applied alt text to 4 images on the page.');
    await expect.poll(() => pageSummary(popup).text()).toBe('No images missing alt text.');
    expect(await page.evaluate(() => document.body.innerHTML)).not.toBe(original);

    await popup.get('button', 'Undo').click();
    await expect.poll(() => lastAction(popup).text()).toBe('Undone: 4 images restored as they were.');
    expect(await page.evaluate(() => document.body.innerHTML)).toBe(original);
    await expect.poll(() => pageSummary(popup).text()).toBe('4 images missing alt text');
    await popup.close();
    await page.close();
  });
});
