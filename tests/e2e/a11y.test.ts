import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../support/browser';
import { startExtensionWorld, type ExtensionWorld } from '../support/extension-world';
import { screenshot } from '../support/screenshots';
import type { StaticServer } from '../support/static-server';
import type { FakeOpenRouter } from '../support/fake-openrouter';

/** axe-core over AltScout's own pages in each state a user sees, in light and dark mode. */

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: ExtensionBrowser;
let site: StaticServer;
let fake: FakeOpenRouter;
let tabId: number;

interface Violation { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }

/** Runs axe in the page (page.evaluate is not subject to the extension's CSP) for WCAG 2.2 A/AA and best practice. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const found = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations;
  })) as Violation[];
  return found.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function inBothSchemes(page: Page, label: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    expect(await violations(page), `${label} in ${colorScheme} mode`).toEqual([]);
  }
}

let world: ExtensionWorld;

beforeAll(async () => {
  world = await startExtensionWorld();
  ({ browser, site, fake } = world);
  ({ tabId } = await browser.openTab(`${site.url}/demo.html`));
});
afterAll(() => world?.close());

describe('accessibility of AltScout pages (axe-core)', () => {
  it('popup: summary and model choice, then the full model list', async () => {
    const popup = await browser.openPopup(tabId);
    await popup.getByRole('radio', { name: /Budget/ }).waitFor();
    await inBothSchemes(popup, 'popup before a job');
    await popup.getByRole('button', { name: /More models/ }).click();
    await popup.getByRole('table').waitFor();
    await inBothSchemes(popup, 'popup with the model list open');
    const width = await popup.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(400);
    await popup.close();
  });

  it('popup: review list after a job, with a rejected item', async () => {
    const popup = await browser.openPopup(tabId);
    await popup.getByRole('button', { name: 'Generate alt text' }).click();
    await expect.poll(() => popup.getByRole('status', { name: 'Job status' }).textContent(), { timeout: 30_000 }).toMatch(/^Described/);
    await popup.locator('ol.review > li').first().getByRole('button', { name: 'Reject' }).click();
    await inBothSchemes(popup, 'popup review');
    await popup.emulateMedia({ colorScheme: 'dark' });
    await screenshot(popup, 'popup-dark');
    await popup.close();
  });

  it('popup: asking for access to the sites a step needs, then asking the browser from the click', async () => {
    // This test build may read every site, so the popup page is told it may read none. The real
    // permissions.request then runs from the key press (Chrome wants a user activation for it) and
    // grants what the build already holds, and the job starts. The page's own images need no
    // grant (opening AltScout on the page lets it read them): one image comes from another host.
    const { page, tabId: withCdn } = await browser.openTab(`${site.url}/demo.html`);
    await page.evaluate((src) => {
      const img = document.createElement('img');
      Object.assign(img, { src, width: 60, height: 45 });
      document.body.append(img);
    }, `${site.url.replace('127.0.0.1', 'localhost')}/img/red.png`);
    const popup = await browser.context.newPage();
    await popup.addInitScript(() => {
      Object.assign(chrome.permissions, { contains: async () => false });
    });
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${withCdn}`);
    await popup.getByRole('button', { name: 'Generate alt text' }).click();
    const prompt = popup.getByRole('group', { name: 'Allow AltScout to read this site?' });
    await prompt.waitFor();
    expect(await prompt.getByRole('list', { name: 'Sites to allow' }).textContent()).toBe('localhost (http)');
    await expect.poll(() => popup.evaluate(() => document.activeElement?.textContent)).toBe('This site');
    await inBothSchemes(popup, 'popup asking for host access');
    await popup.emulateMedia({ colorScheme: 'light' });
    await screenshot(popup, 'popup-access');
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.getByRole('status', { name: 'Job status' }).textContent(), { timeout: 30_000 }).toMatch(/^Described/);
    expect(await popup.getByRole('status', { name: 'Last action' }).textContent()).not.toMatch(/Could not ask/);
    await popup.close();
    await page.close();
  });

  it('full report page', async () => {
    const report = await browser.openPopup(tabId, 'report.html');
    await report.setViewportSize({ width: 1100, height: 800 });
    await report.getByRole('textbox', { name: 'Alt text for image 1', exact: true }).waitFor();
    await inBothSchemes(report, 'report');
    await report.close();
  });

  it('the context menu\'s single-image window', async () => {
    const query = new URLSearchParams({ tab: String(tabId), image: `${site.url}/img/red.png`, frame: '0', page: `${site.url}/demo.html` });
    const single = await browser.context.newPage();
    await single.setViewportSize({ width: 460, height: 620 });
    await single.goto(`chrome-extension://${browser.extensionId}/report.html?${query}`);
    await single.getByRole('textbox', { name: 'Alt text for this image' }).waitFor({ timeout: 30_000 });
    await inBothSchemes(single, 'single-image window');
    await single.close();
  });

  it('options page, including a failed save', async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByRole('button', { name: 'Save' }).waitFor();
    await inBothSchemes(options, 'options');
    await options.getByRole('spinbutton', { name: 'Images described at once' }).fill('99');
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.getByRole('status', { name: 'Settings status' }).textContent()).toMatch(/^Not saved/);
    await inBothSchemes(options, 'options with an error');
    await options.close();
  });

  it('popup: the findings list opened, filtered', async () => {
    const popup = await browser.openPopup(tabId);
    await popup.getByRole('button', { name: /^All findings/ }).click();
    await popup.getByRole('list', { name: 'Findings' }).waitFor();
    await inBothSchemes(popup, 'popup findings list');
    await popup.getByRole('radio', { name: /^Suspicious/ }).check();
    await inBothSchemes(popup, 'popup findings list, suspicious only');
    await popup.close();
  });

  it('models page, for both tasks', async () => {
    const models = await browser.context.newPage();
    await models.setViewportSize({ width: 1100, height: 800 });
    await models.goto(`chrome-extension://${browser.extensionId}/models.html`);
    await models.getByRole('table').waitFor();
    await inBothSchemes(models, 'models page (captioning)');
    await models.getByRole('radio', { name: /Generation/ }).check();
    await models.getByRole('columnheader', { name: 'Tier' }).waitFor();
    await expect.poll(() => models.getByRole('table').getByRole('caption').textContent()).toMatch(/^Generation/);
    await models.getByRole('button', { name: /Quality/ }).click();
    await inBothSchemes(models, 'models page (generation, sorted)');
    await models.close();
  });
});
