import { browser } from 'wxt/browser';
import type { PageSummary, FrameScan } from '../page/schema';
import { inFrame } from '../page/merge';
import { pageSupport } from '../page/support';
import { send } from '../messaging';

/** A frame's answer; `frameId` absent means the top frame (0). */
export type TabFrameScan = FrameScan & { frameId?: number };

export interface TabAccess {
  getTab(tabId: number): Promise<{ url?: string; title?: string } | undefined>;
  scanFrames(tabId: number): Promise<TabFrameScan[]>;
  /** Injects the content script into a tab that was open before AltScout was installed. */
  inject(tabId: number): Promise<void>;
}

export async function getPageSummary(tabId: number, access: TabAccess): Promise<PageSummary> {
  const tab = await access.getTab(tabId);
  if (!tab) return { supported: false, tabId, url: '', reason: 'That tab is closed. Open a page and try again.' };
  const url = tab.url ?? '';
  const support = pageSupport(url);
  if (!support.supported) return { supported: false, tabId, url, reason: support.reason };

  let frames: TabFrameScan[];
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
    findings: frames.flatMap((f) => f.findings.map((finding) => inFrame(finding, f.frameId ?? 0))),
    frames: frames.length,
    scannedAt: Date.now(),
  };
}

/** A frame that never answers (frozen, mid-navigation) must not hold the popup's count hostage. */
export const FRAME_TIMEOUT_MS = 3000;

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error: unknown) => { clearTimeout(timer); reject(error); },
    );
  });
}

/** The ids of a tab's frames; the top frame alone when the browser will not list them. */
export async function frameIdsOf(tabId: number): Promise<number[]> {
  const frames = await browser.webNavigation.getAllFrames({ tabId }).catch(() => null);
  const ids = (frames ?? []).map((f) => f.frameId).filter((id) => id >= 0);
  return ids.length ? [...new Set([0, ...ids])].sort((a, b) => a - b) : [0];
}

/**
 * Every frame's scan. Frames without our script (sandboxed, about:blank still loading) or that
 * time out are left out; if the top frame cannot answer either, the caller injects and retries.
 */
export async function scanAllFrames(tabId: number): Promise<TabFrameScan[]> {
  const ids = await frameIdsOf(tabId);
  const answers = await Promise.allSettled(
    ids.map(async (frameId) => ({ ...(await withTimeout(send('scanFrame', {}, { tabId, frameId }), FRAME_TIMEOUT_MS, `Frame ${frameId}`)), frameId })),
  );
  const top = answers[ids.indexOf(0)];
  if (top.status === 'rejected') throw top.reason;
  return answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
}
