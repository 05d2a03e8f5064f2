import type { Finding, FrameScan } from './schema';
import { collectCandidates, describeCandidate, frameResult, openShadowRoots, scanDocument, startPass } from './frame';

/**
 * The element AltScout draws its highlights in (lib/page/overlay.ts): the scanner skips it and
 * everything in it, because our own drawing is not page content.
 */
export const OVERLAY_TAG = 'altscout-overlay';

function isOurs(node: Node): boolean {
  const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  if (!el) return false;
  return el.localName === OVERLAY_TAG || (el.getRootNode() as ShadowRoot).host?.localName === OVERLAY_TAG;
}

/** Attributes that can change whether or how an image is named, hidden or sourced. */
const WATCHED = ['alt', 'src', 'srcset', 'role', 'aria-label', 'aria-labelledby', 'aria-hidden', 'title', 'hidden', 'style', 'class', 'inert', 'open', 'type', 'href', 'usemap', 'data-src', 'data-srcset', 'loading'];

/**
 * The content script's scanner: the first `scan()` walks the page; after that a MutationObserver
 * (started only then, so an unasked page pays nothing) notes which subtrees changed, and the next
 * `scan()` re-judges only those, plus images that finished loading (a loaded 1x1 is a pixel).
 */
export class LiveScanner {
  private readonly findings = new Map<Element, Finding>();
  private readonly dirty = new Set<Node>();
  private observer: MutationObserver | null = null;
  private readonly observed = new WeakSet<Node>();
  private structureChanged = false;
  private listeners = new Set<() => void>();

  constructor(private readonly doc: Document) {}

  scan(): FrameScan {
    const started = performance.now();
    if (!this.observer) {
      this.startWatching(this.fullScan());
    } else if (this.dirty.size || this.structureChanged) {
      this.rescanDirty();
    }
    return frameResult(this.doc, [...this.findings.values()], performance.now() - started);
  }

  /** The element's finding as of the last `scan()`, or undefined when it is not (or no longer) an image. */
  findingFor(el: Element): Finding | undefined {
    return this.findings.get(el);
  }

  /** Called (batched) when the page changes after the first scan: the overlay follows along. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.observer?.disconnect();
    this.doc.removeEventListener('load', this.onLoad, true);
    this.observer = null;
  }

  /** Returns the document's shadow roots, found on the way, for the observer to watch. */
  private fullScan(): ShadowRoot[] {
    this.findings.clear();
    return scanDocument(this.doc, (el, finding) => this.findings.set(el, finding));
  }

  private rescanDirty() {
    const pass = startPass(this.doc);
    const roots = [...this.dirty].filter((node) => node.isConnected);
    this.dirty.clear();
    if (this.structureChanged) {
      for (const el of this.findings.keys()) if (!el.isConnected) this.findings.delete(el);
    }
    for (const root of roots) {
      if (root.nodeType !== 1 && root.nodeType !== 9 && root.nodeType !== 11) continue;
      for (const shadow of openShadowRoots(root as Element)) this.watch(shadow);
      for (const candidate of collectCandidates(root as Element)) this.findings.set(candidate.el, describeCandidate(candidate, pass));
    }
    this.structureChanged = false;
  }

  private startWatching(roots: ShadowRoot[]) {
    this.observer = new MutationObserver((records) => this.record(records));
    this.watch(this.doc);
    for (const shadow of roots) this.watch(shadow);
    // load does not bubble; capturing it catches every image in the document as it arrives.
    this.doc.addEventListener('load', this.onLoad, true);
  }

  private watch(root: Document | ShadowRoot) {
    if (!this.observer || this.observed.has(root)) return;
    this.observed.add(root);
    this.observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: WATCHED, characterData: true });
  }

  private record(records: MutationRecord[]) {
    let relevant = false;
    for (const record of records) {
      // Redrawing the overlay must not look like a page change, or highlighting would feed itself.
      if (isOurs(record.target)) continue;
      relevant = true;
      if (record.type === 'childList') {
        this.structureChanged = true;
        record.addedNodes.forEach((node) => node.nodeType === 1 && !isOurs(node) && this.dirty.add(node));
        this.markLabelHolder(record.target);
      } else if (record.type === 'characterData') {
        this.markLabelHolder(record.target);
      } else if (record.attributeName === 'open' && (record.target as Element).localName === 'dialog') {
        // A modal dialog opening or closing makes the rest of the page inert or live again.
        this.dirty.add(this.doc);
      } else {
        this.dirty.add(record.target);
      }
    }
    if (relevant) this.notify();
  }

  /**
   * Text changed: re-judge only images whose name or link text could read from it (inside the
   * same link, button, label or figure), not everything under the body.
   */
  private markLabelHolder(node: Node) {
    const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
    const holder = el?.closest('a, button, label, figure, [role=button]');
    if (holder) this.dirty.add(holder);
  }

  private onLoad = (event: Event) => {
    const target = event.target as Element;
    if (target?.nodeType === 1 && target.localName === 'img' && this.findings.has(target)) {
      this.dirty.add(target);
      this.notify();
    }
  };

  private pending = false;
  private notify() {
    if (this.pending || !this.listeners.size) return;
    this.pending = true;
    setTimeout(() => {
      this.pending = false;
      for (const listener of this.listeners) listener();
    }, 100);
  }
}
