import type { ElementHandle, Page } from 'puppeteer-core';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_TIMEOUT_MS, describedBy, describeQuery, normaliseName, type Control, type Download, type ExtensionDriver, type Name, type Role, type View, type WebTab } from './driver';
import { launchFirefoxWithExtension, navigateWithoutLoadEvents, withAddon, type FirefoxWithExtension } from './firefox';

/**
 * The shared driver (./driver.ts) over Firefox: puppeteer-core, WebDriver BiDi.
 *
 * Roles and names come from Firefox's accessibility engine through BiDi's accessibility locator
 * (`browsingContext.locateNodes`), which matches a name exactly. For a RegExp name the elements
 * with the role are listed, each one's name is proposed from its label text and kept only when
 * Firefox's locator finds that same element under that exact name: the browser has the last word.
 * `field(label)` is for form fields without a role (a password input), which that locator cannot
 * find: it matches the label text itself.
 */

type Handle = ElementHandle<Element>;
type Step = { role: Role; name?: Name } | { label: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** puppeteer's `aria/` selector: `[role="…"][name="…"]`, quoted with whichever quote the name lacks. */
function ariaSelector(role: Role, name?: string): string {
  if (name === undefined) return `aria/[role="${role}"]`;
  const quote = name.includes('"') ? "'" : '"';
  if (name.includes(quote)) throw new Error(`Cannot select a name with both quote characters: ${name}`);
  return `aria/[role="${role}"][name=${quote}${name}${quote}]`;
}

/** A first guess at an element's accessible name, from what labels it; Firefox confirms it. */
function proposedName(el: Element): string {
  const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) return labelledBy.split(/\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
  const label = el.getAttribute('aria-label');
  if (label) return label.replace(/\s+/g, ' ').trim();
  const labels = (el as HTMLInputElement).labels;
  if (labels && labels.length) return [...labels].map((l) => text(l)).join(' ').trim();
  if (el instanceof HTMLImageElement) return el.alt;
  return text(el) || (el.getAttribute('title') ?? '');
}

async function same(a: Handle, b: Handle): Promise<boolean> {
  return a.evaluate((x, y) => x === y, b);
}

async function findIn(scope: Page | Handle, step: Step): Promise<Handle[]> {
  if ('label' in step) {
    const label = normaliseName(step.label);
    const found: Handle[] = [];
    for (const el of (await scope.$$('input, textarea, select')) as Handle[]) if ((await el.evaluate(proposedName)) === label) found.push(el);
    return found;
  }
  if (step.name === undefined || typeof step.name === 'string') {
    const name = step.name === undefined ? undefined : normaliseName(step.name);
    return (await scope.$$(ariaSelector(step.role, name))) as Handle[];
  }
  const pattern = step.name;
  const found: Handle[] = [];
  for (const candidate of (await scope.$$(ariaSelector(step.role))) as Handle[]) {
    const name = await candidate.evaluate(proposedName);
    if (!pattern.test(name)) continue;
    const confirmed = (await scope.$$(ariaSelector(step.role, name))) as Handle[];
    let match = false;
    for (const c of confirmed) if (!match && (await same(c, candidate))) match = true;
    if (!match) throw new Error(`Firefox does not name this ${step.role} "${name}": select it by the exact name Firefox gives it`);
    found.push(candidate);
  }
  return found;
}

class FirefoxControl implements Control {
  constructor(private readonly page: Page, private readonly steps: Step[]) {}

  private get what() {
    return `${this.steps.map((s) => ('label' in s ? `label=${JSON.stringify(s.label)}` : describeQuery(s.role, s.name))).join(' >> ')} in ${this.page.url()}`;
  }

  private async all(): Promise<Handle[]> {
    let scopes: Array<Page | Handle> = [this.page];
    for (const step of this.steps) {
      const next: Handle[] = [];
      for (const scope of scopes) next.push(...(await findIn(scope, step)));
      scopes = next;
    }
    return scopes as Handle[];
  }

  /** Exactly one element, waiting up to `timeout` for it to appear. */
  private async one(timeout = ACTION_TIMEOUT_MS): Promise<Handle> {
    const deadline = Date.now() + timeout;
    for (;;) {
      let found: Handle[] = [];
      try {
        found = await this.all();
      } catch (e) {
        // A page that is re-rendering can detach an element between two calls: look again.
        if (!/detached|stale|no such node|Execution context|Cannot find context/i.test(String(e))) throw e;
      }
      if (found.length === 1) return found[0];
      if (found.length > 1) throw new Error(`${found.length} elements match ${this.what}; make the query unique`);
      if (Date.now() > deadline) throw new Error(`Nothing matches ${this.what} after ${timeout} ms`);
      await sleep(50);
    }
  }

  get(role: Role, name?: Name): Control {
    return new FirefoxControl(this.page, [...this.steps, { role, name }]);
  }
  field(label: string): Control {
    return new FirefoxControl(this.page, [...this.steps, { label }]);
  }
  async count() {
    return (await this.all()).length;
  }
  async texts() {
    return Promise.all((await this.all()).map((el) => el.evaluate((e) => e.textContent ?? '')));
  }
  async waitFor(options: { timeout?: number } = {}) {
    await this.one(options.timeout);
  }
  async click() {
    const el = await this.one();
    await el.evaluate((e) => (e as HTMLElement).scrollIntoView({ block: 'center', inline: 'center' }));
    await el.click();
  }
  async fill(value: string) {
    const el = await this.one();
    await el.evaluate((e) => (e as HTMLElement).focus());
    await this.page.keyboard.down('Control');
    await this.page.keyboard.press('KeyA');
    await this.page.keyboard.up('Control');
    await this.page.keyboard.press('Backspace');
    if (value) await this.page.keyboard.type(value);
    const now = await el.evaluate((e) => (e as HTMLInputElement).value);
    if (now !== value) throw new Error(`Typed ${JSON.stringify(value)} into ${this.what} but it holds ${JSON.stringify(now)}`);
  }
  async check() {
    if (!(await this.isChecked())) await this.click();
    const deadline = Date.now() + ACTION_TIMEOUT_MS;
    while (!(await this.isChecked())) {
      if (Date.now() > deadline) throw new Error(`${this.what} did not become checked`);
      await sleep(50);
    }
  }
  async isChecked() {
    const el = await this.one();
    return el.evaluate((e) => (e as HTMLInputElement).checked ?? e.getAttribute('aria-checked') === 'true');
  }
  async text() {
    return (await this.one()).evaluate((e) => e.textContent ?? '');
  }
  async value() {
    return (await this.one()).evaluate((e) => (e as HTMLInputElement).value);
  }
  async attribute(name: string) {
    return (await this.one()).evaluate((e, n) => e.getAttribute(n), name);
  }
  async description() {
    return (await this.one()).evaluate(describedBy);
  }
  async box() {
    return (await this.one()).evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    });
  }
}

