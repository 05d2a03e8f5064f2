import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { FrameScan } from '../scan/schema';
import type { Status } from '../scan/schema';
import { inFrame } from '../page/merge';
import { countByStatus } from '../scan/frame';
import { parseDataUrl } from '../image';
import { evaluateIn, launchChromium, PageWorlds, scannerBundle, type FrameWorld } from './browser';
import type { FrameAudit } from './in-page';
import type { CodecPage } from './codec';
import { DnsCache } from './dns';
import { HeldRequests, type RequestStats } from './held-requests';

export { launchChromium, scannerBundle, chromiumPath } from './browser';
export type { RequestStats } from './held-requests';

/**
 * Loads pages in headless Chromium and runs the extension's own scanner (lib/scan, bundled by
 * esbuild) in an isolated world of every frame, for the audit and describe commands, the oracle
 * test and the benchmarks.
 *
 * Load policy: a page is scanned once its DOM is ready, it has been scrolled through (lazy
 * loaders get their chance) and nothing that changes a verdict has changed for `settleMs`, or
 * when `waitMs` have passed since navigation started, whichever comes first. Images and the
 * `load` event are never waited for. Scripts, stylesheets and frames that have not answered within
 * `requestTimeoutMs` are abandoned (they hold back the DOM), and URLs matching a `block` pattern
 * are never requested. A page with one of those still on its way has not settled: it is scanned
 * once each has answered or been abandoned and the page has been quiet again (lib/cli/held-requests.ts).
 */
export interface LoadPolicy {
  /** The most a page gets from navigation start to scan; it is then scanned as it is. */
  waitMs: number;
  /** Quiet period: no verdict-changing DOM change for this long means the page has settled. */
  settleMs: number;
  /** Scripts, stylesheets and frame documents unanswered after this are abandoned. */
  requestTimeoutMs: number;
  /** URL patterns never requested: a URL containing the pattern matches, `*` matches anything. */
  block: string[];
}

export const DEFAULT_LOAD: LoadPolicy = { waitMs: 15_000, settleMs: 500, requestTimeoutMs: 5_000, block: [] };

export interface PageScan extends FrameScan {
  /** The address asked for (`url` is where the page ended up). */
  requested: string;
  frames: number;
  /** Set when the page could not be loaded or scanned; the counts are then all zero. */
  error?: string;
  /** The top document's readyState when scanned: anything but "complete" was scanned before `load`. */
  readyState: DocumentReadyState | null;
  /** False when the wait cap came before the page settled. */
  settled: boolean;
  /** Navigation start to scan start. */
  loadMs: number;
  requests: RequestStats;
  /** Same-site candidates for --crawl: the top frame's links (absolute, without fragment). */
  links?: string[];
  /** Finding id → small PNG data: URL of the image, where it could be read. */
  thumbnails?: Record<string, string>;
  /** Where the time went: ms from opening the tab to the end of each step (for the benchmark). */
  phases?: Partial<Record<Phase, number>>;
}

export type Phase = 'tab' | 'commit' | 'domReady' | 'scrolled' | 'quiet' | 'frames' | 'scanned' | 'closed';

export interface AuditorOptions extends Partial<LoadPolicy> {
  /** Reuse a browser (tests, bench); otherwise one is launched and closed. */
  browser?: Browser;
  /**
   * Findings with these statuses also get the captioner's details (context, rendered size),
   * collected in the page as the extension does before a job; the rest keep the scan's own.
   */
  detailsFor?: Status[];
  /** Collect the top frame's links (for --crawl). */
  links?: boolean;
  /** Thumbnails of missing and suspicious images, drawn by this codec page. */
  thumbnails?: CodecPage;
}

export const THUMBNAIL_PX = 96;
/** Per page: a report with more has enough pictures, and the rest still lists every finding. */
const MAX_THUMBNAILS = 300;
const MAX_THUMBNAIL_SOURCE = 8 * 1024 * 1024;

