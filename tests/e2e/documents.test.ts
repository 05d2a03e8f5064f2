import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ask, type ExtensionBrowser } from '../support/browser';
import { startExtensionWorld, type ExtensionWorld } from '../support/extension-world';
import type { StaticServer } from '../support/static-server';

/**
 * Contract 5 in real Chromium: a job is bound to the document it was made on. Once the tab
 * reloads, or goes to another page, Apply and Undo write nothing into whatever the tab shows now,
 * and say the page changed. Before, page 1's captions landed on page 2's images.
 */
let world: ExtensionWorld;
let browser: ExtensionBrowser;
let site: StaticServer;

beforeAll(async () => {
  world = await startExtensionWorld();
  ({ browser, site } = world);
});
afterAll(() => world?.close());

const lastAction = (popup: Page) => popup.getByRole('status', { name: 'Last action' });
const body = (page: Page) => page.evaluate(() => document.body.innerHTML);

/** A popup for `basic.html` whose job has described its four images. */
async function describedPage(): Promise<{ page: Page; tabId: number; popup: Page }> {
  world.fake.reset();
  const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
  const popup = await browser.openPopup(tabId);
  await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toBe('4 images missing alt text');
  await popup.getByRole('button', { name: 'Generate alt text' }).click();
  await expect.poll(() => popup.getByRole('status', { name: 'Job status' }).textContent(), { timeout: 30_000 }).toMatch(/^Described 4 of 4 images/);
  return { page, tabId, popup };
}

async function applyAndUndoChangeNothing(page: Page, popup: Page) {
  const before = await body(page);
  await popup.getByRole('button', { name: 'Apply to page' }).click();
  await expect.poll(() => lastAction(popup).textContent()).toMatch(/page changed/i);
  expect(await body(page)).toBe(before);
  // The fake model's captions ("A red swatch (#…)") are nowhere on the page.
  expect(await page.evaluate(() => [...document.querySelectorAll('img[alt]')].filter((i) => i.getAttribute('alt')!.includes('swatch')).length)).toBe(0);
  await popup.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => lastAction(popup).textContent()).toMatch(/page changed/i);
  expect(await body(page)).toBe(before);
}

describe('a job stays with the page it was made on', () => {
  it('after a reload, Apply and Undo change nothing and say the page changed', async () => {
    const { page, popup } = await describedPage();
    await page.reload();
    await applyAndUndoChangeNothing(page, popup);
    await popup.close();
    await page.close();
  });

  it('after the tab goes to another page (which AltScout has scanned since), Apply and Undo change nothing there', async () => {
    const { page, tabId, popup } = await describedPage();
    await page.goto(`${site.url}/scan-rules.html`);
    // AltScout opened on page 2: its agent answers there now, with page 2's document token.
    const second = await browser.openPopup(tabId);
    await expect.poll(() => second.getByRole('status', { name: 'Page summary' }).textContent()).toMatch(/missing alt text/);
    await second.close();
    await applyAndUndoChangeNothing(page, popup);

    // The worker says so too: every item skipped, none applied.
    const job = await ask(popup, 'getJob', { tabId });
    const answer = await ask(popup, 'applyToTab', { tabId, items: job.items.map((i: { id: string; src: string }) => ({ id: i.id, src: i.src, text: 'Page 1 text' })) });
    expect(answer).toMatchObject({ applied: [], pageChanged: true });
    expect(answer.skipped).toHaveLength(4);
    await popup.close();
    await page.close();
  });

  it('on the page it was made on, Apply and Undo still work', async () => {
    const { page, popup } = await describedPage();
    const before = await body(page);
    await popup.getByRole('button', { name: 'Apply to page' }).click();
    await expect.poll(() => lastAction(popup).textContent()).toBe('Applied alt text to 4 images on the page.');
    await popup.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => lastAction(popup).textContent()).toBe('Undone: 4 images restored as they were.');
    expect(await body(page)).toBe(before);
    await popup.close();
    await page.close();
  });
});
