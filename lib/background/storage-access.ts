import { browser } from 'wxt/browser';

type Closable = { setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' }) => Promise<void> };

/**
 * The API key is kept in storage.local, which Chromium lets every content script of the extension
 * read unless told otherwise. Ours never reads storage, so the area is closed to content scripts:
 * a page that compromised its renderer could otherwise reach the key through them. Chromium keeps
 * the setting across restarts; asking again on every worker start costs nothing. Firefox supports
 * it only for storage.session (closed already) and refuses: answers whether the area is closed.
 */
export async function closeStorageToContentScripts(area: Closable = browser.storage.local as Closable): Promise<boolean> {
  if (typeof area.setAccessLevel !== 'function') return false;
  try {
    await area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
    return true;
  } catch {
    return false;
  }
}
