/**
 * "Hidden from assistive technology" as axe-core's `isVisibleToScreenReaders` defines it:
 * aria-hidden="true" or `inert` on the element or an ancestor, display:none on it or an
 * ancestor, visibility:hidden/collapse on itself (computed, so inherited), content-visibility:
 * hidden on an ancestor, or inside a closed <details>. Ancestors are walked in the flat tree, so
 * a shadow host hides what it hosts.
 */

export type Hidden = 'aria-hidden' | 'inert' | 'hidden' | null;

/** The parent in the flat tree: a slot for slotted content, the host for a shadow root's children. */
function flatParent(el: Element): Element | null {
  const slot = (el as HTMLElement).assignedSlot;
  if (slot) return slot;
  if (el.parentElement) return el.parentElement;
  const root = el.parentNode;
  return root && (root as ShadowRoot).host ? (root as ShadowRoot).host : null;
}

/**
 * Whether an element (or a flat-tree ancestor) is aria-hidden or inert, per element. A scan pass
 * shares one: the images of a section then read each ancestor's attributes once, not once each.
 */
export type AncestorHidden = Map<Element, 'aria-hidden' | 'inert' | null>;

export function hiddenReason(el: Element, ancestors?: AncestorHidden): Hidden {
  return hiddenFromTree(el, ancestors, false) ?? (isRenderedHidden(el) ? 'hidden' : null);
}

/** `remember` is false for the element asked about: only its ancestors are shared with others. */
function hiddenFromTree(el: Element, cache?: AncestorHidden, remember = true): 'aria-hidden' | 'inert' | null {
  const known = cache?.get(el);
  if (known !== undefined) return known;
  let hidden: 'aria-hidden' | 'inert' | null = null;
  const ariaHidden = el.getAttribute('aria-hidden');
  if (ariaHidden !== null && ariaHidden.trim().toLowerCase() === 'true') hidden = 'aria-hidden';
  else if (el.hasAttribute('inert')) hidden = 'inert';
  else {
    const parent = flatParent(el);
    if (parent) hidden = hiddenFromTree(parent, cache);
  }
  if (remember) cache?.set(el, hidden);
  return hidden;
}

const WITH_VISIBILITY = { visibilityProperty: true } as CheckVisibilityOptions;

function isRenderedHidden(el: Element): boolean {
  // Chromium answers display:none ancestors, content-visibility and closed <details> in one call
  // from its own style data; the walk below is the fallback for other engines (and happy-dom).
  if (nativeCheckVisibility(el.ownerDocument)) {
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
function nativeCheckVisibility(doc: Document): boolean {
  let ok = native.get(doc);
  if (ok === undefined) {
    const view = doc.defaultView;
    ok = typeof view?.Element.prototype.checkVisibility === 'function' && !view.navigator.userAgent.includes('HappyDOM');
    native.set(doc, ok);
  }
  return ok;
}
