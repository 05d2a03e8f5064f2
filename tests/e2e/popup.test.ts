import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../support/browser';
import { startExtensionWorld, type ExtensionWorld } from '../support/extension-world';
import { screenshot } from '../support/screenshots';
import type { StaticServer } from '../support/static-server';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { useModelServer } from '../tools/use-model-server';

/**
 * The popup's whole job in real Chromium against the fake OpenRouter: pick a tier, generate,
 * review, apply, undo, export; a 402 mid-job; and a popup closed and reopened mid-job. The tier
 * choice and saving the options are shared scenarios run in Chromium and Firefox (tests/scenarios/).
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

/** The Budget tier's pick in the worker's ranking: the model the popup offers first. */
const budgetPick = (popup: Page) =>
  popup.evaluate(async () => {
    const reply = await chrome.runtime.sendMessage({ id: 1, type: 'getRanking', data: { task: 'captioning' }, timestamp: Date.now() });
    return reply.res.tiers.budget.pick as string;
  });

const jobStatus = (popup: Page) => popup.getByRole('status', { name: 'Job status' });
const lastAction = (popup: Page) => popup.getByRole('status', { name: 'Last action' });
const altBox = (popup: Page, n: number) => popup.getByRole('textbox', { name: `Alt text for image ${n}`, exact: true });
const colourOf = (src: string | null) => /\/img\/(\w+)\.png$/.exec(src ?? '')?.[1];

/** For each review item: which fixture colour its thumbnail shows. */
async function itemColours(popup: Page): Promise<Array<string | undefined>> {
  const srcs = await popup.locator('ol.review > li img.thumb').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
  return srcs.map(colourOf);
}

const imagesOnPage = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('img')].map((i) => [new URL(i.src).pathname, i.getAttribute('alt')] as [string, string | null]));

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

describe('popup: pick, generate, review, apply, undo, export', () => {
  it('fills every missing image with its own caption and applies exactly what was accepted', async () => {
    fake.reset();
    const { page, popup } = await openFixture();
    const originalBody = await page.evaluate(() => document.body.innerHTML);
    const originalImages = await imagesOnPage(page);

    // The tier choice (Budget on first run, the pick stored, the cost, the fit in 400 × 600) is the
    // shared scenario tests/scenarios/tiers.test.ts; here the job runs on the Budget pick.
    expect(await popup.getByRole('radio', { name: /Budget/ }).isChecked()).toBe(true);
    const budgetId = await budgetPick(popup);
    await popup.getByRole('button', { name: 'Generate alt text' }).click();
    await expect.poll(() => jobStatus(popup).textContent(), { timeout: 30_000 }).toMatch(/^Described 4 of 4 images/);
    await expect.poll(() => popup.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('4');

    // Every request went to the picked model, and every image got the caption for its own colour.
    expect(fake.completions().map((r) => (r.body as { model: string }).model)).toEqual(Array(4).fill(budgetId));
    const colours = await itemColours(popup);
    expect([...colours].sort()).toEqual(['green', 'orange', 'red', 'yellow']);
    for (const [i, colour] of colours.entries()) {
      await expect.poll(() => altBox(popup, i + 1).inputValue()).toMatch(new RegExp(`^A ${colour} swatch \\(#[0-9a-f]{6}\\)$`));
    }
    await fitsPopup(popup);
    await screenshot(popup, 'popup-3-review', { fullPage: true });

    // Edit the first, reject the second, accept the rest.
    const edited = `A bright ${colours[0]} tile, edited by hand`;
    await altBox(popup, 1).fill(edited);
    const reject = popup.locator('ol.review > li').nth(1).getByRole('button', { name: 'Reject' });
    await reject.click();
    await expect.poll(() => reject.getAttribute('aria-pressed')).toBe('true');
    const accepted = new Map<string, string>([[colours[0]!, edited]]);
    for (const i of [2, 3]) accepted.set(colours[i]!, await altBox(popup, i + 1).inputValue());

    await popup.getByRole('button', { name: 'Apply to page' }).click();
    await expect.poll(() => lastAction(popup).textContent()).toBe('Applied alt text to 3 images on the page.');
    const expected = originalImages.map(([path, alt]) => [path, accepted.get(colourOf(path)!) ?? alt]);
    expect(await imagesOnPage(page)).toEqual(expected);
    expect(await page.evaluate(() => document.querySelector('img[src="/img/green.png"]')!.hasAttribute('alt'))).toBe(false);
    await screenshot(popup, 'popup-4-applied', { fullPage: true });

    // Export before undo: the report records decisions, not the page's current state.
    const [download] = await Promise.all([popup.waitForEvent('download'), popup.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^altscout-127\.0\.0\.1-\d{4}-\d\d-\d\d\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('page_url,selector,image_url,status,old_alt,new_alt,decision,model,cost_usd,error');
    expect(csv).toHaveLength(5);
    expect(csv.find((l) => l.includes(`/img/${colours[0]}.png`))).toContain(`,"${edited}",edited,${budgetId},`);
    expect(csv.find((l) => l.includes(`/img/${colours[1]}.png`))).toContain(',missing,,,rejected,');
    expect(csv.filter((l) => l.includes(',accepted,'))).toHaveLength(2);

    await popup.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => lastAction(popup).textContent()).toBe('Undone: 3 images restored as they were.');
    expect(await page.evaluate(() => document.body.innerHTML)).toBe(originalBody);
    await popup.close();
    await page.close();
  });

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