const noop = () => undefined;
/** `promise`, or nothing after `ms`: the timer goes with whichever comes first. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((ok) => (timer = setTimeout(ok, ms)))]);
  clearTimeout(timer);
}
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0].replace(/^page\.goto: /, '');

/** "*" wildcards, matched anywhere in the URL, any case, as one expression; null for no patterns. */
export function urlPatterns(patterns: string[]): RegExp | null {
  if (!patterns.length) return null;
  return new RegExp(patterns.map((p) => p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')).join('|'), 'i');
}

/** "*" wildcards, matched anywhere in the URL (Lighthouse's --blocked-url-patterns, DevTools' request blocking). */
export function blockMatcher(patterns: string[]): (url: string) => boolean {
  const re = urlPatterns(patterns);
  return re ? (url) => re.test(url) : () => false;
}

/** One browser context auditing pages one or many at a time; see LoadPolicy. */
export class Auditor {
  private readonly held = new WeakMap<Page, HeldRequests>();
  private readonly isBlocked: (url: string) => boolean;
  private readonly dns = new DnsCache();
  readonly policy: LoadPolicy;

  private constructor(
    private readonly browser: Browser,
    private readonly ownsBrowser: boolean,
    readonly context: BrowserContext,
    private readonly options: AuditorOptions,
  ) {
    this.policy = {
      waitMs: options.waitMs ?? DEFAULT_LOAD.waitMs,
      settleMs: options.settleMs ?? DEFAULT_LOAD.settleMs,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_LOAD.requestTimeoutMs,
      block: options.block ?? [],
    };
    this.isBlocked = blockMatcher(this.policy.block);
  }

  static async start(options: AuditorOptions = {}): Promise<Auditor> {
    const browser = options.browser ?? (await launchChromium());
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const auditor = new Auditor(browser, !options.browser, context, options);
    // --block: every request of every frame (cross-site ones too) is checked, matched in
    // Playwright's server; without patterns no request is routed through Node at all.
    const blocked = urlPatterns(auditor.policy.block);
    if (blocked) {
      await context.route(blocked, (route, request) => {
        const page = pageOf(request);
        if (page) auditor.held.get(page)?.countBlocked();
        return route.abort('blockedbyclient').catch(noop);
      });
    }
    await scannerBundle();
    return auditor;
  }

  /** Thumbnails of missing and suspicious images from now on, drawn by `codec`. */
  useThumbnails(codec: CodecPage): void {
    this.options.thumbnails = codec;
  }

  async close(): Promise<void> {
    await this.context.close().catch(noop);
    if (this.ownsBrowser) await this.browser.close().catch(noop);
  }

  /** Loads, waits as the policy says, scans every frame, closes the page. Never throws: failures are `error`. */
  async audit(url: string): Promise<PageScan> {
    const open = await this.open(url);
    if ('error' in open) return open.error;
    await open.close();
    if (open.scan.phases) open.scan.phases.closed = Math.round(performance.now() - open.opened);
    return open.scan;
  }

  /**
   * Like audit, but the page stays open for the caller (describe reads its images and draws its
   * svgs in the same isolated worlds); close() when done.
   */
  async open(url: string): Promise<{ error: PageScan } | { scan: PageScan; page: Page; worlds: FrameWorld[]; opened: number; close(): Promise<void> }> {
    const opened = performance.now();
    const phases: PageScan['phases'] = {};
    const mark = (phase: Phase) => void (phases[phase] = Math.round(performance.now() - opened));
    const page = await this.context.newPage();
    const session = await this.context.newCDPSession(page);
    const held = await HeldRequests.start(session, { timeoutMs: this.policy.requestTimeoutMs, dns: this.dns, isBlocked: this.isBlocked });
    this.held.set(page, held);
    const responses = this.options.thumbnails ? new Map<string, Response>() : null;
    if (responses) {
      page.on('response', (r) => {
        if (r.request().resourceType() === 'image') responses.set(r.url(), r);
      });
    }
    mark('tab');
    const start = Date.now();
    const left = () => Math.max(0, start + this.policy.waitMs - Date.now());
    let worlds: PageWorlds | null = null;
    const fail = async (error: string) => {
      const requests = held.snapshot();
      held.stop();
      await (worlds ? worlds.detach() : session.detach().catch(noop));
      await page.close().catch(noop);
      return { error: failed(url, error, requests, Date.now() - start) };
    };
    try {
      let response: Response | null;
      try {
        response = await page.goto(url, { waitUntil: 'commit', timeout: this.policy.waitMs });
      } catch (error) {
        return fail(/Timeout/.test(firstLine(error)) ? `no answer within ${this.policy.waitMs} ms` : firstLine(error));
      }
      if (response && response.status() >= 400) return fail(`HTTP ${response.status()} ${response.statusText()}`.trim());
      mark('commit');
      worlds = PageWorlds.on(this.context, page, session);
      const settled = await this.settle(page, worlds, held, left, mark);
      const loadMs = Date.now() - start;
      const requests = held.snapshot();
      let frames: Awaited<ReturnType<Auditor['scanFrames']>>;
      try {
        frames = await this.scanFrames(worlds);
      } catch {
        // The page navigated away mid-scan (a script redirect): scan where it landed, once.
        await page.waitForLoadState('domcontentloaded', { timeout: Math.max(1000, left()) }).catch(noop);
        frames = await this.scanFrames(worlds);
      }
      mark('scanned');
      const scan = merge(url, frames.audits, { settled, loadMs, requests });
      scan.phases = phases;
      if (this.options.thumbnails && responses) scan.thumbnails = await thumbnails(scan, frames.worlds, responses, this.options.thumbnails);
      const attached = worlds;
      return {
        scan,
        page,
        worlds: frames.worlds,
        opened,
        close: async () => {
          held.stop();
          await attached.detach();
          await page.close().catch(noop);
        },
      };
    } catch (error) {
      return fail(firstLine(error));
    }
  }

  /** DOM ready, scrolled through, quiet with nothing held on its way, frames' DOM ready: as far as the cap allows. */
  private async settle(page: Page, worlds: PageWorlds, held: HeldRequests, left: () => number, mark: (phase: Phase) => void): Promise<boolean> {
    await page.waitForLoadState('domcontentloaded', { timeout: Math.max(1, left()) }).catch(noop);
    mark('domReady');
    if (left() <= 0) return false;
    // Frames load alongside; once the top frame has settled they get one request timeout more.
    // Only frames with a document to fetch: an about:blank, srcdoc or script-written frame is
    // ready with its parent, and Chromium's error page has nothing to wait for.
    const loading = page.frames().slice(1).filter((f) => /^(https?|file):/i.test(f.url()));
    const frames = Promise.all(loading.map((f) => f.waitForLoadState('domcontentloaded', { timeout: Math.max(1, left()) }).catch(noop)));
    try {
      const top = await worlds.top();
      if (!top) return false;
      await evaluateIn(top, `window.__altscoutCli.scroll(${Math.max(0, left() - this.policy.settleMs)})`);
      mark('scrolled');
      for (;;) {
        if (left() <= 0) return false;
        const { settled } = await evaluateIn<{ settled: boolean }>(top, `window.__altscoutCli.settle(${this.policy.settleMs}, ${left()})`);
        if (!settled) return false;
        if (!held.pending) break;
        // A script, stylesheet or frame still on its way can add or hide images: wait until each has
        // answered or been abandoned (at the request timeout), then for the page to be quiet again.
        if (!(await held.drained(left()))) return false;
      }
      mark('quiet');
      await within(frames, Math.min(left(), this.policy.requestTimeoutMs));
      mark('frames');
      return true;
    } catch {
      return false; // navigated while settling: scanFrames deals with it
    }
  }

  private async scanFrames(pageWorlds: PageWorlds) {
    const worlds = await pageWorlds.all();
    const audits: Array<FrameAudit & { frameId: number }> = [];
    for (const world of worlds) {
      const options = { detailsFor: this.options.detailsFor ?? [], links: world.index === 0 && Boolean(this.options.links) };
      // A frame that navigated away or was detached mid-scan is skipped, not fatal.
      const audit = await evaluateIn<FrameAudit>(world, `window.__altscoutCli.audit(${JSON.stringify(options)})`).catch((error: unknown) => {
        if (world.index === 0) throw error;
        return null;
      });
      if (audit) audits.push({ ...audit, frameId: world.index });
    }
    if (!audits.length || audits[0].frameId !== 0) throw new Error('The page has no document to scan.');
    return { audits, worlds };
  }
}

function pageOf(request: { frame(): { page(): Page } }): Page | null {
  try {
    return request.frame().page();
  } catch {
    return null; // a service worker's request has no frame
  }
}

/** Tab-wide result, ids "<frame>:<doc>:<id>" as the extension's background makes them. */
function merge(requested: string, audits: Array<FrameAudit & { frameId: number }>, extra: { settled: boolean; loadMs: number; requests: RequestStats }): PageScan {
  const [top] = audits;
  const findings = audits.flatMap((a) => a.scan.findings.map((f) => inFrame(f, a.frameId, a.scan.doc)));
  return {
    requested,
    url: top.scan.url,
    title: top.scan.title,
    lang: top.scan.lang,
    doc: top.scan.doc,
    counts: countByStatus(findings),
    findings,
    scanMs: audits.reduce((sum, a) => sum + a.scan.scanMs, 0),
    frames: audits.length,
    readyState: top.readyState,
    ...extra,
    ...(top.links ? { links: top.links } : {}),
  };
}

function failed(url: string, error: string, requests: RequestStats, loadMs: number): PageScan {
  return {
    requested: url, url, title: '', lang: '', doc: '', counts: { missing: 0, decorative: 0, suspicious: 0, ok: 0, ignored: 0 }, findings: [], scanMs: 0,
    frames: 0, error, readyState: null, settled: false, loadMs, requests,
  };
}

/**
 * Small pictures of the missing and suspicious images for the HTML report: bytes the page itself
 * received (or data: URLs, or inline svg markup) drawn in the codec page, never in the audited one.
 */
async function thumbnails(scan: PageScan, worlds: FrameWorld[], responses: Map<string, Response>, codec: CodecPage): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const wanted = scan.findings.filter((f) => f.status === 'missing' || f.status === 'suspicious').slice(0, MAX_THUMBNAILS);
  for (const f of wanted) {
    let png: Uint8Array | null = null;
    try {
      if (f.src?.startsWith('data:')) {
        const { bytes, type } = parseDataUrl(f.src, MAX_THUMBNAIL_SOURCE);
        png = await codec.draw(type === 'image/svg+xml' ? { svg: new TextDecoder().decode(bytes) } : { bytes, type }, THUMBNAIL_PX);
      } else if (f.src) {
        const response = responses.get(f.src);
        const body = response && response.ok() ? await response.body() : null;
        if (body && body.length <= MAX_THUMBNAIL_SOURCE) {
          const type = (response!.headers()['content-type'] ?? '').split(';')[0];
          png = await codec.draw(type === 'image/svg+xml' ? { svg: body.toString('utf8') } : { bytes: body, type }, THUMBNAIL_PX);
        }
      } else if (f.kind === 'svg' || f.kind === 'role-img') {
        const world = worlds[f.frameId];
        const svg = world ? await evaluateIn<{ markup: string; width: number; height: number } | null>(world, `window.__altscoutCli.svgMarkup(${JSON.stringify(f.id)})`) : null;
        if (svg) png = await codec.draw({ svg: svg.markup, width: svg.width, height: svg.height }, THUMBNAIL_PX);
      }
    } catch {
      png = null; // unreadable: the report says so
    }
    if (png) out[f.id] = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  }
  return out;
}

/** Audits `urls` with `concurrency` pages at a time; results in the order of `urls`. */
export async function scanPagesInChromium(urls: string[], options: AuditorOptions & { concurrency?: number } = {}): Promise<PageScan[]> {
  const auditor = await Auditor.start(options);
  try {
    const results: PageScan[] = new Array(urls.length);
    let next = 0;
    await runPool(options.concurrency ?? 1, () => (next < urls.length ? next++ : undefined), async (i) => {
      results[i] = await auditor.audit(urls[i]);
    });
    return results;
  } finally {
    await auditor.close();
  }
}

/**
 * Runs `work` on what `take` hands out, at most `concurrency` at once, until `take` has nothing
 * and nothing is running (work may make `take` return more: a crawl finding links).
 */
export function runPool<J>(concurrency: number, take: () => J | undefined, work: (job: J) => Promise<void>): Promise<void> {
  return new Promise((done, fail) => {
    let active = 0;
    let failed = false;
    const pump = () => {
      if (failed) return;
      while (active < concurrency) {
        const job = take();
        if (job === undefined) break;
        active += 1;
        work(job).then(() => {
          active -= 1;
          pump();
        }, (error: unknown) => {
          failed = true;
          fail(error);
        });
      }
      if (active === 0) done();
    };
    pump();
  });
}
