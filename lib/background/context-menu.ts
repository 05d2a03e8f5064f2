import { browser } from 'wxt/browser';
import { imageIdInTab } from './tab-actions';

/**
 * "Describe this image with AltScout" on any image. The click lets AltScout script that tab
 * (activeTab): the worker puts its agent in the page and finds the image's finding id, bound to
 * the document clicked in, then opens a small window on the report page in single-image mode;
 * that page runs the description through the job runner (so the chosen model, key, budget and
 * cache apply as everywhere else) and offers the text to copy.
 */
export const MENU_ID = 'altscout-describe-image';
export const MENU_TITLE = 'Describe this image with AltScout';

export interface MenuClick {
  menuItemId: string | number;
  srcUrl?: string;
  frameId?: number;
  pageUrl?: string;
}

/**
 * `report.html?tab=3&image=<url>&frame=0&page=<url>[&id=<finding id>]`: what the single-image
 * view needs to start a job. `id` is there when the page was reached and the image found in it.
 */
export function describePath(tabId: number, click: MenuClick, id: string | null = null): string | null {
  if (click.menuItemId !== MENU_ID || !click.srcUrl) return null;
  const params = new URLSearchParams({ tab: String(tabId), image: click.srcUrl, frame: String(click.frameId ?? 0), page: click.pageUrl ?? '' });
  if (id) params.set('id', id);
  return `/report.html?${params}`;
}

export interface MenuDeps {
  create(props: { id: string; title: string; contexts: ['image'] }): Promise<void> | void;
  removeAll(): Promise<void>;
  onClicked(listener: (click: MenuClick, tab?: { id?: number }) => void): void;
  openWindow(path: string): Promise<unknown>;
  /** The finding id of the image clicked (see imageIdInTab); null when it cannot be found. */
  locate(tabId: number, frameId: number, src: string): Promise<string | null>;
}

const browserMenus: MenuDeps = {
  create: (props) => void browser.contextMenus.create(props),
  removeAll: () => browser.contextMenus.removeAll(),
  onClicked: (listener) => browser.contextMenus.onClicked.addListener((info, tab) => listener(info, tab)),
  openWindow: (path) =>
    browser.windows.create({ url: browser.runtime.getURL(path as '/report.html'), type: 'popup', width: 460, height: 620 }),
  locate: (tabId, frameId, src) => imageIdInTab(tabId, frameId, src),
};

export async function onMenuClick(click: MenuClick, tab: { id?: number } | undefined, deps: Pick<MenuDeps, 'openWindow' | 'locate'>): Promise<void> {
  if (tab?.id == null || !describePath(tab.id, click)) return;
  // A page AltScout cannot reach (or an image it cannot find) still gets the window: the image's address is enough to describe it.
  const id = await deps.locate(tab.id, click.frameId ?? 0, click.srcUrl!).catch(() => null);
  await deps.openWindow(describePath(tab.id, click, id)!);
}

export function registerContextMenu(deps: MenuDeps = browserMenus): void {
  // Menus outlive the worker; removing first keeps a restart from adding a duplicate.
  void deps.removeAll().then(() => deps.create({ id: MENU_ID, title: MENU_TITLE, contexts: ['image'] }));
  deps.onClicked((click, tab) => void onMenuClick(click, tab, deps));
}
