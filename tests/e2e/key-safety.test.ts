import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { startStaticServer, type StaticServer } from '../support/static-server';

// The API key is stored in storage.local. Chromium opens that area to content scripts unless the
// extension closes it; the worker does on start. Read from the content script's own world (the
// isolated world Chromium runs it in), the area must refuse, while extension pages still read it.
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
  it('cannot be read from the content script, while the options page reads it', async () => {
    await browser.worker.evaluate(() => chrome.storage.local.set({ apiKey: 'sk-or-v1-secret-test-key' }));
    const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
    // The content script is injected when AltScout is opened on the page.
    const popup = await browser.openPopup(tabId);
    await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toMatch(/missing alt text/);
    await popup.close();
    const fromContent = await inContentScript(page, `chrome.storage.local.get('apiKey').then((v) => 'read: ' + JSON.stringify(v), (e) => 'refused: ' + e.message)`);
    expect(fromContent).toMatch(/^refused: /);
    expect(String(fromContent)).not.toContain('sk-or-v1');

    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    expect(await options.evaluate(async () => (await chrome.storage.local.get('apiKey')).apiKey)).toBe('sk-or-v1-secret-test-key');
    await options.close();
    await page.close();
  });
});
