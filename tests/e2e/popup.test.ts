import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../support/browser';
import { startExtensionWorld, type ExtensionWorld } from '../support/extension-world';
import { screenshot } from '../support/screenshots';
import type { StaticServer } from '../support/static-server';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { useModelServer } from '../tools/use-model-server';

/**
 * The popup in real Chromium against the fake OpenRouter: a 402 mid-job, a popup closed and
 * reopened mid-job, the keyboard, the context menu's window, options saved meanwhile. The main flow
 * (tiers, generate, review, apply, undo, export, highlights) and saving the options are shared
 * scenarios run in Chromium and Firefox (tests/scenarios/).
 * `npm run screenshots` takes the README's screenshots of each step here (tests/support/screenshots.ts).
 */

let browser: ExtensionBrowser;
let site: StaticServer;
let fake: FakeOpenRouter;

const useServer = (apiBase: string, extra: Parameters<typeof useModelServer>[2] = {}) => useModelServer(browser.worker, apiBase, extra);

async function openFixture(): Promise<{ page: Page; tabId: number; popup: Page }> {
  const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
  const popup = await browser.openPopup(tabId);
  // No bar animation: screenshots show the progress the page reports.
  await popup.emulateMedia({ reducedMotion: 'reduce' });
  await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toBe('4 images missing alt text');
  return { page, tabId, popup };
}

const jobStatus = (popup: Page) => popup.getByRole('status', { name: 'Job status' });
const altBox = (popup: Page, n: number) => popup.getByRole('textbox', { name: `Alt text for image ${n}`, exact: true });
const colourOf = (src: string | null) => /\/img\/(\w+)\.png$/.exec(src ?? '')?.[1];

/** For each review item: which fixture colour its thumbnail shows. */
async function itemColours(popup: Page): Promise<Array<string | undefined>> {
  const srcs = await popup.locator('ol.review > li img.thumb').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
  return srcs.map(colourOf);
}

