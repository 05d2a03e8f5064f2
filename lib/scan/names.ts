import { sanitize } from './text';

/**
 * Accessible-name pieces, following axe-core 4.x (node_modules/axe-core/axe.js): `getExplicitRole`,
 * `presentational-role`, `aria-label`, `aria-labelledby`, `non-empty-title`, `non-empty-alt`,
 * `svg-non-empty-title`, `implicit-label`/`explicit-label`. Kept to what the five image rules use.
 */

/** ARIA roles whose definition says an accessible name is required (axe-core's standards). */
const NAME_REQUIRED = new Set(
  'alertdialog application button checkbox combobox dialog image img link listbox menuitem menuitemcheckbox menuitemradio meter option progressbar radio searchbox slider spinbutton switch textbox toolbar treeitem graphics-document graphics-symbol'.split(' '),
);

/** Valid (non-abstract) ARIA roles, enough to tell an explicit role from a typo axe would ignore. */
const VALID_ROLES = new Set(
  `${[...NAME_REQUIRED].join(' ')} alert article banner blockquote caption cell code columnheader comment complementary contentinfo definition deletion document emphasis feed figure form generic graphics-object grid gridcell group heading insertion list listitem log main mark marquee math menu menubar navigation none note paragraph presentation radiogroup region row rowgroup rowheader scrollbar search separator status strong subscript suggestion superscript tab table tablist tabpanel term time timer tooltip tree treegrid`.split(' '),
);

const GLOBAL_ARIA = new Set('aria-actions aria-atomic aria-braillelabel aria-brailleroledescription aria-busy aria-controls aria-current aria-describedby aria-description aria-details aria-disabled aria-dropeffect aria-errormessage aria-flowto aria-grabbed aria-haspopup aria-hidden aria-invalid aria-keyshortcuts aria-label aria-labelledby aria-live aria-owns aria-relevant aria-roledescription'.split(' '));

/** axe reads the whole role attribute as one token: `role="presentation img"` is no role at all. */
export function explicitRole(el: Element, raw = el.getAttribute('role')): string | null {
  if (raw === null) return null;
  const role = raw.trim().toLowerCase();
  return VALID_ROLES.has(role) ? role : null;
}

export function nameRequired(role: string): boolean {
  return NAME_REQUIRED.has(role);
}

export function hasGlobalAria(el: Element): boolean {
  // One list of the few attributes present, not a question per global attribute.
  for (const name of el.getAttributeNames()) if (GLOBAL_ARIA.has(name)) return true;
  return false;
}

/** Close enough to axe's `isFocusable` for images: a tabindex, or a natively focusable control. */
export function isFocusable(el: Element): boolean {
  if ((el as HTMLInputElement).disabled) return false;
  const tabindex = el.getAttribute('tabindex');
  if (tabindex != null && /^\s*-?\d+\s*$/.test(tabindex)) return true;
  const tag = el.localName;
  return tag === 'input' || tag === 'button' || tag === 'select' || tag === 'textarea' || ((tag === 'a' || tag === 'area') && el.hasAttribute('href'));
}

/**
 * The role after ARIA's conflict resolution: role="none" on an element with a global ARIA
 * attribute or focus is ignored, and `<img alt="">` is implicitly presentational.
 */
export function isPresentational(el: Element, role = explicitRole(el), alt = el.getAttribute('alt')): boolean {
  const conflict = () => hasGlobalAria(el) || isFocusable(el);
  if (role === 'none' || role === 'presentation') return !conflict();
  if (role) return false;
  return alt === '' && el.localName === 'img' && !conflict();
}

export function ariaLabel(el: Element): string {
  return sanitize(el.getAttribute('aria-label'));
}

/** Text of the elements aria-labelledby points at, in the element's own tree (document or shadow root). */
export function labelledbyText(el: Element): string {
  const ids = (el.getAttribute('aria-labelledby') ?? '').trim();
  if (!ids) return '';
  const root = el.getRootNode() as Document | ShadowRoot;
  const parts: string[] = [];
  for (const id of ids.split(/\s+/)) {
    const ref = root.getElementById?.(id);
    if (ref) parts.push(textOf(ref));
  }
  return sanitize(parts.join(' '));
}

/** A referenced or labelling element's text: its own label first, then its content (images by their alt). */
export function textOf(el: Element): string {
  const label = el.getAttribute('aria-label');
  if (label && label.trim()) return label;
  if (el.localName === 'img' || el.localName === 'area' || (el.localName === 'input' && (el as HTMLInputElement).type === 'image')) {
    return el.getAttribute('alt') ?? '';
  }
  let text = '';
  for (let node = el.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 3) text += node.nodeValue;
    else if (node.nodeType === 1) text += ` ${textOf(node as Element)} `;
  }
  return text;
}

export function titleAttr(el: Element): string {
  return sanitize(el.getAttribute('title'));
}

/** svg-non-empty-title: a direct `<title>` child with text. */
export function svgTitle(el: Element): string {
  for (let child = el.firstElementChild; child; child = child.nextElementSibling) {
    if (child.localName === 'title') return (child.textContent ?? '').trim();
  }
  return '';
}

/**
 * implicit-label and explicit-label, for `<input type=image>`. Reads the DOM rather than
 * `input.labels`, which Chromium answers slowly (it is a live list over the whole tree).
 */
export function labelText(el: Element): string {
  const labels: Element[] = [];
  const wrapping = el.closest('label');
  if (wrapping) labels.push(wrapping);
  if (el.id) {
    const root = el.getRootNode() as Document | ShadowRoot;
    root.querySelectorAll(`label[for="${CSS.escape(el.id)}"]`).forEach((label) => label !== wrapping && labels.push(label));
  }
  return sanitize(labels.map((label) => textOf(label)).join(' '));
}
