import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Headless Firefox ESR with the built AltScout installed as a temporary add-on, driven by
 * puppeteer-core over WebDriver BiDi (../shared/design/firefox-testing.md). Three things are not
 * obvious and are handled here:
 * 1. Firefox is started with `--remote-allow-system-access`: without it BiDi will not navigate to
 *    `moz-extension://` pages, and it also opens the browser's own (parent-process) scope, which
 *    `inBrowserScope` uses to stop the event page the way about:debugging does.
 * 2. The add-on's internal UUID is random per profile; the pref `extensions.webextensions.uuids`
 *    pins it before start, so `moz-extension://<uuid>/…` is known up front.
 * 3. Firefox sends no load events over BiDi for `moz-extension://` pages (navigation promises never
 *    settle), so extension pages are opened with a navigation that does not wait, then polled
 *    until they are loaded.
 */

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The Firefox test build (`npm run build:firefox:test`: test builds go to .output-test, wxt.config.ts). */
export const FIREFOX_EXTENSION_DIR = resolve(process.env.ALTSCOUT_OUT ?? '.output-test', 'firefox-mv3');
/** Any fixed UUID will do; this one is AltScout's in every test profile. */
export const EXTENSION_UUID = '5c0a1f3e-2b7d-4e8a-9c61-a17c0075c0a7';
/**
 * Sites Firefox keeps from every add-on (in its default `extensions.webextensions.restrictedDomains`)
 * that the test profile resolves to 127.0.0.1: `http://<host>:<port of a local server>/` opens a
 * local fixture page under that name, and Firefox refuses AltScout there as it would on the real site.
 */
export const MOZILLA_HOSTS = ['addons.mozilla.org', 'support.mozilla.org'];

