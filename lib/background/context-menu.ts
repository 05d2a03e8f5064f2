import { browser } from 'wxt/browser';

/**
 * "Describe this image with AltScout" on any image. The worker only opens a small window on the
 * report page in single-image mode; that page runs the description through the job runner (so
 * the chosen model, key, budget and cache apply as everywhere else) and offers the text to copy.
 */
export const MENU_ID = 'altscout-describe-image';
export const MENU_TITLE = 'Describe this image with AltScout';

export interface MenuClick {
  menuItemId: string | number;
  srcUrl?: string;
  frameId?: number;
  pageUrl?: string;
}

/** `report.html?tab=3&image=<url>&frame=0&page=<url>`: what the single-image view needs to start a job. */
export function describePath(tabId: number, click: MenuClick): string | null {
  if (click.menuItemId !== MENU_ID || !click.srcUrl) return null;
  const params = new URLSearchParams({ tab: String(tabId), image: click.srcUrl, frame: String(click.frameId ?? 0), page: click.pageUrl ?? '' });
  return `/report.html?${params}`;
}

export interface MenuDeps {
  create(props: { id: string; title: string; contexts: ['image'] }): Promise<void> | void;
  removeAll(): Promise<void>;
  onClicked(listener: (click: MenuClick, tab?: { id?: number }) => void): void;
  openWindow(path: string): Promise<unknown>;
}

const browserMenus: MenuDeps = {
  create: (props) => void browser.contextMenus.create(props),
  removeAll: () => browser.contextMenus.removeAll(),
  onClicked: (listener) => browser.contextMenus.onClicked.addListener((info, tab) => listener(info, tab)),
  openWindow: (path) =>
    browser.windows.create({ url: browser.runtime.getURL(path as '/report.html'), type: 'popup', width: 460, height: 620 }),
};

export function registerContextMenu(deps: MenuDeps = browserMenus): void {
  // Menus outlive the worker; removing first keeps a restart from adding a duplicate.
  void deps.removeAll().then(() => deps.create({ id: MENU_ID, title: MENU_TITLE, contexts: ['image'] }));
  deps.onClicked((click, tab) => {
    const path = tab?.id != null ? describePath(tab.id, click) : null;
    if (path) void deps.openWindow(path);
  });
}
