import type { FrameScan } from '../page/schema';
import type { Counts, Finding } from './schema';
import { CANDIDATE_SELECTOR, candidateOf, classify, type Candidate } from './classify';
import { findingContext, HeadingIndex, Surroundings, type ContextCaches } from './context';
import { registryFor, type ElementRegistry } from './registry';
import { SelectorBuilder } from './selector';
import { imageSource } from './source';
import type { AncestorHidden } from './visibility';

/** Everything a scan pass shares between the elements it looks at. */
export interface ScanPass {
  registry: ElementRegistry;
  selectors: SelectorBuilder;
  page: { pageTitle: string; lang: string };
  context: ContextCaches;
  ancestors: AncestorHidden;
}

export function startPass(doc: Document): ScanPass {
  return {
    registry: registryFor(doc),
    selectors: new SelectorBuilder(),
    page: { pageTitle: doc.title, lang: doc.documentElement?.lang ?? '' },
    context: { headings: new HeadingIndex(doc), around: new Surroundings(), texts: new Map(), headingTexts: new Map() },
    ancestors: { known: new Map(), light: false },
  };
}

/** Scans one document (this frame only: other frames answer for themselves), shadow roots included. */
export function scanFrame(doc: Document): FrameScan {
  const started = performance.now();
  const pass = startPass(doc);
  const roots = pass.context.headings.shadowRoots();
  pass.ancestors.light = roots.length === 0;
  const findings = collectCandidates(doc, roots).map((c) => describeCandidate(c, pass));
  return frameResult(doc, findings, performance.now() - started);
}

export function frameResult(doc: Document, findings: Finding[], scanMs: number): FrameScan {
  return {
    url: doc.URL,
    title: doc.title,
    lang: doc.documentElement?.lang ?? '',
    counts: countByStatus(findings),
    findings,
    scanMs,
  };
}

export function countByStatus(findings: Iterable<Finding>): Counts {
  const counts: Counts = { missing: 0, decorative: 0, suspicious: 0, ok: 0, ignored: 0 };
  for (const f of findings) counts[f.status] += 1;
  return counts;
}

/**
 * Candidates under `root` (itself included), through every open shadow root inside it.
 * `shadowRoots`: the roots directly under `root`, when the caller has already walked for them.
 */
export function collectCandidates(root: Document | ShadowRoot | Element, shadowRoots = openShadowRoots(root)): Candidate[] {
  const out: Candidate[] = [];
  const add = (el: Element) => {
    const candidate = candidateOf(el);
    if (candidate) out.push(candidate);
  };
  if (root.nodeType === 1 && (root as Element).matches(CANDIDATE_SELECTOR)) add(root as Element);
  root.querySelectorAll(CANDIDATE_SELECTOR).forEach(add);
  for (const shadow of shadowRoots) out.push(...collectCandidates(shadow));
  return out;
}

/** Open shadow roots directly under `root` (nested ones are found by recursing into each). */
export function openShadowRoots(root: Document | ShadowRoot | Element): ShadowRoot[] {
  const roots: ShadowRoot[] = [];
  const doc = root.nodeType === 9 ? (root as Document) : root.ownerDocument!;
  if (root.nodeType === 1 && (root as Element).shadowRoot) roots.push((root as Element).shadowRoot!);
  const walker = doc.createTreeWalker(root, 1 /* NodeFilter.SHOW_ELEMENT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const shadow = (node as Element).shadowRoot;
    if (shadow) roots.push(shadow);
  }
  return roots;
}

export function describeCandidate(candidate: Candidate, pass: ScanPass): Finding {
  const { el, kind } = candidate;
  const box: { rect?: DOMRect } = {};
  const measure = () => (box.rect ??= el.getBoundingClientRect());
  const verdict = classify(candidate, measure, pass);
  const describable = verdict.status === 'missing' || verdict.status === 'suspicious';
  // Measuring is the costliest read per element (layout geometry), so only the findings a
  // captioner may get are measured; areas are regions of another image and have no box.
  if (describable && kind !== 'area') measure();
  const { rect } = box;
  return {
    id: pass.registry.idFor(el),
    frameId: 0,
    selector: pass.selectors.build(el),
    kind,
    status: verdict.status,
    reasons: verdict.reasons,
    alt: verdict.alt,
    src: imageSource(el),
    width: rect ? Math.round(rect.width) : 0,
    height: rect ? Math.round(rect.height) : 0,
    // Only findings someone may describe get the (bounded, but not free) context walk.
    context: describable ? findingContext(el, pass.page, pass.context) : { ...pass.page },
  };
}
