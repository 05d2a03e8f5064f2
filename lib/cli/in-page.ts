import '../scan/page-global';
import type { Status } from '../scan/schema';
import { parseFindingId } from '../page/finding-id';

/**
 * What the command line runs inside each frame of an audited page, bundled with the scanner
 * (lib/scan/page-global.ts) and evaluated in an isolated world of its own (CDP
 * Page.createIsolatedWorld): the page's scripts share the DOM but not this code's globals, so they
 * can neither call it, replace what it calls, nor read what it collects.
 */

export interface FrameAudit {
  scan: ReturnType<NonNullable<Window['__altscout']>['scan']>;
  readyState: DocumentReadyState;
  /** Same-document links (http/https, absolute, without #fragment), for --crawl; top frame only. */
  links?: string[];
}

declare global {
  interface Window {
    __altscoutCli?: typeof cli;
  }
}

/** What lazy loaders leave on images waiting to scroll in (their real source, or their class). */
const LAZY_MARKS = '[data-src], [data-srcset], [data-lazy-src], [data-lazy-srcset], [data-original], [data-lazy], img.lazy, img.lazyload, img[loading="lazy"]';

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const frame = () => new Promise((ok) => requestAnimationFrame(() => ok(undefined)));

const cli = {
  /** Scan with a selector for every finding, the captioner's details for `detailsFor` findings. */
  audit(options: { detailsFor: Status[]; links: boolean }): FrameAudit {
    const api = window.__altscout!;
    const scanned = api.scan();
    const selectors = api.selectors(scanned.findings.map((f) => f.id));
    let findings = scanned.findings.map((f, i) => ({ ...f, selector: selectors[i] ?? '' }));
    const wanted = findings.filter((f) => options.detailsFor.includes(f.status)).map((f) => f.id);
    if (wanted.length) {
      const details = new Map(api.details(wanted).map((d) => [d.id, d]));
      findings = findings.map((f) => {
        const d = details.get(f.id);
        return d ? { ...f, context: { ...f.context, ...d.context }, width: d.width, height: d.height } : f;
      });
    }
    return { scan: { ...scanned, findings }, readyState: document.readyState, ...(options.links ? { links: links() } : {}) };
  },

  /**
   * Scrolls through the page a viewport at a time (at most `maxSteps` steps, each given a
   * frame for IntersectionObserver-driven lazy loaders to react), then back to the top.
   */
  async scroll(budgetMs: number, maxSteps = 12): Promise<number> {
    const end = performance.now() + budgetMs;
    const root = document.scrollingElement ?? document.documentElement;
    if (!root || root.scrollHeight <= innerHeight + 1) return 0;
    // Only pages with a lazy loader's marks below the fold are worth the layout work of scrolling.
    if (!document.querySelector(LAZY_MARKS)) return 0;
    let steps = 0;
    for (let y = 0; y < root.scrollHeight - innerHeight && steps < maxSteps && performance.now() < end; steps += 1) {
      y += Math.max(innerHeight, Math.ceil(root.scrollHeight / maxSteps));
      scrollTo(0, y);
      await Promise.race([frame(), sleep(50)]);
    }
    scrollTo(0, 0);
    return steps;
  },

  /**
   * Resolves once nothing that changes a verdict (elements added or removed, image attributes,
   * names, roles, hiding) has changed for `quietMs`, or after `budgetMs`: { settled } says which.
   * Style and class churn (carousels, animations) does not hold it.
   */
  settle(quietMs: number, budgetMs: number): Promise<{ settled: boolean }> {
    return new Promise((done) => {
      const start = performance.now();
      let last = start;
      const observer = new MutationObserver(() => {
        last = performance.now();
      });
      observer.observe(document, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['src', 'srcset', 'alt', 'role', 'title', 'aria-label', 'aria-labelledby', 'aria-hidden', 'hidden', 'inert', 'type', 'href', 'usemap', 'data-src', 'data-srcset', 'open'],
      });
      const tick = () => {
        const now = performance.now();
        if (now - last >= quietMs || now - start >= budgetMs) {
          observer.disconnect();
          done({ settled: now - last >= quietMs });
        } else setTimeout(tick, Math.min(50, quietMs));
      };
      setTimeout(tick, Math.min(50, quietMs));
    });
  },

  /**
   * The markup of an inline svg (or the svg inside a role=img element) as a standalone image, for
   * drawing outside the page: sized as laid out, currentColor resolved. Null when it is gone.
   */
  svgMarkup(id: string): { markup: string; width: number; height: number } | null {
    // A merged id names the document it was scanned in: a frame that navigated since answers nothing.
    const parts = parseFindingId(id);
    const el = parts && parts.doc === window.__altscout!.doc() ? window.__altscout!.element(parts.local) : null;
    const svg = el && (el.localName === 'svg' ? el : el.querySelector('svg'));
    if (!svg) return null;
    const box = svg.getBoundingClientRect();
    const clone = svg.cloneNode(true) as SVGSVGElement;
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    clone.setAttribute('color', getComputedStyle(svg).color);
    if (box.width && box.height) {
      clone.setAttribute('width', String(box.width));
      clone.setAttribute('height', String(box.height));
    }
    return { markup: new XMLSerializer().serializeToString(clone), width: box.width, height: box.height };
  },

  /** A blob: URL's bytes as a data: URL (only the page's own origin can resolve it). */
  async readBlob(url: string, maxBytes: number): Promise<string> {
    const blob = await (await fetch(url)).blob();
    if (blob.size > maxBytes) throw new Error('too large');
    return new Promise((ok, fail) => {
      const reader = new FileReader();
      reader.onload = () => ok(String(reader.result));
      reader.onerror = () => fail(reader.error);
      reader.readAsDataURL(blob);
    });
  },
};

function links(): string[] {
  const out = new Set<string>();
  for (const a of document.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>('a[href], area[href]')) {
    const href = (a as { href: unknown }).href;
    if (typeof href !== 'string' || !/^https?:/i.test(href)) continue;
    const hash = href.indexOf('#');
    out.add(hash < 0 ? href : href.slice(0, hash));
  }
  return [...out];
}

window.__altscoutCli = cli;