/**
 * The file Firefox saves into the profile's download folder because of `action`. Firefox first
 * puts an empty file under the final name, writes the download to `<name>.part` and then moves it
 * over that file: a new file with content and no `.part` beside it is whole. (An export is never
 * empty: it has at least its header.)
 */
async function downloadInto(dir: string, action: () => Promise<void>): Promise<Download> {
  const before = new Set(readdirSync(dir));
  await action();
  const deadline = Date.now() + ACTION_TIMEOUT_MS;
  for (;;) {
    const files = readdirSync(dir);
    const fresh = files.filter((f) => !before.has(f) && !f.endsWith('.part'));
    if (fresh.length > 1) throw new Error(`Firefox saved ${fresh.length} files for one action: ${fresh.join(', ')}`);
    const [name] = fresh;
    if (name && !files.includes(`${name}.part`) && statSync(join(dir, name)).size > 0) {
      return { fileName: name, text: readFileSync(join(dir, name), 'utf8') };
    }
    if (Date.now() > deadline) throw new Error(`Firefox saved no whole file into ${dir} within ${ACTION_TIMEOUT_MS} ms (${files.join(', ') || 'empty'})`);
    await sleep(50);
  }
}

function view(page: Page, downloadDir: string): View {
  return {
    get url() {
      return page.url();
    },
    get: (role, name) => new FirefoxControl(page, [{ role, name }]),
    field: (label) => new FirefoxControl(page, [{ label }]),
    evaluate: <T, A>(fn: (arg: A) => T | Promise<T>, arg?: A) => page.evaluate(fn as never, arg as never) as Promise<T>,
    setViewport: (size) => page.setViewport(size),
    async screenshot(path, options = {}) {
      await page.screenshot({ path: path as `${string}.png`, fullPage: options.fullPage ?? false });
    },
    download: (action) => downloadInto(downloadDir, action),
    close: () => page.close(),
  };
}

