import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../support/browser';
import { startExtensionWorld, type ExtensionWorld } from '../support/extension-world';
import { screenshot } from '../support/screenshots';
import type { StaticServer } from '../support/static-server';
import type { FakeOpenRouter } from '../support/fake-openrouter';

/**
 * The auditor's views in real Chromium: the findings list (report page and popup) with its status
 * filter and "Show on page", and the models page with its task switch, sorting and price refresh.
 * `npm run screenshots` takes the README's screenshots here (tests/support/screenshots.ts).
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

/** The demo page in a window short enough that its last images start out of view. */
async function shortDemoPage(): Promise<{ page: Page; tabId: number }> {
  const opened = await browser.openTab(`${site.url}/demo.html`);
  await opened.page.setViewportSize({ width: 800, height: 220 });
  await opened.page.evaluate(() => window.scrollTo(0, 0));
  return opened;
}

/** Whether the image with this path is inside the page's viewport now. */
const inView = (page: Page, path: string) =>
  page.evaluate((path) => {
    const img = [...document.images].find((i) => new URL(i.src).pathname === path)!;
    const r = img.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  }, path);

const findingsList = (page: Page) => page.getByRole('list', { name: 'Findings' });

describe('findings list', () => {
  it('report page: lists every finding, filters by status, and shows one on the page', async () => {
    const { page, tabId } = await shortDemoPage();
    expect(await inView(page, '/img/purple.png')).toBe(false);
    const report = await browser.openPopup(tabId, 'report.html');
    await report.setViewportSize({ width: 1100, height: 900 });
    await report.emulateMedia({ reducedMotion: 'reduce' });
    await report.getByRole('heading', { name: 'All findings (6)' }).waitFor();

    const filters = report.getByRole('group', { name: 'Show findings' });
    expect(await filters.getByRole('radio').evaluateAll((rs) => rs.map((r) => r.closest('label')!.textContent))).toEqual([
      'All (6)', 'Missing (3)', 'Suspicious (1)', 'Decorative (1)', 'OK (1)', 'Ignored (0)',
    ]);
    expect(await findingsList(report).getByRole('listitem').filter({ hasText: /^Finding/ }).count()).toBe(6);

    await filters.getByRole('radio', { name: 'Suspicious (1)' }).check();
    const suspicious = findingsList(report).locator(':scope > li');
    expect(await suspicious.count()).toBe(1);
    expect(await suspicious.textContent()).toContain('“IMG_2041.jpg”');
    expect(await suspicious.getByRole('link').textContent()).toBe(`${site.url}/img/blue.png`);

    await filters.getByRole('radio', { name: 'Decorative (1)' }).check();
    const decorative = findingsList(report).locator(':scope > li');
    expect(await decorative.textContent()).toContain('empty (decorative)');
    await decorative.getByRole('button', { name: /^Show finding \d+ on page$/ }).click();
    await expect.poll(() => report.getByRole('status', { name: 'Last action' }).textContent()).toMatch(/^Finding \d+ is shown on the page\.$/);
    await expect.poll(() => inView(page, '/img/purple.png')).toBe(true);

    await filters.getByRole('radio', { name: 'All (6)' }).check();
    await screenshot(report.locator('section.findings-panel'), 'report-findings');
    await report.close();
    await page.close();
  });

  it('popup: the list opens from a disclosure button and fits the popup', async () => {
    const { page, tabId } = await shortDemoPage();
    const popup = await browser.openPopup(tabId);
    const toggle = popup.getByRole('button', { name: 'All findings (6)' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await popup.getByRole('radio', { name: 'Missing (3)' }).check();
    expect(await findingsList(popup).locator(':scope > li').count()).toBe(3);
    // The figure's image is the last missing one; it starts below the short window's fold.
    const red = findingsList(popup).locator(':scope > li').filter({ hasText: '/img/red.png' });
    await red.getByRole('button', { name: /^Show finding \d+ on page$/ }).click();
    await expect.poll(() => inView(page, '/img/red.png')).toBe(true);
    const width = await popup.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(400);
    await popup.getByRole('radio', { name: 'All (6)' }).check();
    await toggle.scrollIntoViewIfNeeded();
    await screenshot(popup, 'popup-findings');
    await popup.close();
    await page.close();
  });
});

describe('review list', () => {
  it('"Show on page" beside a suggestion scrolls the page to its image', async () => {
    const { page, tabId } = await shortDemoPage();
    const popup = await browser.openPopup(tabId);
    await popup.getByRole('button', { name: 'Generate alt text' }).click();
    await expect.poll(() => popup.getByRole('status', { name: 'Job status' }).textContent(), { timeout: 30_000 }).toMatch(/^Described/);
    const item = popup.locator('ol.review > li').filter({ has: popup.locator('img.thumb[src$="/img/red.png"]') });
    const name = await item.getByRole('button', { name: /^Show image \d+ on page$/ }).textContent();
    expect(await inView(page, '/img/red.png')).toBe(false);
    await item.getByRole('button', { name: /^Show image \d+ on page$/ }).click();
    await expect.poll(() => inView(page, '/img/red.png')).toBe(true);
    // The page scrolls before the popup hears back, so wait for the reply too.
    await expect
      .poll(() => popup.getByRole('status', { name: 'Last action' }).textContent())
      .toBe(`${name!.replace('Show i', 'I').replace(' on page', '')} is shown on the page.`);
    await popup.close();
    await page.close();
  });
});

describe('models page', () => {
  it('ranks captioning and generation models, sorts them, and refreshes prices', async () => {
    const models = await browser.context.newPage();
    await models.setViewportSize({ width: 1100, height: 800 });
    await models.goto(`chrome-extension://${browser.extensionId}/models.html`);
    const table = models.getByRole('table');
    await table.waitFor();
    expect(await models.getByRole('radio', { name: /Captioning/ }).isChecked()).toBe(true);
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(100);
    // Every row carries the ranking's reasons; the top picks carry their tier.
    expect(await rows.first().locator('td').last().textContent()).not.toBe('—');
    expect(await table.locator('tbody td:nth-child(3)').allTextContents()).toEqual(expect.arrayContaining(['Free pick', 'Budget pick', 'Balanced pick', 'Best quality pick', 'Balanced runner-up']));

    await table.getByRole('button', { name: /Per 1,000/ }).click();
    expect(await table.getByRole('columnheader', { name: /Per 1,000/ }).getAttribute('aria-sort')).toBe('ascending');
    expect(await rows.first().locator('td').nth(3).textContent()).toBe('free');

    await models.getByRole('button', { name: 'Refresh prices' }).click();
    await expect.poll(() => models.getByRole('status', { name: 'Models status' }).textContent(), { timeout: 15_000 }).toMatch(/^Prices refreshed: \d+ models\.$/);
    expect(await models.locator('.catalog-line p').textContent()).toMatch(/^Prices from OpenRouter’s live catalog, fetched just now/);
    expect(fake.requests.some((r) => r.path.startsWith('/api/v1/models'))).toBe(true);

    await models.getByRole('radio', { name: /Generation/ }).check();
    await expect.poll(() => table.locator('tbody th').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('openai/gpt-5-image')]));
    await table.getByRole('button', { name: /Quality/ }).click();
    expect(await table.getByRole('columnheader', { name: /Quality/ }).getAttribute('aria-sort')).toBe('descending');
    // A message about the other task's list is cleared (the empty region is hidden, so not in the role tree).
    expect(await models.locator('[role=status][aria-label="Models status"]').textContent()).toBe('');

    await models.getByRole('radio', { name: /Captioning/ }).check();
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(100);
    await screenshot(models, 'models');
    await models.close();
  });
});
