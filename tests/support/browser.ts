import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const EXTENSION_DIR = resolve(process.env.ALTSCOUT_OUT ?? '.output', 'chrome-mv3');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  /** Opens `popup.html?tab=<id of page>` in its own tab, the way the toolbar popup sees that tab. */
  openPopup(target: Page | number, path?: string): Promise<Page>;
  tabIdOf(page: Page): Promise<number>;
  /** Opens a new tab at `url` and returns it with its tab id, even for pages whose URL the extension cannot see. */
  openTab(url: string): Promise<{ page: Page; tabId: number }>;
  close(): Promise<void>;
}

/** `args`: extra Chromium switches, e.g. `--host-resolver-rules` to make a local server look like a public site. */
export async function launchWithExtension(options: { headless?: boolean; args?: string[] } = {}): Promise<ExtensionBrowser> {
  if (!existsSync(`${EXTENSION_DIR}/manifest.json`)) {
    throw new Error(`No built extension at ${EXTENSION_DIR}: run "npm run build" first.`);
  }
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    viewport: { width: 1200, height: 900 },
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
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
    close: () => context.close(),
  };
}
