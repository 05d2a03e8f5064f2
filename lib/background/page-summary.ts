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
  const counts = { missing: 0, decorative: 0, suspicious: 0, ok: 0, ignored: 0 };
  for (const frame of frames) for (const key of Object.keys(counts) as Array<keyof typeof counts>) counts[key] += frame.counts[key];
  return {
    supported: true,
    tabId,
    url,
    title: tab.title ?? '',
    counts,
    findings: frames.flatMap((f) => f.findings),
    frames: frames.length,
    scannedAt: Date.now(),
  };
}
