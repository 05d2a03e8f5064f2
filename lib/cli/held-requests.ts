import { setMaxListeners } from 'node:events';
import type { CDPSession } from 'playwright-core';
import type { DnsCache } from './dns';
import { fetchWithDeadline, FetchTimeout } from './fetcher';

/**
 * The page's http(s) requests, seen before Chromium makes them (CDP `Fetch`, one session per
 * page: its own frames and the documents of all its child frames, cross-site ones included).
 *
 * - What holds a page back (scripts, stylesheets, frame documents) goes through Node under a
 *   deadline. A parser-blocking script or stylesheet that never answers holds back the DOM behind
 *   it, and a browser waits for it as long as the network lets it: on the 30 saved pages here,
 *   where third-party hosts do not resolve, Chromium takes 1 to 12 s to give up on each (bbc-1
 *   waits 11.6 s for DOMContentLoaded). So those requests are fetched in Node with one deadline
 *   for the whole answer and handed back, or abandoned when the deadline passes. While any is
 *   on its way the page has not settled (it can still add or hide images): see `pending`.
 * - Everything else (images, fonts, XHR, media) goes its own way in Chromium and is never waited
 *   for; only a name that DNS says does not exist fails at once, as Chromium would fail it after
 *   its own lookup. Chromium's lookups of dead names take seconds each here (median 2 to 5 s on
 *   bbc-1 and pixnet, in batches), and an image's `onerror` handler often changes the page
 *   (pixnet removes every broken image): a page must not look settled between two batches.
 *
 * Requests inside a cross-site (out-of-process) frame are its own process's: they are not seen,
 * and the frame gets at most one request timeout once the top document has settled (scan-pages.ts).
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
  isBlocked: (url: string) => boolean;
}

interface Paused {
  requestId: string;
  request: { url: string; method: string; headers: Record<string, string> };
  frameId: string;
  resourceType: string;
}

/** Resource types whose answer the DOM waits for or can change with. */
const HELD_TYPES = new Set(['Script', 'Stylesheet', 'Document']);
const noop = () => undefined;

export class HeldRequests {
  private readonly stats: RequestStats = { abandoned: [], blocked: 0, failed: 0 };
  private held = 0;
  private drainedWaiters: Array<() => void> = [];
  private readonly stopped = new AbortController();

  private constructor(private readonly session: CDPSession, private readonly top: string, private readonly options: HoldOptions) {
    setMaxListeners(0, this.stopped.signal); // one listener per request on its way, however many
  }

  /** Starts seeing `session`'s page's requests; call before it navigates. */
  static async start(session: CDPSession, options: HoldOptions): Promise<HeldRequests> {
    const { frameTree } = (await session.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    const held = new HeldRequests(session, frameTree.frame.id, options);
    session.on('Fetch.requestPaused', (event) => void held.answer(event as Paused).catch(noop));
    await session.send('Fetch.enable', { patterns: [{ urlPattern: 'http*', requestStage: 'Request' }] });
    return held;
  }

  /** Scripts, stylesheets and frame documents on their way (fetched, not yet answered or abandoned). */
  get pending(): number {
    return this.held;
  }

  /** Resolves true once nothing is pending, or false after `ms`. */
  drained(ms: number): Promise<boolean> {
    if (!this.held) return Promise.resolve(true);
    return new Promise((done) => {
      const waiter = () => {
        clearTimeout(timer);
        done(true);
      };
      const timer = setTimeout(() => {
        this.drainedWaiters = this.drainedWaiters.filter((w) => w !== waiter);
        done(false);
      }, ms);
      this.drainedWaiters.push(waiter);
    });
  }

  /** The figures as they are now: a scan reports what had happened when it ran, not after. */
  snapshot(): RequestStats {
    return { abandoned: [...this.stats.abandoned], blocked: this.stats.blocked, failed: this.stats.failed };
  }

  /** Called when the page closes: what Node is still fetching for it is dropped. */
  stop(): void {
    this.stopped.abort();
  }

  /** Counts a request the context-wide --block route refused (a cross-site frame's). */
  countBlocked(): void {
    this.stats.blocked += 1;
  }

  private async answer(event: Paused): Promise<void> {
    const { requestId, request } = event;
    const { session } = this;
    const url = request.url;
    if (this.options.isBlocked(url)) {
      this.stats.blocked += 1;
      await session.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
      return;
    }
    // The page's own navigation is the page: it is Playwright's to wait for (goto's timeout).
    const ownNavigation = event.resourceType === 'Document' && event.frameId === this.top;
    if (ownNavigation) {
      await session.send('Fetch.continueRequest', { requestId });
      return;
    }
    const isHeld = HELD_TYPES.has(event.resourceType) && request.method === 'GET';
    // A name DNS says does not exist fails now rather than after Chromium's own lookup.
    const missing = await this.options.dns.resolve(new URL(url).hostname).then(() => false, (error: NodeJS.ErrnoException) => error.code === 'ENOTFOUND');
    if (missing) {
      if (isHeld) this.stats.failed += 1;
      await session.send('Fetch.failRequest', { requestId, errorReason: 'NameNotResolved' });
      return;
    }
    if (!isHeld) {
      await session.send('Fetch.continueRequest', { requestId });
      return;
    }
    this.held += 1;
    try {
      await this.fetchHeld(requestId, request);
    } finally {
      this.held -= 1;
      if (!this.held) {
        const waiters = this.drainedWaiters;
        this.drainedWaiters = [];
        waiters.forEach((w) => w());
      }
    }
  }

  private async fetchHeld(requestId: string, request: Paused['request']): Promise<void> {
    const { session } = this;
    const { url } = request;
    const headers = { ...request.headers };
    // Chromium adds cookies after this stage: the page's cookies for the URL go along as it would send them.
    const { cookies } = (await session.send('Network.getCookies', { urls: [url] }).catch(() => ({ cookies: [] }))) as { cookies: Array<{ name: string; value: string }> };
    if (cookies.length) headers.cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    try {
      const response = await fetchWithDeadline(url, headers, { dns: this.options.dns, timeoutMs: this.options.timeoutMs, signal: this.stopped.signal });
      await session.send('Fetch.fulfillRequest', { requestId, responseCode: response.status, responseHeaders: response.headers, body: response.body.toString('base64') });
    } catch (error) {
      if (this.stopped.signal.aborted) return; // the page is gone: nothing to count or answer
      if (error instanceof FetchTimeout) {
        this.stats.abandoned.push(url);
        await session.send('Fetch.failRequest', { requestId, errorReason: 'TimedOut' });
        return;
      }
      this.stats.failed += 1;
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const errorReason = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'NameNotResolved' : code === 'ECONNREFUSED' ? 'ConnectionRefused' : 'Failed';
      await session.send('Fetch.failRequest', { requestId, errorReason });
    }
  }
}
