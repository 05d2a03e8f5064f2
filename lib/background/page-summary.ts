import type { PageSummary, FrameScan } from '../page/schema';
import { pageSupport } from '../page/support';

export interface TabAccess {
  getTab(tabId: number): Promise<{ url?: string; title?: string } | undefined>;
  scanFrames(tabId: number): Promise<FrameScan[]>;
  /** Injects the content script into a tab that was open before AltScout was installed. */
  inject(tabId: number): Promise<void>;
}

export async function getPageSummary(tabId: number, access: TabAccess): Promise<PageSummary> {
  const tab = await access.getTab(tabId);
  if (!tab) return { supported: false, tabId, url: '', reason: 'That tab is closed. Open a page and try again.' };
  const url = tab.url ?? '';
  const support = pageSupport(url);
  if (!support.supported) return { supported: false, tabId, url, reason: support.reason };

  let frames: FrameScan[];
  try {
    frames = await access.scanFrames(tabId);
  } catch {
    try {
      await access.inject(tabId);
      frames = await access.scanFrames(tabId);
    } catch {
      return {
        supported: false,
        tabId,
        url,
        reason: 'AltScout cannot read this page. Reload it and open AltScout again.',
      };
    }
  }
  return {
    supported: true,
    tabId,
    url,
    title: tab.title ?? '',
    total: frames.reduce((n, f) => n + f.total, 0),
    missing: frames.reduce((n, f) => n + f.missing, 0),
  };
}