async function fitsPopup(popup: Page) {
  const { scrollWidth, clientWidth } = await popup.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

let world: ExtensionWorld;

beforeAll(async () => {
  world = await startExtensionWorld();
  ({ browser, site, fake } = world);
});
afterAll(() => world?.close());

describe('popup', () => {
  it('shows the credit message on a 402 and keeps every finished description', async () => {
    // Credit for two captions: the third and fourth requests get OpenRouter's 402.
    const poor = await startFakeOpenRouter({ creditUsd: 0.00005, costPerRequest: 0.00002 });
    try {
      await useServer(poor.apiBase);
      const { page, popup } = await openFixture();
      await popup.getByRole('radio', { name: /Budget/ }).check();
      await popup.getByRole('button', { name: 'Generate alt text' }).click();
      await expect.poll(() => jobStatus(popup).textContent(), { timeout: 30_000 }).toMatch(/credit/i);
      const finished = poor.completions().length;
      expect(finished).toBe(2);
      const colours = await itemColours(popup);
      let boxes = 0;
      for (const [i, colour] of colours.entries()) {
        const box = altBox(popup, i + 1);
        if (await box.count()) {
          boxes += 1;
          expect(await box.inputValue()).toMatch(new RegExp(`^A ${colour} swatch`));
        }
      }
      expect(boxes).toBe(finished);
      await fitsPopup(popup);
      await screenshot(popup, 'popup-5-no-credit', { fullPage: true });
      await popup.close();
      await page.close();
    } finally {
      await useServer(fake.apiBase);
      await poor.close();
    }
  });

  it('shows the running job with its progress when the popup is closed and reopened', async () => {
    fake.reset();
    // Two at a time, 1.5 s each: the job is still running when the popup comes back.
    await useServer(fake.apiBase, { concurrency: 2 });
    fake.setLatency(1500);
    try {
      const { page, tabId, popup } = await openFixture();
      await popup.getByRole('radio', { name: /Budget/ }).check();
      await popup.getByRole('button', { name: 'Generate alt text' }).click();
      await popup.getByRole('progressbar').waitFor();
      await popup.close();

      const again = await browser.openPopup(tabId);
      await again.emulateMedia({ reducedMotion: 'reduce' });
      const bar = again.getByRole('progressbar');
      await bar.waitFor();
      expect(await jobStatus(again).textContent()).toMatch(/^Describing \d of 4 images…/);
      expect(await bar.getAttribute('aria-valuemax')).toBe('4');
      expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(4);
      await expect.poll(() => again.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true);
      await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 10_000 }).toBe('2');
      await again.getByRole('status', { name: 'Job status' }).scrollIntoViewIfNeeded();
      await screenshot(again, 'popup-2-progress');
      await expect.poll(() => jobStatus(again).textContent(), { timeout: 30_000 }).toMatch(/^Described 4 of 4 images/);
      expect(await bar.getAttribute('aria-valuenow')).toBe('4');
      await again.close();
      await page.close();
    } finally {
      fake.setLatency(0);
      await useServer(fake.apiBase);
    }
  });

  it('works from the keyboard alone, with a visible focus ring', async () => {
    fake.reset();
    await useServer(fake.apiBase);
    const { page, popup } = await openFixture();
    const focused = () =>
      popup.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const label = el.closest('label')?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '';
        return { tag: el.tagName, type: el.getAttribute('type'), label: label.trim(), outline: getComputedStyle(el).outlineStyle };
      });
    // Tab to the model group, arrow to Budget, Tab on to Generate.
    for (let i = 0; i < 15 && (await focused()).type !== 'radio'; i++) await popup.keyboard.press('Tab');
    expect((await focused()).type).toBe('radio');
    for (let i = 0; i < 4 && !(await focused()).label.startsWith('Budget'); i++) await popup.keyboard.press('ArrowDown');
    expect((await focused()).label).toMatch(/^Budget/);
    expect(await popup.getByRole('radio', { name: /Budget/ }).isChecked()).toBe(true);
    expect((await focused()).outline).not.toBe('none');
    for (let i = 0; i < 15 && (await focused()).label !== 'Generate alt text'; i++) await popup.keyboard.press('Tab');
    expect((await focused()).outline).not.toBe('none');
    await popup.keyboard.press('Enter');
    await expect.poll(() => jobStatus(popup).textContent(), { timeout: 30_000 }).toMatch(/^Described 4 of 4/);
    // Reject the first suggestion with the keyboard: Tab into its text box, then to its Reject button.
    await altBox(popup, 1).focus();
    await popup.keyboard.press('Tab');
    expect((await focused()).label).toBe('Reject');
    await popup.keyboard.press('Space');
    expect(await popup.locator('ol.review > li').first().getByRole('button', { name: 'Reject' }).getAttribute('aria-pressed')).toBe('true');
    await popup.close();
    await page.close();
  });

  it('describes one image in the window the context menu opens, without disturbing the popup', async () => {
    fake.reset();
    await useServer(fake.apiBase);
    const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
    const menuWindow = await browser.context.newPage();
    const query = new URLSearchParams({ tab: String(tabId), image: `${site.url}/img/purple.png`, frame: '0', page: page.url() });
    await menuWindow.goto(`chrome-extension://${browser.extensionId}/report.html?${query}`);
    const box = menuWindow.getByRole('textbox', { name: 'Alt text for this image' });
    await expect.poll(() => box.count(), { timeout: 30_000 }).toBe(1);
    expect(await box.inputValue()).toMatch(/^A purple swatch/);
    expect(await menuWindow.getByRole('status').textContent()).toMatch(/^Described by .+ for /);
    await menuWindow.close();
    const popup = await browser.openPopup(tabId);
    await popup.getByRole('button', { name: 'Generate alt text' }).waitFor();
    expect(await popup.getByRole('progressbar').count()).toBe(0);
    await popup.close();
    await page.close();
  });

  it('options: saving keeps a model picked in the popup while the options page was open', async () => {
    await useServer(fake.apiBase);
    const storedModel = () => browser.worker.evaluate(async () => ((await chrome.storage.local.get('settings')).settings as { modelId: string | null }).modelId);
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByRole('button', { name: 'Save' }).waitFor();
    const { page, popup } = await openFixture();
    await popup.getByRole('radio', { name: /Best quality/ }).check();
    await expect.poll(storedModel).toBeTruthy();
    const picked = await storedModel();
    await options.getByRole('checkbox', { name: 'Mark as AI-generated' }).check();
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.getByRole('status', { name: 'Settings status' }).textContent()).toBe('Saved.');
    expect(await storedModel()).toBe(picked);
    await options.close();
    await popup.close();
    await page.close();
    await useServer(fake.apiBase);
  });
});
