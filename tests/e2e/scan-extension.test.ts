import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ask, launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { startStaticServer, type StaticServer } from '../support/static-server';
import { screenshot } from '../support/screenshots';

// The scanner inside the built extension: every frame of a tab merged, images added after the
// first scan, and highlight / apply / undo going from an extension page through the worker to
// each frame's content script.
let browser: ExtensionBrowser;
let site: StaticServer;
let other: StaticServer;

beforeAll(async () => {
  site = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
  other = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), other?.close()]);
});

const summaryText = (popup: Page) => popup.getByRole('status', { name: 'Page summary' }).textContent();

describe('the scanner in the extension', () => {
  it('merges every frame of the tab, same-origin and cross-origin, into the popup count', async () => {
    const { page, tabId } = await browser.openTab(`${site.url}/scan-frames.html?other=${encodeURIComponent(other.url)}`);
    await page.frameLocator('#cross').locator('img').first().waitFor({ state: 'attached' });
    const popup = await browser.openPopup(tabId);
    await expect.poll(() => summaryText(popup)).toMatch(/^4 images missing alt text/);
    const summary = await ask(popup, 'getPageSummary', { tabId });
    expect(summary.frames).toBe(3);
    expect(new Set(summary.findings.map((f: { id: string }) => f.id)).size).toBe(summary.findings.length);
    expect(new Set(summary.findings.map((f: { frameId: number }) => f.frameId)).size).toBe(3);
    const cross = summary.findings.filter((f: { src: string }) => f.src.startsWith(other.url));
    expect(cross.map((f: { status: string }) => f.status).sort()).toEqual(['missing', 'ok']);
    await popup.close();
    await page.close();
  });

  it('leaves the captioner\'s context out of the summary and fetches it on demand, frame by frame', async () => {
    const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
    const popup = await browser.openPopup(tabId);
    const summary = await ask(popup, 'getPageSummary', { tabId });
    const missing = summary.findings.filter((f: { status: string }) => f.status === 'missing');
    expect(missing).toHaveLength(4);
    for (const f of missing) expect(f.context).toEqual({ pageTitle: 'Basic fixture', lang: 'en' });
    const { details } = await ask(popup, 'getFindingDetails', { tabId, ids: missing.map((f: { id: string }) => f.id) });
    expect(details.map((d: { id: string }) => d.id)).toEqual(missing.map((f: { id: string }) => f.id));
    const bySrc = (end: string) => details[missing.findIndex((f: { src: string }) => f.src.endsWith(end))];
    expect(bySrc('yellow.png').context.linkHref).toBe(`${site.url}/shop`);
    expect(bySrc('orange.png').context.figcaption).toBe('Sunset over the harbour');
    expect(bySrc('red.png').context.heading).toBe('Fixture: four images without alt');
    expect(details.every((d: { width: number; height: number }) => d.width === 120 && d.height === 90)).toBe(true);
    await popup.close();
    await page.close();

    // Ids from every frame of a tab reach their own frame's content script.
    const framed = await browser.openTab(`${site.url}/scan-frames.html?other=${encodeURIComponent(other.url)}`);
    await framed.page.frameLocator('#cross').locator('img').first().waitFor({ state: 'attached' });
    const framedPopup = await browser.openPopup(framed.tabId);
    const all = (await ask(framedPopup, 'getPageSummary', { tabId: framed.tabId })).findings.filter((f: { status: string }) => f.status === 'missing');
    const got = (await ask(framedPopup, 'getFindingDetails', { tabId: framed.tabId, ids: all.map((f: { id: string }) => f.id) })).details;
    expect(got.map((d: { id: string }) => d.id).sort()).toEqual(all.map((f: { id: string }) => f.id).sort());
    expect(new Set(all.map((f: { frameId: number }) => f.frameId)).size).toBeGreaterThan(1);
    expect(got.every((d: { width: number }) => d.width > 0)).toBe(true);
    await framedPopup.close();
    await framed.page.close();
  });

  it('picks up images added after the first scan, in the page and in a shadow root', async () => {
    const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
    let popup = await browser.openPopup(tabId);
    await expect.poll(() => summaryText(popup)).toMatch(/^4 images missing alt text/);
    await popup.close();
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/img/red.png';
      document.body.append(img);
      const host = document.createElement('div');
      host.attachShadow({ mode: 'open' }).innerHTML = '<img src="/img/blue.png">';
      document.body.append(host);
      document.querySelector('img[alt="A blue rectangle"]')!.removeAttribute('alt');
    });
    popup = await browser.openPopup(tabId);
    await expect.poll(() => summaryText(popup)).toMatch(/^7 images missing alt text/);
    await popup.close();
    await page.close();
  });

  it('treats the page behind a modal dialog as inert while it is open, and live again once closed', async () => {
    const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
    let popup = await browser.openPopup(tabId);
    await expect.poll(() => summaryText(popup)).toMatch(/^4 images missing alt text/);
    await popup.close();
    await page.evaluate(() => {
      const dialog = document.createElement('dialog');
      dialog.innerHTML = '<p>Subscribe</p><img src="/img/red.png">';
      document.body.append(dialog);
      dialog.showModal();
    });
    popup = await browser.openPopup(tabId);
    await expect.poll(() => summaryText(popup)).toMatch(/^1 image missing alt text/);
    const inert = (await ask(popup, 'getPageSummary', { tabId })).findings.filter((f: { reasons: Array<{ code: string }> }) => f.reasons.some((r) => r.code === 'outside-modal'));
    expect(inert).toHaveLength(6);
    await popup.close();
    await page.evaluate(() => document.querySelector('dialog')!.close());
    popup = await browser.openPopup(tabId);
    // The dialog's own image is hidden with it now (display:none), the page's four are back.
    await expect.poll(() => summaryText(popup)).toMatch(/^4 images missing alt text/);
    await popup.close();
    await page.close();
  });

  it('highlights findings, applies descriptions and undoes them exactly', async () => {
    const { page, tabId } = await browser.openTab(`${site.url}/basic.html`);
    const popup = await browser.openPopup(tabId);
    const before = await page.evaluate(() => document.body.outerHTML);
    const summary = await ask(popup, 'getPageSummary', { tabId });
    const missing = summary.findings.filter((f: { status: string }) => f.status === 'missing');
    expect(missing).toHaveLength(4);

    expect(await ask(popup, 'highlightTab', { tabId, on: true })).toEqual({ shown: 5 });
    const badges = await page.evaluate(() => [...document.querySelector('altscout-overlay')!.shadowRoot!.querySelectorAll('.badge')].map((b) => b.textContent));
    expect(badges.sort()).toEqual(['Decorative', 'Missing alt', 'Missing alt', 'Missing alt', 'Missing alt']);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    // A late image gets its badge while highlighting is on, and redrawing does not feed itself.
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/img/red.png';
      img.width = 50;
      img.height = 50;
      document.body.append(img);
    });
    const boxCount = () => page.evaluate(() => document.querySelector('altscout-overlay')!.shadowRoot!.querySelectorAll('.box').length);
    await expect.poll(boxCount).toBe(6);
    const redraws = await page.evaluate(() => new Promise<number>((resolve) => {
      let count = 0;
      const observer = new MutationObserver((records) => { count += records.length; });
      observer.observe(document.querySelector('altscout-overlay')!.shadowRoot!, { childList: true, subtree: true });
      setTimeout(() => { observer.disconnect(); resolve(count); }, 600);
    }));
    expect(redraws).toBe(0);
    await page.evaluate(() => document.querySelector('body > img:last-of-type')!.remove());
    await expect.poll(boxCount).toBe(5);
    expect(await ask(popup, 'highlightTab', { tabId, on: false })).toEqual({ shown: 0 });
    expect(await page.evaluate(() => document.querySelector('altscout-overlay'))).toBeNull();

    const items = missing.map((f: { id: string; src: string }, i: number) => ({ id: f.id, src: f.src, text: `Square number ${i}`, model: 'test/model' }));
    const decorative = summary.findings.find((f: { status: string }) => f.status === 'decorative');
    items.push({ id: decorative.id, src: decorative.src, text: 'Should not land', model: 'test/model' });
    const applied = await ask(popup, 'applyToTab', { tabId, items });
    expect(applied.applied).toHaveLength(4);
    expect(applied.skipped).toEqual([{ id: decorative.id, reason: expect.stringMatching(/decorative/) }]);
    expect(await page.evaluate(() => [...document.querySelectorAll('img[data-altscout-model="test/model"]')].map((i) => i.getAttribute('alt')))).toEqual(
      ['Square number 0', 'Square number 1', 'Square number 2', 'Square number 3'],
    );
    expect((await ask(popup, 'getPageSummary', { tabId })).counts).toMatchObject({ missing: 0, ok: 5, decorative: 1 });

    expect(await ask(popup, 'undoTab', { tabId, ids: items.map((i: { id: string }) => i.id) })).toEqual({ restored: 4 });
    expect(await page.evaluate(() => document.body.outerHTML)).toBe(before);
    await popup.close();
    await page.close();
  });

  it('draws image-map areas over the part of their image they cover', async () => {
    const { page, tabId } = await browser.openTab(`${site.url}/scan-rules.html`);
    const popup = await browser.openPopup(tabId);
    await ask(popup, 'highlightTab', { tabId, on: true });
    const { image, boxes } = await page.evaluate(() => {
      const img = document.querySelector('img[usemap="#shapes"]')!.getBoundingClientRect();
      const drawn = [...document.querySelector('altscout-overlay')!.shadowRoot!.querySelectorAll<HTMLElement>('.box')];
      return {
        image: { left: img.left + scrollX, top: img.top + scrollY },
        boxes: drawn.map((b) => ({ left: parseFloat(b.style.left), top: parseFloat(b.style.top), width: parseFloat(b.style.width), height: parseFloat(b.style.height), status: b.dataset.status })),
      };
    });
    // The two missing areas (missing is drawn by default; the ok one is not), each on its half.
    // Box styles keep three decimals: compare to the half pixel.
    const at = (dx: number, dy: number, width: number, height: number) => boxes.filter((b) => b.status === 'missing' &&
      Math.abs(b.left - image.left - dx) < 0.5 && Math.abs(b.top - image.top - dy) < 0.5 && b.width === width && b.height === height).length;
    expect([at(0, 0, 60, 45), at(60, 0, 60, 45), at(0, 45, 120, 45)]).toEqual([1, 1, 0]);
    // What an auditor sees: badges of neighbouring images moved so none covers another.
    await page.setViewportSize({ width: 900, height: 700 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(100);
    await screenshot(page, 'page-highlight');
    await ask(popup, 'highlightTab', { tabId, on: false });
    await popup.close();
    await page.close();
  });

  it('reveals one finding in its frame when asked', async () => {
    const { page, tabId } = await browser.openTab(`${site.url}/scan-rules.html`);
    const popup = await browser.openPopup(tabId);
    const summary = await ask(popup, 'getPageSummary', { tabId });
    const last = summary.findings.filter((f: { status: string }) => f.status === 'missing').at(-1);
    expect(await ask(popup, 'revealInTab', { tabId, id: last.id })).toEqual({ found: true });
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await popup.close();
    await page.close();
  });
});
