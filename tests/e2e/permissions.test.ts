import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { ask, EXTENSION_DIR, launchWithExtension, STORE_EXTENSION_DIR, type ExtensionBrowser } from '../support/browser';
import { startStaticServer, type StaticServer } from '../support/static-server';

// The store build, as users get it: no site granted up front, no content script registered. A
// click on AltScout's toolbar button (activeTab) is what lets it read a page; the test clicks it
// through DevTools, as automated browsers cannot click the toolbar.
let browser: ExtensionBrowser;
let site: StaticServer;
let other: StaticServer;

const manifest = (dir: string) => JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));

beforeAll(async () => {
  site = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
  other = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
  browser = await launchWithExtension({ build: 'store' });
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), other?.close()]);
});

/** The JavaScript worlds Chromium runs in a page, by name (extensions' isolated worlds carry theirs). */
async function worlds(page: Page): Promise<string[]> {
  const cdp: CDPSession = await browser.context.newCDPSession(page);
  const names: string[] = [];
  cdp.on('Runtime.executionContextCreated', (event) => names.push(event.context.name));
  await cdp.send('Runtime.enable');
  await page.waitForTimeout(200);
  await cdp.detach();
  return names;
}

describe('the store build', () => {
  it('asks for no site up front, registers no content script, and has no webNavigation', () => {
    const store = manifest(STORE_EXTENSION_DIR);
    expect(store.host_permissions ?? []).toEqual([]);
    expect(store.content_scripts).toBeUndefined();
    expect(store.permissions).not.toContain('webNavigation');
    expect([...store.permissions].sort()).toEqual(['activeTab', 'alarms', 'contextMenus', 'identity', 'scripting', 'storage']);
    expect(store.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
  });

  it('differs from the test build only in the test build\'s <all_urls>', () => {
    const { host_permissions: hosts, ...test } = manifest(EXTENSION_DIR);
    expect(hosts).toEqual(['<all_urls>']);
    expect(test).toEqual(manifest(STORE_EXTENSION_DIR));
  });

  it('ships no WXT content-script wrapper, whose start message told every page AltScout was there', () => {
    const agent = readFileSync(`${STORE_EXTENSION_DIR}/page-agent.js`, 'utf8');
    expect(agent).not.toMatch(/content-script-started|postMessage/);
  });

  it('reads nothing before the click; after it, scans the page and its same-site frames with activeTab alone and highlights them', async () => {
    const { page, tabId } = await browser.openTab(`${site.url}/scan-frames.html?other=${encodeURIComponent(other.url)}`);
    // Everything the page's own scripts could notice: messages to the window, globals.
    await page.evaluate(() => {
      (window as unknown as { heard: unknown[] }).heard = [];
      window.addEventListener('message', (event) => (window as unknown as { heard: unknown[] }).heard.push(event.data));
    });
    await page.frameLocator('#cross').locator('img').first().waitFor({ state: 'attached' });

    // Not clicked: the popup says how to let AltScout in, and nothing was injected.
    let popup = await browser.openPopup(tabId);
    await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toMatch(/toolbar button/);
    expect(await ask(popup, 'getPageSummary', { tabId })).toMatchObject({ supported: false });
    await popup.close();
    expect(await worlds(page)).not.toContain('AltScout');

    await browser.clickAction(page);
    popup = await browser.openPopup(tabId);
    await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toMatch(/^3 images missing alt text/);
    const summary = await ask(popup, 'getPageSummary', { tabId });
    // The top frame and its same-origin frame; the frame from the other site is named, not read.
    expect(summary.frames).toBe(2);
    // Both servers are on 127.0.0.1 (other ports): the frame's site is granted as a pattern, every port.
    expect(summary.needsAccess).toEqual({ frames: ['http://127.0.0.1/*'], images: [] });
    expect(await worlds(page)).toContain('AltScout');

    expect(await ask(popup, 'highlightTab', { tabId, on: true, page: summary.page })).toEqual({ shown: 3 });
    expect(await page.evaluate(() => document.querySelector('altscout-overlay') !== null)).toBe(true);
    expect(await ask(popup, 'highlightTab', { tabId, on: false })).toEqual({ shown: 0 });

    // The page heard nothing from AltScout and cannot see its agent.
    expect(await page.evaluate(() => (window as unknown as { heard: unknown[] }).heard)).toEqual([]);
    expect(await page.evaluate(() => '__altscoutAgent' in window || 'pageAgent' in window)).toBe(false);
    await popup.close();
    await page.close();
  });

  it('the click grants that site in that tab: another page of it is a new document, another site is not granted', async () => {
    const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
    await browser.clickAction(page);
    const popup = await browser.openPopup(tabId);
    const summary = await ask(popup, 'getPageSummary', { tabId });
    expect(summary.supported).toBe(true);
    // Chromium keeps activeTab across a navigation within the site; the scan's document is gone all the same.
    await page.goto(`${site.url}/scan-rules.html`);
    expect(await ask(popup, 'highlightTab', { tabId, on: true, page: summary.page })).toEqual({ shown: 0, pageChanged: true });
    expect(await ask(popup, 'getPageSummary', { tabId })).toMatchObject({ supported: true, url: `${site.url}/scan-rules.html` });
    await page.goto(`${other.url}/basic.html`);
    expect(await ask(popup, 'getPageSummary', { tabId })).toMatchObject({ supported: false, reason: expect.stringMatching(/toolbar button/) });
    expect(await ask(popup, 'highlightTab', { tabId, on: true, page: summary.page })).toEqual({ shown: 0, pageChanged: true });
    await popup.close();
    await page.close();
  });
});