export interface FirefoxWithExtension {
  browser: Browser;
  /** The add-on id from the manifest (`browser_specific_settings.gecko.id`). */
  addonId: string;
  /** `moz-extension://<uuid>` */
  origin: string;
  /** Where Firefox saves downloads, without asking (a temporary folder removed on close). */
  downloadDir: string;
  /** Opens `path` of the extension in a new tab and resolves once it has loaded. */
  openExtensionPage(path: string): Promise<Page>;
  /** Opens a new tab at `url` and waits until it has loaded (about: pages included). */
  openWebPage(url: string): Promise<Page>;
  /** Evaluates an expression (async allowed) with system privileges in the browser's own scope; returns its JSON-serialisable value. */
  inBrowserScope<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

type BidiSend = (method: string, params: object) => Promise<{ result: any }>;

/** puppeteer-core's BiDi connection, for the few commands it has no method for. */
function bidi(browser: Browser): BidiSend {
  const connection = (browser as unknown as { connection?: { send: BidiSend } }).connection;
  if (!connection) throw new Error('puppeteer-core did not expose its WebDriver BiDi connection: is the browser Firefox over BiDi?');
  return (method, params) => connection.send(method, params);
}

/** The BiDi browsing-context id of a page's top frame. */
function contextId(page: Page): string {
  const id = (page.mainFrame() as unknown as { _id?: string })._id;
  if (!id) throw new Error('No BiDi browsing context id on this page');
  return id;
}

/**
 * Navigates without waiting for the load events Firefox never sends over BiDi for extension pages
 * (and its own about: pages), then polls until the page has loaded.
 */
export async function navigateWithoutLoadEvents(browser: Browser, page: Page, url: string, timeoutMs = 30_000): Promise<void> {
  await bidi(browser)('browsingContext.navigate', { context: contextId(page), url, wait: 'none' });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      // The tab switches process on the way: evaluating can fail until it has.
      if (await page.evaluate((u) => location.href === u && document.readyState === 'complete', url)) return;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not load within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function launchFirefoxWithExtension(options: { extensionDir?: string; prefs?: Record<string, unknown> } = {}): Promise<FirefoxWithExtension> {
  const extensionDir = options.extensionDir ?? FIREFOX_EXTENSION_DIR;
  const manifestPath = `${extensionDir}/manifest.json`;
  if (!existsSync(manifestPath)) {
    throw new Error(`No Firefox build at ${extensionDir}: run "npm run build:firefox" (tests: ALTSCOUT_TEST_HOSTS=all) first.`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { browser_specific_settings?: { gecko?: { id?: string } } };
  const addonId = manifest.browser_specific_settings?.gecko?.id;
  if (!addonId) throw new Error(`${manifestPath} has no browser_specific_settings.gecko.id; the UUID cannot be pinned without it.`);
  if (!existsSync(FIREFOX_PATH)) throw new Error(`No Firefox at ${FIREFOX_PATH}: apt-get install firefox-esr, or set FIREFOX_PATH.`);

  const downloadDir = mkdtempSync(join(tmpdir(), 'altscout-firefox-downloads-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    defaultViewport: { width: 1200, height: 900 },
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [addonId]: EXTENSION_UUID }),
      // Screenshots show the state a page reports, not a frame of an animation.
      'ui.prefersReducedMotion': 1,
      // Downloads (AltScout's exports) go straight into a folder the driver reads.
      'browser.download.folderList': 2,
      'browser.download.dir': downloadDir,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.alwaysOpenPanel': false,
      'browser.download.start_downloads_in_tmp_dir': false,
      // Names in MOZILLA_HOSTS resolve to this machine, over plain http, so a test can open one of
      // the sites Firefox keeps from add-ons (extensions.webextensions.restrictedDomains) served by
      // a local server: nothing goes to the network.
      'network.dns.localDomains': MOZILLA_HOSTS.join(','),
      'network.stricttransportsecurity.preloadlist': false,
      'dom.security.https_first': false,
      'dom.security.https_first_schemeless': false,
      ...options.prefs,
    },
  });
  try {
    const installed = await browser.installExtension(extensionDir);
    if (installed !== addonId) throw new Error(`Firefox installed ${installed}, expected ${addonId}`);
  } catch (e) {
    await browser.close();
    rmSync(downloadDir, { recursive: true, force: true });
    throw e;
  }
  const origin = `moz-extension://${EXTENSION_UUID}`;
  const send = bidi(browser);

  return {
    browser,
    addonId,
    origin,
    downloadDir,
    async openExtensionPage(path) {
      const page = await browser.newPage();
      await navigateWithoutLoadEvents(browser, page, `${origin}/${path.replace(/^\//, '')}`);
      return page;
    },
    async openWebPage(url) {
      const page = await browser.newPage();
      if (/^(https?|file):/.test(url)) await page.goto(url);
      else await navigateWithoutLoadEvents(browser, page, url);
      return page;
    },
    async inBrowserScope<T>(expression: string): Promise<T> {
      const { result: tree } = await send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
      const context = tree.contexts[0]?.context;
      if (!context) throw new Error('No browser window to evaluate in');
      const { result } = await send('script.evaluate', {
        expression: `(async () => JSON.stringify(await (async () => { ${expression} })()))()`,
        target: { context },
        awaitPromise: true,
      });
      if (result.type === 'exception') throw new Error(`In the browser scope: ${result.exceptionDetails?.text ?? 'exception'}`);
      const text = result.result?.value as string | undefined;
      return (text === undefined ? undefined : JSON.parse(text)) as T;
    },
    async close() {
      await browser.close();
      rmSync(downloadDir, { recursive: true, force: true });
    },
  };
}

/**
 * Statements for `inBrowserScope` that look up the running add-on (as `ext`) by id. `terminateBackground`
 * is what about:debugging's "Terminate background script" calls; `backgroundState` is
 * "running" / "stopped" / "starting" / "suspending".
 */
export const withAddon = (addonId: string, body: string) => `
  const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
  const ext = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(addonId)});
  if (!ext) throw new Error('add-on ${addonId} is not running');
  ${body}
`;
