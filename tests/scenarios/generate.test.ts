import { describe, expect, it } from 'vitest';
import { inBrowser, screenshot, useScenarioWorld } from '../support/scenario';
import { altBox, budgetPick, captionPattern, generate, openFixture, reviewItem } from '../support/popup-steps';

/**
 * Generate: the popup's Budget pick describes every image that lacks alt text, each with the
 * caption of its own picture, and the review lists them with thumbnails and editable suggestions.
 */

const world = useScenarioWorld();

describe(inBrowser('generate'), () => {
  it('describes each missing image with its own caption from the picked model', async () => {
    world.fake.reset();
    const { page, popup } = await openFixture(world);
    const model = await budgetPick(popup);
    const colours = await generate(popup);

    // One request per image, every one to the picked model, and each image got its own colour.
    expect(world.fake.completions().map((r) => (r.body as { model: string }).model)).toEqual(Array(4).fill(model));
    expect([...colours].sort()).toEqual(['green', 'orange', 'red', 'yellow']);
    for (const [i, colour] of colours.entries()) expect(await altBox(popup, i + 1).value()).toMatch(captionPattern(colour));
    expect(await popup.get('progressbar').attribute('aria-valuenow')).toBe('4');
    // Each entry says what the image had: no alt.
    expect(await reviewItem(popup, 1).text()).toMatch(/missing alt/);
    // The review fits the popup's width.
    expect(await popup.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await screenshot(popup, 'popup-3-review', { fullPage: true });
    await popup.close();
    await page.close();
  });
});
