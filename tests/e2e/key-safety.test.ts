import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { startStaticServer, type StaticServer } from '../support/static-server';
import { READ_KEY_EXPRESSION, readApiKeyIn } from '../support/api-key';

// The API key lives in the extension's own IndexedDB. A content script runs in the page's origin:
// its IndexedDB is the page's, so the same read that finds the key in the options page finds
// nothing there. storage.local (where earlier versions kept the key, and which Chromium opens to
// content scripts unless told otherwise) is closed to them too, and no longer holds the key.
let browser: ExtensionBrowser;
let site: StaticServer;

beforeAll(async () => {
  site = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Evaluates in the page's world of the AltScout content script, through the DevTools protocol. */
async function inContentScript(page: Page, expression: string): Promise<unknown> {
  const cdp: CDPSession = await browser.context.newCDPSession(page);
  const worlds: Array<{ id: number; name: string; auxData?: { type?: string } }> = [];
  cdp.on('Runtime.executionContextCreated', (event) => worlds.push(event.context));
  await cdp.send('Runtime.enable');
  await expect.poll(() => worlds.some((w) => w.auxData?.type === 'isolated' && w.name === 'AltScout')).toBe(true);
  const world = worlds.find((w) => w.auxData?.type === 'isolated' && w.name === 'AltScout')!;
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true });
  await cdp.detach();
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value;
}

describe('the API key and content scripts', () => {
  it('moves a key kept by an earlier version out of storage.local, into the extension IndexedDB only its own pages can open', async () => {
    const KEY = 'sk-or-v1-secret-test-key';
    // As an earlier version left it.
    await browser.worker.evaluate((key) => chrome.storage.local.set({ apiKey: key }), KEY);

    // The options page reads the key (moving it on first use) and shows it in its field.
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await expect.poll(() => options.getByLabel('API key', { exact: true }).inputValue()).toBe(KEY);
    expect(await readApiKeyIn(options)).toBe(`key: ${KEY}`);
    expect(await browser.worker.evaluate(() => chrome.storage.local.get(null))).not.toHaveProperty('apiKey');

    const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
    // The content script is injected when AltScout is opened on the page.
    const popup = await browser.openPopup(tabId);
    await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toMatch(/missing alt text/);
    await popup.close();
    // The same read, in the content script's world, opens the page's IndexedDB: no key there.
    const fromContentDb = await inContentScript(page, READ_KEY_EXPRESSION);
    expect(fromContentDb).toBe('no key store');
    // storage.local is closed to content scripts (defence in depth: it no longer holds the key anyway).
    const fromContentStorage = await inContentScript(page, `chrome.storage.local.get(null).then((v) => 'read: ' + JSON.stringify(v), (e) => 'refused: ' + e.message)`);
    expect(fromContentStorage).toMatch(/^refused: /);
    for (const answer of [fromContentDb, fromContentStorage]) expect(String(answer)).not.toContain('sk-or-v1');

    await options.close();
    await page.close();
  });
});