/** `prefs`: extra Firefox preferences for this profile (a Firefox-only test's setup). */
export async function launchFirefoxDriver(options: { prefs?: Record<string, unknown> } = {}): Promise<ExtensionDriver & { firefox: FirefoxWithExtension }> {
  const firefox = await launchFirefoxWithExtension({ prefs: options.prefs });
  const { browser, origin, addonId } = firefox;
  let control: Page;
  try {
    // The privileged context: one of AltScout's own pages in a tab, with the whole browser.* API.
    control = await firefox.openExtensionPage('options.html');
  } catch (e) {
    await firefox.close();
    throw e;
  }
  const inExtension = <T, A>(fn: (arg: A) => T | Promise<T>, arg?: A) => control.evaluate(fn as never, arg as never) as Promise<T>;
  const tabIds = () => inExtension(async () => (await chrome.tabs.query({})).map((t) => t.id!));
  const backgroundState = () => firefox.inBrowserScope<string>(withAddon(addonId, 'return ext.backgroundState;'));

  return {
    browser: 'firefox',
    origin,
    firefox,
    async openPage(url) {
      const before = new Set(await tabIds());
      const page = await firefox.openWebPage(url);
      const tabId = (await tabIds()).find((id) => !before.has(id));
      if (tabId == null) throw new Error(`No new tab found for ${url}`);
      return { ...view(page, firefox.downloadDir), get url() { return page.url(); }, tabId, reload: async () => void (await page.reload()) } satisfies WebTab;
    },
    async openPopup(tabId, path = 'popup.html') {
      const page = await browser.newPage();
      await page.setViewport({ width: 400, height: 600 });
      await navigateWithoutLoadEvents(browser, page, `${origin}/${path}?tab=${tabId}`);
      return view(page, firefox.downloadDir);
    },
    async openExtensionPage(path) {
      return view(await firefox.openExtensionPage(path), firefox.downloadDir);
    },
    inExtension,
    readStorage: (area, keys) => inExtension(({ area, keys }) => chrome.storage[area].get(keys), { area, keys }),
    // An event page that is starting (a tab event woke it) may outlive the request: ask again.
    async stopBackground() {
      const deadline = Date.now() + ACTION_TIMEOUT_MS;
      for (;;) {
        await firefox.inBrowserScope(withAddon(addonId, 'await ext.terminateBackground({ disableResetIdleForTest: true }); return ext.backgroundState;'));
        const settle = Date.now() + 1000;
        let state = await backgroundState();
        while (state !== 'stopped' && Date.now() < settle) {
          await sleep(50);
          state = await backgroundState();
        }
        if (state === 'stopped') return;
        if (Date.now() > deadline) throw new Error(`The event page did not stop (it is ${state})`);
      }
    },
    backgroundRunning: async () => (await backgroundState()) === 'running',
    close: () => firefox.close(),
  };
}
