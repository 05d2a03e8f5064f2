import type { Locator, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { launchWithExtension, type ExtensionBrowser } from './browser';
import { ACTION_TIMEOUT_MS, describedBy, normaliseName, type Control, type ExtensionDriver, type Name, type Role, type View, type WebTab } from './driver';

/** The shared driver (./driver.ts) over the Chromium harness (./browser.ts, playwright-core). */

type PlaywrightRole = Parameters<Page['getByRole']>[0];
const byRole = (scope: Page | Locator, role: Role, name?: Name) =>
  scope.getByRole(role as PlaywrightRole, name === undefined ? {} : typeof name === 'string' ? { name: normaliseName(name), exact: true } : { name });

const timeout = ACTION_TIMEOUT_MS;

function control(locator: Locator): Control {
  return {
    get: (role, name) => control(byRole(locator, role, name)),
    field: (label) => control(locator.getByLabel(normaliseName(label), { exact: true })),
    count: () => locator.count(),
    texts: async () => (await locator.allTextContents()),
    waitFor: (options = {}) => locator.waitFor({ state: 'attached', timeout: options.timeout ?? timeout }),
    click: () => locator.click({ timeout }),
    fill: (value) => locator.fill(value, { timeout }),
    check: () => locator.check({ timeout }),
    isChecked: () => locator.isChecked({ timeout }),
    text: async () => (await locator.textContent({ timeout })) ?? '',
    value: () => locator.inputValue({ timeout }),
    attribute: (name) => locator.getAttribute(name, { timeout }),
    description: () => locator.evaluate(describedBy, undefined, { timeout }),
    async box() {
      const box = await locator.boundingBox({ timeout });
      if (!box) throw new Error(`${locator} is not rendered`);
      return box;
    },
  };
}

function view(page: Page): View {
  return {
    get url() {
      return page.url();
    },
    get: (role, name) => control(byRole(page, role, name)),
    field: (label) => control(page.getByLabel(normaliseName(label), { exact: true })),
    evaluate: <T, A>(fn: (arg: A) => T | Promise<T>, arg?: A) => page.evaluate(fn as never, arg as never) as Promise<T>,
    setViewport: (size) => page.setViewportSize(size),
    async screenshot(path, options = {}) {
      await page.screenshot({ path, fullPage: options.fullPage ?? false });
    },
    async download(action) {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout }), action()]);
      const path = await download.path();
      return { fileName: download.suggestedFilename(), text: await readFile(path, 'utf8') };
    },
    close: () => page.close(),
  };
}

export async function launchChromiumDriver(): Promise<ExtensionDriver & { chromium: ExtensionBrowser }> {
  const chromium = await launchWithExtension();
  const { context, extensionId } = chromium;
  const origin = `chrome-extension://${extensionId}`;
  let controlPage: Page;
  let stopWorker: () => Promise<void>;
  let workerStatus = 'running';
  try {
    // The privileged context, as in Firefox: one of AltScout's own pages in a tab. Unlike the
    // worker handle, it outlives a stopped worker.
    controlPage = await context.newPage();
    await controlPage.goto(`${origin}/options.html`);
    // Follows the worker's running status, to stop it and to say when it runs again.
    const cdp = await context.newCDPSession(controlPage);
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const v of versions) if (v.scriptURL.startsWith(origin)) workerStatus = v.runningStatus;
    });
    await cdp.send('ServiceWorker.enable');
    // A worker that is starting (a tab event woke it) is not stopped by the request: ask again.
    stopWorker = async () => {
      const deadline = Date.now() + timeout;
      for (;;) {
        await cdp.send('ServiceWorker.stopAllWorkers');
        const settle = Date.now() + 1000;
        while (workerStatus !== 'stopped' && Date.now() < settle) await new Promise((r) => setTimeout(r, 50));
        if (workerStatus === 'stopped') return;
        if (Date.now() > deadline) throw new Error(`The service worker did not stop (it is ${workerStatus})`);
      }
    };
  } catch (e) {
    await chromium.close();
    throw e;
  }
  const inExtension = <T, A>(fn: (arg: A) => T | Promise<T>, arg?: A) => controlPage.evaluate(fn as never, arg as never) as Promise<T>;

  return {
    browser: 'chromium',
    origin,
    chromium,
    // Tab ids come from the extension page, not the worker handle, so this works while the worker is stopped.
    async openPage(url) {
      const tabIds = () => inExtension(async () => (await chrome.tabs.query({})).map((t) => t.id!));
      const before = new Set(await tabIds());
      const page = await context.newPage();
      await page.goto(url);
      const tabId = (await tabIds()).find((id) => !before.has(id));
      if (tabId == null) throw new Error(`No new tab found for ${url}`);
      return { ...view(page), get url() { return page.url(); }, tabId, reload: async () => void (await page.reload()) } satisfies WebTab;
    },
    async openPopup(tabId, path = 'popup.html') {
      return view(await chromium.openPopup(tabId, path));
    },
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(`${origin}/${path.replace(/^\//, '')}`);
      return view(page);
    },
    inExtension,
    readStorage: (area, keys) => inExtension(({ area, keys }) => chrome.storage[area].get(keys), { area, keys }),
    stopBackground: () => stopWorker(),
    backgroundRunning: async () => workerStatus === 'running',
    close: () => chromium.close(),
  };
}
