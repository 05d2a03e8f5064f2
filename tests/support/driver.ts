/**
 * The one small surface shared e2e scenarios (tests/scenarios/) drive AltScout through, so the same
 * scenario file runs in Chromium (playwright-core, tests/support/driver-chromium.ts) and in Firefox
 * (puppeteer-core over WebDriver BiDi, tests/support/driver-firefox.ts).
 *
 * Rules both implementations keep:
 * - Controls are found by ARIA role and accessible name, as the browser's own accessibility engine
 *   computes them. A string name matches exactly (whitespace collapsed); a RegExp is tested
 *   against the name.
 * - A control is lazy: it is looked up again on every call. Actions (click, fill, check) wait up
 *   to `ACTION_TIMEOUT_MS` for exactly one match and fail if several match. Reads (text, value,
 *   attribute, isChecked) wait for it to exist; `count` does not wait. Poll with `expect.poll`.
 * - `inExtension` runs a function in a privileged extension page (a tab showing one of
 *   AltScout's own pages): it has the whole `chrome.*` API in both browsers (promise-based in
 *   Firefox MV3 too). The function is sent as source text, so it must not close over anything;
 *   pass what it needs as `arg` (JSON-serialisable).
 */

export type BrowserName = 'chromium' | 'firefox';

/** The ARIA roles scenarios use; add one when a scenario needs it. */
export type Role =
  | 'button' | 'checkbox' | 'columnheader' | 'dialog' | 'group' | 'heading' | 'img' | 'link' | 'list' | 'listitem'
  | 'progressbar' | 'radio' | 'radiogroup' | 'region' | 'row' | 'spinbutton' | 'status' | 'switch' | 'tab' | 'table'
  | 'textbox' | 'combobox';

export type Name = string | RegExp;

export const ACTION_TIMEOUT_MS = 10_000;

export interface Control {
  /** The control with this role and name inside this one. */
  get(role: Role, name?: Name): Control;
  /** The form field labelled exactly `label` inside this one, for fields without a role (a password input). */
  field(label: string): Control;
  /** How many elements match now (no waiting). */
  count(): Promise<number>;
  /** The textContent of every element that matches now (no waiting). */
  texts(): Promise<string[]>;
  /** Waits until exactly one element matches. */
  waitFor(options?: { timeout?: number }): Promise<void>;
  click(): Promise<void>;
  /** Replaces a text field's value as typing would (input events fire). */
  fill(value: string): Promise<void>;
  /** Checks a radio or checkbox (a click when it is not checked yet), then confirms it is. */
  check(): Promise<void>;
  isChecked(): Promise<boolean>;
  /** textContent, '' when the element has none. */
  text(): Promise<string>;
  /** A form control's current value. */
  value(): Promise<string>;
  attribute(name: string): Promise<string | null>;
  /** Its description: the text of what `aria-describedby` points at, whitespace collapsed. */
  description(): Promise<string>;
  /** Its box in CSS pixels of the view's viewport. */
  box(): Promise<{ x: number; y: number; width: number; height: number }>;
}

/** One tab: a web page, the popup opened for a tab, or an extension page. */
export interface View {
  readonly url: string;
  get(role: Role, name?: Name): Control;
  field(label: string): Control;
  /** Runs `fn(arg)` in the page's own script world and returns its (JSON-serialisable) result. */
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  setViewport(size: { width: number; height: number }): Promise<void>;
  screenshot(path: string, options?: { fullPage?: boolean }): Promise<void>;
  /**
   * Runs `action` (a click on an export button) and returns the file the browser saved because of
   * it, as the browser named it: Chromium's download event, Firefox's download folder.
   */
  download(action: () => Promise<void>): Promise<Download>;
  close(): Promise<void>;
}

/** A file the browser downloaded. */
export interface Download {
  fileName: string;
  text: string;
}

export interface WebTab extends View {
  /** The browser's id for this tab (what `popup.html?tab=` takes). */
  readonly tabId: number;
  /** Reloads the page and waits for it to load: a new document in the same tab. */
  reload(): Promise<void>;
}

export interface ExtensionDriver {
  readonly browser: BrowserName;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`, no trailing slash. */
  readonly origin: string;
  /** Opens a new tab at `url` (a web page, or a page the extension cannot read) and returns it with its tab id. */
  openPage(url: string): Promise<WebTab>;
  /**
   * Opens one of AltScout's pages in its own tab, pinned to `tabId` the way the toolbar popup sees
   * its tab (`popup.html?tab=<id>`); the popup gets the toolbar popup's 400 × 600.
   */
  openPopup(tabId: number, path?: string): Promise<View>;
  /** Opens an extension page (`options.html`, `models.html?…`) in its own tab. */
  openExtensionPage(path: string): Promise<View>;
  /** Runs `fn(arg)` in a privileged extension page; see the notes at the top of this file. */
  inExtension<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Reads extension storage the way AltScout's pages do. */
  readStorage(area: 'local' | 'session', keys: string[]): Promise<Record<string, unknown>>;
  /**
   * Stops the background (Chromium's service worker, Firefox's event page) the way the browser
   * does when it is idle, and returns once it has stopped. The next event (a message, an alarm)
   * starts it again.
   */
  stopBackground(): Promise<void>;
  /** Whether the background is running now. */
  backgroundRunning(): Promise<boolean>;
  close(): Promise<void>;
}

/** Collapses whitespace the way accessible names are computed. */
export const normaliseName = (name: string) => name.replace(/\s+/g, ' ').trim();

/** Runs in the page: the text of an element's `aria-describedby` targets. */
export function describedBy(el: Element): string {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' ').replace(/\s+/g, ' ').trim();
}

export function describeQuery(role: Role, name?: Name): string {
  return name === undefined ? `role=${role}` : `role=${role} name=${typeof name === 'string' ? JSON.stringify(name) : String(name)}`;
}
