import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Two builds (wxt.config.ts): the test build (`ALTSCOUT_TEST_HOSTS=all`, every site granted, since
 * an automated browser cannot answer a permission prompt) is what the e2e suite and `npm start`
 * load; the store build (`.output`) is what users get, loaded by the tests of permissions.
 */
export const EXTENSION_DIR = resolve(process.env.ALTSCOUT_OUT ?? '.output-test', 'chrome-mv3');
export const STORE_EXTENSION_DIR = resolve('.output', 'chrome-mv3');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  /** Opens `popup.html?tab=<id of page>` in its own tab, the way the toolbar popup sees that tab. */
  openPopup(target: Page | number, path?: string): Promise<Page>;
  tabIdOf(page: Page): Promise<number>;
  /**
   * Clicks AltScout's toolbar button on a tab, as a user would (DevTools' Extensions.triggerAction):
   * the browser grants activeTab for that tab. Headless Chromium shows no popup for it; open
   * `openPopup(tab)` after, which is the same page the toolbar shows for that tab.
   */
  clickAction(target: Page): Promise<void>;
  /** Opens a new tab at `url` and returns it with its tab id, even for pages whose URL the extension cannot see. */
  openTab(url: string): Promise<{ page: Page; tabId: number }>;
  close(): Promise<void>;
}

/**
 * Sends a protocol message from an extension page to the worker, in @webext-core/messaging's
 * wire format, as the popup does; rejects with the worker's error.
 */
export async function ask<T = any>(from: Page, type: string, data: unknown): Promise<T> {
  const reply = await from.evaluate(async ({ type, data }) => {
    const message = { id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() };
    return chrome.runtime.sendMessage(message);
  }, { type, data });
  if (reply?.err) throw new Error(reply.err.message);
  return reply.res as T;
}

/** `args`: extra Chromium switches, e.g. `--host-resolver-rules` to make a local server look like a public site. */
export async function launchWithExtension(options: { headless?: boolean; build?: 'test' | 'store'; args?: string[] } = {}): Promise<ExtensionBrowser> {
  const dir = options.build === 'store' ? STORE_EXTENSION_DIR : EXTENSION_DIR;
  if (!existsSync(`${dir}/manifest.json`)) {
    const command = options.build === 'store' ? 'npm run build' : 'npm run build:test';
    throw new Error(`No built extension at ${dir}: run "${command}" first.`);
  }
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    viewport: { width: 1200, height: 900 },
    args: [
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      // Lets the tests click the toolbar button through DevTools (Extensions.triggerAction).
      '--enable-unsafe-extension-debugging',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
      ...(options.args ?? []),
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;

  const tabIdOf = async (page: Page): Promise<number> => {
    const url = page.url();
    const id = await worker.evaluate(async (u: string) => {
      const tabs = await chrome.tabs.query({});
      return tabs.find((t) => t.url === u)?.id ?? null;
    }, url);
    if (id == null) throw new Error(`No tab found for ${url}`);
    return id;
  };

  return {
    context,
    extensionId,
    worker,
    tabIdOf,
    async openTab(url) {
      const ids = async () => worker.evaluate(async () => (await chrome.tabs.query({})).map((t) => t.id!));
      const before = new Set(await ids());
      const page = await context.newPage();
      await page.goto(url);
      const tabId = (await ids()).find((id) => !before.has(id));
      if (tabId == null) throw new Error(`No new tab found for ${url}`);
      return { page, tabId };
    },
    async openPopup(target, path = 'popup.html') {
      const tabId = typeof target === 'number' ? target : await tabIdOf(target);
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 400, height: 600 });
      await popup.goto(`chrome-extension://${extensionId}/${path}?tab=${tabId}`);
      return popup;
    },
    async clickAction(target) {
      const url = target.url();
      const cdp = await context.browser()!.newBrowserCDPSession();
      try {
        const { targetInfos } = await cdp.send('Target.getTargets', { filter: [{ type: 'tab' }] });
        const tab = targetInfos.find((t) => t.url === url);
        if (!tab) throw new Error(`No tab target for ${url}`);
        await cdp.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
      } finally {
        await cdp.detach();
      }
    },
    close: () => context.close(),
  };
}
