import type { Finding, FindingDetails, FrameJobInput } from './schema';
import { findingContext, HeadingIndex, Surroundings, type ContextCaches } from './context';
import { registryFor } from './registry';
import { SelectorBuilder } from './selector';

/**
 * What only the captioner needs, for the images about to be described: their context (caption,
 * link, button, heading, nearby text) and rendered size. The scan leaves these out (it answers
 * every popup open); a job asks for them once, for its own images. Ids are local ids (as the
 * scan handed them out); ids of elements no longer in the page are left out.
 */
export function findingDetails(doc: Document, ids: string[]): FindingDetails[] {
  const registry = registryFor(doc);
  const page = { pageTitle: doc.title, lang: doc.documentElement?.lang ?? '' };
  let caches: ContextCaches | null = null;
  const selectors = new SelectorBuilder();
  const details: FindingDetails[] = [];
  for (const id of ids) {
    const el = registry.element(id);
    if (!el || !el.isConnected) continue;
    // One heading walk and shared container texts for the whole request, built only if needed.
    caches ??= { headings: new HeadingIndex(doc), around: new Surroundings(), texts: new Map(), headingTexts: new Map() };
    // Areas are regions of another image and have no box of their own.
    const rect = el.localName === 'area' ? null : el.getBoundingClientRect();
    details.push({
      id,
      selector: selectors.build(el),
      context: findingContext(el, page, caches),
      width: rect ? Math.round(rect.width) : 0,
      height: rect ? Math.round(rect.height) : 0,
    });
  }
  return details;
}

/**
 * A job's whole input for each id, in one pass over the document: the finding as the scanner
 * judges it now (`current`, for example LiveScanner.findingFor) with the details the scan leaves
 * out. Elements no longer in the page, or no longer images, are left out.
 */
export function jobInputs(doc: Document, ids: string[], current: (el: Element) => Finding | undefined): FrameJobInput[] {
  const registry = registryFor(doc);
  const found: Finding[] = [];
  for (const id of ids) {
    const el = registry.element(id);
    const finding = el && el.isConnected ? current(el) : undefined;
    if (finding) found.push(finding);
  }
  const details = new Map(findingDetails(doc, found.map((f) => f.id)).map((d) => [d.id, d]));
  return found.flatMap(({ id, kind, status, alt, src, context }) => {
    const d = details.get(id);
    return d ? [{ id, kind, status, alt, src, selector: d.selector ?? '', width: d.width, height: d.height, context: { ...context, ...d.context } }] : [];
  });
}

/**
 * Selectors for findings (in the order of `ids`; '' for an element no longer in the page), for
 * callers that list every image with its selector (the CLI) without paying for their context.
 */
export function findingSelectors(doc: Document, ids: string[]): string[] {
  const registry = registryFor(doc);
  const selectors = new SelectorBuilder();
  return ids.map((id) => {
    const el = registry.element(id);
    return el && el.isConnected ? selectors.build(el) : '';
  });
}

type Detailed = Pick<Finding, 'id' | 'selector' | 'context' | 'width' | 'height'>;

/**
 * The findings (or job items) with the details the scan leaves out (selector, context, rendered
 * size) filled in. A finding without details (its frame could not be reached) keeps what the scan found.
 */
export function withDetails<F extends Detailed>(findings: F[], details: FindingDetails[]): F[] {
  const byId = new Map(details.map((d) => [d.id, d]));
  return findings.map((f) => {
    const d = byId.get(f.id);
    return d ? { ...f, selector: d.selector || f.selector, context: { ...f.context, ...d.context }, width: d.width, height: d.height } : f;
  });
}
