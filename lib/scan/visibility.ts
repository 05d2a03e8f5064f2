/**
 * "Hidden from assistive technology" as axe-core's `isVisibleToScreenReaders` defines it:
 * aria-hidden="true" or `inert` on the element or an ancestor, display:none on it or an
 * ancestor, visibility:hidden/collapse on itself (computed, so inherited), content-visibility:
 * hidden on an ancestor, or inside a closed <details>; and, as axe's `isInert` does, everything
 * outside a modal dialog while one is open (the browser makes it inert). Ancestors are walked in
 * the flat tree, so a shadow host hides what it hosts.
 */

export type Hidden = 'aria-hidden' | 'inert' | 'outside-modal' | 'hidden' | null;

/** The parent in the flat tree: a slot for slotted content, the host for a shadow root's children. */
function flatParent(el: Element): Element | null {
  const slot = (el as HTMLElement).assignedSlot;
  if (slot) return slot;
  if (el.parentElement) return el.parentElement;
  const root = el.parentNode;
  return root && (root as ShadowRoot).host ? (root as ShadowRoot).host : null;
}

type TreeHidden = 'aria-hidden' | 'inert' | null;

/**
 * Whether an element (or a flat-tree ancestor) is aria-hidden or inert, per element. A scan pass
 * shares one: the images of a section then read each ancestor's attributes once, not once each.
 * `light`: the document has no open shadow root, so the flat tree is the light tree and the
 * browser's own `closest()` can do the walk.
 */
export interface AncestorHidden {
  known: Map<Element, TreeHidden>;
  light: boolean;
  /**
   * Light tree, whole-document pass only: every candidate under (or carrying) an aria-hidden or
   * inert mark, from `markTreeHidden`. A candidate not in it is not hidden by the tree, which saves
   * a `closest()` per image; only the candidates the map was built for may be asked.
   */
  marked?: Map<Element, TreeHidden>;
  /** `nativeCheckVisibility` of the pass's document, asked once per pass instead of once per image. */
  native?: boolean;
  /** The pass's `openModal`, looked up once; undefined: not looked up yet. */
  modal?: Element | null;
}

export function hiddenReason(el: Element, ancestors?: AncestorHidden): Hidden {
  const fromTree = ancestors?.light
    ? (ancestors.marked ? ancestors.marked.get(el) ?? null : hiddenInLightTree(el))
    : hiddenFromTree(el, ancestors?.known, false);
  if (fromTree) return fromTree;
  const modal = ancestors?.modal !== undefined ? ancestors.modal : openModal(el.ownerDocument);
  if (modal && !inFlatTreeOf(el, modal)) return 'outside-modal';
  return isRenderedHidden(el, ancestors?.native) ? 'hidden' : null;
}

/**
 * The modal dialog open in `doc` (opened with showModal()): the browser makes everything outside
 * it inert. With modals opened inside one another the innermost, last in document order, is on top.
 */
export function openModal(doc: Document): Element | null {
  let modals: NodeListOf<Element>;
  try {
    modals = doc.querySelectorAll('dialog:modal');
  } catch {
    return null; // An engine without :modal (happy-dom) has no modal dialogs either.
  }
  return modals.length ? modals[modals.length - 1] : null;
}

function inFlatTreeOf(el: Element, ancestor: Element): boolean {
  for (let node: Element | null = el; node; node = flatParent(node)) if (node === ancestor) return true;
  return false;
}

/**
 * The elements matching `selector` that an aria-hidden or inert mark hides, nearest mark winning,
 * found from the marks (few on most pages) rather than from every image. The marks themselves are
 * in it too, candidates or not: only candidates are looked up. Light tree only.
 */
export function markTreeHidden(doc: Document, selector: string): Map<Element, TreeHidden> {
  const marked = new Map<Element, TreeHidden>();
  // Document order puts an inner mark after its outer one, so the nearest mark is set last.
  doc.querySelectorAll(TREE_HIDING).forEach((mark) => {
    const hidden = ownTreeHiding(mark);
    if (!hidden) return;
    marked.set(mark, hidden);
    if (mark.firstElementChild) mark.querySelectorAll(selector).forEach((el) => marked.set(el, hidden));
  });
  return marked;
}

function ownTreeHiding(el: Element): TreeHidden {
  const ariaHidden = el.getAttribute('aria-hidden');
  if (ariaHidden !== null && ariaHidden.trim().toLowerCase() === 'true') return 'aria-hidden';
  return el.hasAttribute('inert') ? 'inert' : null;
}

/** `remember` is false for the element asked about: only its ancestors are shared with others. */
function hiddenFromTree(el: Element, cache?: Map<Element, TreeHidden>, remember = true): TreeHidden {
  const known = cache?.get(el);
  if (known !== undefined) return known;
  let hidden = ownTreeHiding(el);
  if (!hidden) {
    const parent = flatParent(el);
    if (parent) hidden = hiddenFromTree(parent, cache);
  }
  if (remember) cache?.set(el, hidden);
  return hidden;
}

const TREE_HIDING = '[aria-hidden], [inert]';

/** The same answer as `hiddenFromTree` where there is no shadow tree: nearest marked ancestor first. */
function hiddenInLightTree(el: Element): TreeHidden {
  for (let node = el.closest(TREE_HIDING); node; node = node.parentElement?.closest(TREE_HIDING) ?? null) {
    const hidden = ownTreeHiding(node);
    if (hidden) return hidden;
  }
  return null;
}

const WITH_VISIBILITY = { visibilityProperty: true } as CheckVisibilityOptions;

function isRenderedHidden(el: Element, native = nativeCheckVisibility(el.ownerDocument)): boolean {
  // Chromium answers display:none ancestors, content-visibility and closed <details> in one call
  // from its own style data; the walk below is the fallback for other engines (and happy-dom).
  if (native) {
    return !el.checkVisibility(WITH_VISIBILITY);
  }
  const view = el.ownerDocument.defaultView;
  if (!view) return false;
  const own = view.getComputedStyle(el);
  if (own.visibility === 'hidden' || own.visibility === 'collapse') return true;
  for (let node: Element | null = el; node; node = flatParent(node)) {
    const style = node === el ? own : view.getComputedStyle(node);
    if (style.display === 'none') return true;
    if (node !== el && style.getPropertyValue('content-visibility') === 'hidden') return true;
    const parent = node.parentElement;
    if (parent?.localName === 'details' && !parent.hasAttribute('open') && !isFirstSummary(node, parent)) return true;
  }
  return false;
}

function isFirstSummary(node: Element, details: Element): boolean {
  return node.localName === 'summary' && details.querySelector(':scope > summary') === node;
}

const native = new WeakMap<Document, boolean>();

// happy-dom ships a checkVisibility that ignores stylesheets; unit tests need the real walk.
export function nativeCheckVisibility(doc: Document): boolean {
  let ok = native.get(doc);
  if (ok === undefined) {
    const view = doc.defaultView;
    ok = typeof view?.Element.prototype.checkVisibility === 'function' && !view.navigator.userAgent.includes('HappyDOM');
    native.set(doc, ok);
  }
  return ok;
}
