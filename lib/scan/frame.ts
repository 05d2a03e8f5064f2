import type { Counts, Finding, FrameScan } from './schema';
import { CANDIDATE_SELECTOR, candidateOf, classify, type Candidate } from './classify';
import { Surroundings } from './context';
import { registryFor, type ElementRegistry } from './registry';
import { imageSource } from './source';
import { markTreeHidden, nativeCheckVisibility, openModal, type AncestorHidden } from './visibility';

/** Everything a scan pass shares between the elements it looks at. */
export interface ScanPass {
  registry: ElementRegistry;
  /** Frozen: every finding of the pass shares it as its scan-time context (details get their own). */
  page: Readonly<{ pageTitle: string; lang: string }>;
  context: { around: Surroundings };
  ancestors: AncestorHidden;
}

export function startPass(doc: Document): ScanPass {
  const registry = registryFor(doc);
  registry.sweep();
  return {
    registry,
    page: Object.freeze({ pageTitle: doc.title, lang: doc.documentElement?.lang ?? '' }),
    context: { around: new Surroundings() },
    ancestors: { known: new Map(), light: false, native: nativeCheckVisibility(doc), modal: openModal(doc) },
  };
}

/**
 * A full scan of one document, shadow roots included: what the content script's first scan
 * (LiveScanner) and `scanFrame` both run. Returns the document's open shadow roots, found on the way.
 */
export function scanDocument(doc: Document, found: (el: Element, finding: Finding) => void): ShadowRoot[] {
  const pass = startPass(doc);
  const roots = openShadowRoots(doc);
  pass.ancestors.light = roots.length === 0;
  if (pass.ancestors.light) pass.ancestors.marked = markTreeHidden(doc, CANDIDATE_SELECTOR);
  for (const candidate of collectCandidates(doc, roots)) found(candidate.el, describeCandidate(candidate, pass));
  return roots;
}

/** Scans one document (this frame only: other frames answer for themselves), shadow roots included. */
export function scanFrame(doc: Document): FrameScan {
  const started = performance.now();
  const findings: Finding[] = [];
  scanDocument(doc, (_el, finding) => findings.push(finding));
  return frameResult(doc, findings, performance.now() - started);
}

export function frameResult(doc: Document, findings: Finding[], scanMs: number): FrameScan {
  return {
    url: doc.URL,
    title: doc.title,
    lang: doc.documentElement?.lang ?? '',
    doc: registryFor(doc).doc,
    counts: countByStatus(findings),
    findings,
    scanMs,
  };
}

export function countByStatus(findings: Iterable<Finding>): Counts {
  let missing = 0, decorative = 0, suspicious = 0, ok = 0, ignored = 0;
  // Named counters, not counts[f.status]: a keyed store per finding is a slow generic lookup.
  for (const f of findings) {
    const status = f.status;
    if (status === 'missing') missing += 1;
    else if (status === 'ignored') ignored += 1;
    else if (status === 'ok') ok += 1;
    else if (status === 'suspicious') suspicious += 1;
    else decorative += 1;
  }
  return { missing, decorative, suspicious, ok, ignored };
}

/**
 * Candidates under `root` (itself included), through every open shadow root inside it.
 * `shadowRoots`: the roots directly under `root`, when the caller has already walked for them.
 */
export function collectCandidates(root: Document | ShadowRoot | Element, shadowRoots = openShadowRoots(root)): Candidate[] {
  const out: Candidate[] = [];
  if (root.nodeType === 1 && (root as Element).matches(CANDIDATE_SELECTOR)) {
    const candidate = candidateOf(root as Element);
    if (candidate) out.push(candidate);
  }
  // An index loop: NodeList.forEach calls back into script once per element, which costs more.
  const matched = root.querySelectorAll(CANDIDATE_SELECTOR);
  for (let i = 0, n = matched.length; i < n; i += 1) {
    const candidate = candidateOf(matched[i]);
    if (candidate) out.push(candidate);
  }
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
  // Size and the captioner's context are collected on demand for the images being described
  // (./details.ts): the scan answers every popup open, a description is asked for a few images.
  const verdict = classify(candidate, pass);
  return {
    id: pass.registry.idFor(el),
    frameId: 0,
    // Filled in on demand (findingDetails, findingSelectors) for the findings that need one.
    selector: '',
    kind,
    status: verdict.status,
    reasons: verdict.reasons,
    alt: verdict.alt,
    src: imageSource(el),
    width: 0,
    height: 0,
    context: pass.page,
  };
}
