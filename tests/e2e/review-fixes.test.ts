import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../support/browser';
import { startExtensionWorld, type ExtensionWorld } from '../support/extension-world';
import type { StaticServer } from '../support/static-server';
import type { FakeOpenRouter } from '../support/fake-openrouter';
import { colourName } from '../support/image-colour';
import { useModelServer } from '../tools/use-model-server';

/**
 * Review details in real Chromium: Regenerate pays for a new description of one image, a
 * decorative verdict is applied as alt="" where that is valid (and refused with a reason where
 * it is not). Highlights remembered per tab are a shared scenario (tests/scenarios/highlights.test.ts).
 */

let browser: ExtensionBrowser;
let site: StaticServer;
let fake: FakeOpenRouter;

let world: ExtensionWorld;

beforeAll(async () => {
  world = await startExtensionWorld();
  ({ browser, site, fake } = world);
});
afterAll(() => world?.close());

const altBox = (popup: Page, n: number) => popup.getByRole('textbox', { name: `Alt text for image ${n}`, exact: true });
const lastAction = (popup: Page) => popup.getByRole('status', { name: 'Last action' });
const colourOf = (src: string | null) => /\/img\/(\w+)\.png$/.exec(src ?? '')?.[1];

async function openFixture(): Promise<{ page: Page; tabId: number; popup: Page }> {
  const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
  const popup = await browser.openPopup(tabId);
  await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toBe('4 images missing alt text');
  return { page, tabId, popup };
}

/** Generates with the Budget tier and returns the colour each review item shows, in order. */
async function generate(popup: Page): Promise<string[]> {
  await popup.getByRole('radio', { name: /Budget/ }).check();
  await popup.getByRole('button', { name: 'Generate alt text' }).click();
  await expect.poll(() => popup.getByRole('status', { name: 'Job status' }).textContent(), { timeout: 30_000 }).toMatch(/^Described 4 of 4 images/);
  const srcs = await popup.locator('ol.review > li img.thumb').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
  return srcs.map((s) => colourOf(s)!);
}

describe('review details', () => {
  it('Regenerate describes one image again, for a fee, and leaves the others as they were', async () => {
    fake.reset();
    await useModelServer(browser.worker, fake.apiBase);
    const { page, popup } = await openFixture();
    const colours = await generate(popup);
    const before = await Promise.all(colours.map((_, i) => altBox(popup, i + 1).inputValue()));
    expect(fake.completions()).toHaveLength(4);

    fake.setAnswer((caption) => `${caption}, second look`);
    await popup.locator('ol.review > li').nth(1).getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => altBox(popup, 2).inputValue(), { timeout: 15_000 }).toBe(`${before[1]}, second look`);
    expect(fake.completions()).toHaveLength(5);
    expect(await Promise.all([1, 3, 4].map((n) => altBox(popup, n).inputValue()))).toEqual([before[0], before[2], before[3]]);
    await popup.close();
    await page.close();
  });

  it('applies a decorative verdict as alt="" on an image, refuses it for the only content of a link, and undo restores the page', async () => {
    fake.reset();
    await useModelServer(browser.worker, fake.apiBase);
    // The model calls the red and yellow swatches decorative; yellow is the whole content of a link.
    fake.setAnswer((caption, rgb) => (['red', 'yellow'].includes(colourName(rgb)) ? 'Decorative.' : caption));
    const { page, popup } = await openFixture();
    const originalBody = await page.evaluate(() => document.body.innerHTML);
    const colours = await generate(popup);
    const red = colours.indexOf('red') + 1;
    const yellow = colours.indexOf('yellow') + 1;
    expect(await altBox(popup, red).inputValue()).toBe('');
    expect(await popup.locator('ol.review > li').nth(red - 1).textContent()).toMatch(/applying marks it so \(alt=""\)/);

    await popup.getByRole('button', { name: 'Apply to page' }).click();
    await expect.poll(() => lastAction(popup).textContent()).toMatch(/^Applied alt text to 3 images on the page\. 1 skipped: It is all there is in a link/);
    const alts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('img')].map((i) => [new URL(i.src).pathname, i.getAttribute('alt')])));
    expect(alts['/img/red.png']).toBe('');
    expect(alts['/img/yellow.png']).toBeNull();
    expect(alts['/img/green.png']).toMatch(/^A green swatch/);
    // The reason stands beside the item it concerns.
    expect(await popup.locator('ol.review > li').nth(yellow - 1).textContent()).toMatch(/Not applied: It is all there is in a link/);
    // Recounted: red is now decorative, yellow still missing.
    await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toBe('1 image missing alt text');

    await popup.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => lastAction(popup).textContent()).toBe('Undone: 3 images restored as they were.');
    expect(await page.evaluate(() => document.body.innerHTML)).toBe(originalBody);
    await popup.close();
    await page.close();
  });
});
