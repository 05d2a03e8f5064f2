import type { CDPSession } from 'playwright-core';
import type { DnsCache } from './dns';
import { fetchWithDeadline, FetchTimeout } from './fetcher';

/**
 * The requests that hold a page back, and only those, go through Node under a deadline.
 *
 * A parser-blocking script or stylesheet, or a frame's document, that never answers holds back
 * the DOM behind it, and a browser waits for it as long as the network lets it. On the 30 saved
 * pages here, where third-party hosts do not resolve, Chromium takes 1 to 12 s to give up on
 * each (bbc-1 waits 11.6 s for DOMContentLoaded). So those requests are paused in Chromium (CDP
 * `Fetch`, filtered by resource type), fetched in Node with one deadline for the whole answer,
 * and handed back, or abandoned when the deadline passes. Everything else (images, fonts, XHR,
 * media) is never paused: it goes its own way in Chromium and is never waited for.
 *
 * One CDP session per page: its frames in the page's own process, and the documents of all its
 * child frames, cross-site ones included. Requests inside a cross-site (out-of-process) frame are
 * its own process's: they are not held, and the frame gets at most the same deadline once the
 * top document has settled (see scan-pages.ts).
 */
export interface RequestStats {
  /** Requests that held the page and did not answer within the per-request timeout. */
  abandoned: string[];
  blocked: number;
  failed: number;
}

export interface HoldOptions {
  timeoutMs: number;
  dns: DnsCache;
  stats: RequestStats;
  isBlocked: (url: string) => boolean;
}

interface Paused {
  requestId: string;
  request: { url: string; method: string; headers: Record<string, string> };
  frameId: string;
  resourceType: string;
}

const HELD_TYPES = ['Script', 'Stylesheet', 'Document'];
const noop = () => undefined;

/** Starts holding `session`'s page's requests; call before it navigates. */
export async function holdRequests(session: CDPSession, options: HoldOptions): Promise<void> {
  const { frameTree } = (await session.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
  const top = frameTree.frame.id;
  session.on('Fetch.requestPaused', (event) => void answer(session, event as Paused, top, options).catch(noop));
  await session.send('Fetch.enable', { patterns: HELD_TYPES.map((resourceType) => ({ urlPattern: '*', resourceType: resourceType as 'Script', requestStage: 'Request' as const })) });
}

async function answer(session: CDPSession, event: Paused, top: string, { timeoutMs, dns, stats, isBlocked }: HoldOptions): Promise<void> {
  const { requestId, request } = event;
  const url = request.url;
  if (isBlocked(url)) {
    stats.blocked += 1;
    await session.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
    return;
  }
  // The page's own navigation is the page: it is Playwright's to wait for (goto's timeout).
  const ownNavigation = event.resourceType === 'Document' && event.frameId === top;
  if (ownNavigation || request.method !== 'GET' || !/^https?:/i.test(url)) {
    await session.send('Fetch.continueRequest', { requestId });
    return;
  }
  const headers = { ...request.headers };
  // Chromium adds cookies after this stage: the page's cookies for the URL go along as it would send them.
  const { cookies } = (await session.send('Network.getCookies', { urls: [url] }).catch(() => ({ cookies: [] }))) as { cookies: Array<{ name: string; value: string }> };
  if (cookies.length) headers.cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  try {
    const response = await fetchWithDeadline(url, headers, { dns, timeoutMs });
    await session.send('Fetch.fulfillRequest', { requestId, responseCode: response.status, responseHeaders: response.headers, body: response.body.toString('base64') });
  } catch (error) {
    if (error instanceof FetchTimeout) {
      stats.abandoned.push(url);
      await session.send('Fetch.failRequest', { requestId, errorReason: 'TimedOut' });
      return;
    }
    stats.failed += 1;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const errorReason = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'NameNotResolved' : code === 'ECONNREFUSED' ? 'ConnectionRefused' : 'Failed';
    await session.send('Fetch.failRequest', { requestId, errorReason });
  }
}
