import { describe, expect, it } from 'vitest';
import { inBrowser, screenshot, useScenarioWorld } from '../support/scenario';

/**
 * The model choice in the popup: the four tiers with each pick's quality and price, Budget on
 * first run, the choice stored, what the run will cost; all in a 400 × 600 popup.
 */

const world = useScenarioWorld();

const storedModel = async () =>
  ((await world.driver.readStorage('local', ['settings'])).settings as { modelId: string | null } | undefined)?.modelId ?? null;

describe(inBrowser('model tiers'), () => {
  it('shows the four tiers with quality and price, and stores the one picked', async () => {
    const page = await world.driver.openPage(`${world.site.url}/basic.html`);
    const popup = await world.driver.openPopup(page.tabId);
    await expect.poll(() => popup.get('status', 'Page summary').text(), { timeout: 15_000 }).toBe('4 images missing alt text');

    // Named for what the choice applies to: the default model (no site has its own yet).
    const model = popup.get('group', 'Your default model');
    await model.get('radio', /^Budget /).waitFor();
    expect(await model.get('radio').count()).toBe(4);
    // Each tier names its pick with the pick's quality, where that figure comes from, and price per
    // 1,000 images; the pick in use says where its quality comes from in a sentence instead.
    for (const tier of ['Free', 'Budget', 'Balanced', 'Best quality']) {
      const figure = '(quality \\d+( \\((vision benchmark|general benchmark|your reviews|your comparisons)\\))?|unrated)';
      expect(await model.get('radio', new RegExp(`^${tier} .+ ${figure} · (free|\\$[\\d.,]+ per 1,000 images)( · quality from .+)?$`)).count(), tier).toBe(1);
    }
    expect(await model.get('radio', /^Free .+ · free$/).count()).toBe(1);

    // Budget is the first-run default; choosing another tier and back proves the choice is stored.
    const budget = model.get('radio', /^Budget /);
    expect(await budget.isChecked()).toBe(true);
    expect(await storedModel()).toBeNull();
    await model.get('radio', /^Balanced /).check();
    await expect.poll(storedModel).toBeTruthy();
    const balancedId = await storedModel();
    await budget.check();
    await expect.poll(storedModel).not.toBe(balancedId);
    expect(await storedModel()).toBeTruthy();
    expect(await budget.isChecked()).toBe(true);
    expect(await model.get('radio', /^Balanced /).isChecked()).toBe(false);

    // What the run will cost is the Generate button's description.
    const generate = popup.get('button', 'Generate alt text');
    await expect.poll(() => generate.description()).toMatch(/^Describe 4 images with .+ — (about \$|free)/);
    // It all fits the popup: no sideways scrolling, and the main action in view without scrolling.
    expect(await popup.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    const box = await generate.box();
    expect(box.y + box.height).toBeLessThanOrEqual(600);
    await screenshot(popup, 'popup-1-summary');
    await popup.close();
    await page.close();
  });
});
