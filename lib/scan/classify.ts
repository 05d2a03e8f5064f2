import type { Kind, Reason, Status } from './schema';
import { ariaLabel, explicitRole, isFocusable, isPresentational, labelText, labelledbyText, nameRequired, svgTitle, titleAttr } from './names';
import { hiddenReason, type AncestorHidden, type Hidden } from './visibility';
import { fileNameOf, suspiciousReasons } from './suspicious';
import { controlTextWithout, repeatsAdjacentText, Surroundings } from './context';
import { sanitize } from './text';
import { hasLazySource, LAZY_SRC } from './source';

/**
 * One status per candidate, following the axe-core rule that covers its kind:
 * image-alt (img), input-image-alt, area-alt, role-img-alt (HTML role=img) and svg-img-alt
 * (svg-namespace role=img/graphics-*). Where we knowingly part from axe (tracking pixels, inline
 * svg without a role) the reason says so and tests/e2e/scan-oracle.test.ts documents it.
 */

/** `role`: the raw role attribute, read once when the element was matched. */
export type Candidate = { el: Element; kind: Kind; rule: 'image' | 'svg-no-role'; role: string | null };
export interface Verdict {
  status: Status;
  reasons: Reason[];
  alt: string | null;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export const CANDIDATE_SELECTOR = 'img, input, area[href], [role="img"], [role="image"], [role="graphics-symbol"], svg';

/** Which rule (if any) an element matched by CANDIDATE_SELECTOR falls under. */
export function candidateOf(el: Element): Candidate | null {
  const tag = el.localName;
  const role = el.getAttribute('role');
  if (el.namespaceURI === SVG_NS) {
    if (role === 'img' || role === 'image' || role === 'graphics-symbol' || (tag === 'svg' && role === 'graphics-document')) return { el, kind: 'svg', rule: 'image', role };
    // An svg without an image role is not checked by svg-img-alt; we list outer ones only.
    if (tag === 'svg' && !el.parentElement?.closest('svg')) return { el, kind: 'svg', rule: 'svg-no-role', role };
    return null;
  }
  if (tag === 'img') return { el, kind: 'img', rule: 'image', role };
  if (tag === 'input') return el.getAttribute('type')?.trim().toLowerCase() === 'image' ? { el, kind: 'input-image', rule: 'image', role } : null;
  if (tag === 'area') return el.closest('map') && el.hasAttribute('href') ? { el, kind: 'area', rule: 'image', role } : null;
  if (tag === 'object') return null;
  return role === 'img' || role === 'image' ? { el, kind: 'role-img', rule: 'image', role } : null;
}

/** What a scan pass remembers about ancestors and neighbours while it judges many elements. */
export interface PassMemo {
  ancestors: AncestorHidden;
  context: { around: Surroundings };
}

/** `memo` lets a scan pass share what it learned about ancestors and neighbours. */
export function classify({ el, kind, rule, role }: Candidate, memo?: PassMemo): Verdict {
  const around = memo?.context.around ?? new Surroundings();
  // area-alt runs with excludeHidden: false, so an area is judged however it is hidden.
  if (kind !== 'area') {
    const hidden = hiddenReason(el, memo?.ancestors);
    if (hidden) return { status: 'ignored', reasons: [HIDDEN[hidden]], alt: rawAlt(el) };
  }
  if (rule === 'svg-no-role') return classifyPlainSvg(el, role, around);
  // axe-core's no-explicit-name-required-matches, for every kind: an explicit role that needs no
  // name (and no focus to go with it) makes the element something other than an image.
  const explicit = explicitRole(el, role);
  if (explicit && explicit !== 'none' && explicit !== 'presentation' && !nameRequired(explicit) && !isFocusable(el)) {
    return { status: 'ignored', reasons: [{ code: 'not-an-image-role', text: `role="${explicit}" makes it something other than an image` }], alt: rawAlt(el) };
  }
  if (kind === 'img') return classifyImg(el, explicit, around);

  // Text that names the image from elsewhere on the page (aria-labelledby, <label>) is there on
  // purpose: it is read once, so it is not checked for repeating its surroundings.
  const borrowed = labelledbyText(el);
  if (borrowed) return named(el, borrowed, around, false);
  const own = kind === 'input-image' || kind === 'area'
    ? ariaLabel(el) || sanitize(el.getAttribute('alt')) || titleAttr(el)
    : (kind === 'svg' ? svgTitle(el) : '') || ariaLabel(el) || titleAttr(el);
  if (own) return named(el, own, around);
  const label = kind === 'input-image' ? labelText(el) : '';
  if (label) return named(el, label, around, false);
  if (kind === 'role-img' || kind === 'svg') {
    return { status: 'missing', reasons: [{ code: 'no-name', text: `role="${role}" without aria-label, aria-labelledby${kind === 'svg' ? ', a <title>' : ''} or title` }], alt: null };
  }
  const alt = el.getAttribute('alt');
  if (alt != null) {
    const what = kind === 'area' ? 'A linked image-map area' : 'An image button';
    return { status: 'missing', reasons: [{ code: 'empty-alt-on-control', text: `${what} needs a name; alt="${alt}" does not make it decorative` }], alt };
  }
  return { status: 'missing', reasons: [NO_ALT], alt: null };
}

/** `role`: the explicit role (explicitRole), already checked for roles that need no name. */
function classifyImg(el: Element, role: string | null, around: Surroundings): Verdict {
  const alt = el.getAttribute('alt');
  const presentational = isPresentational(el, role, alt);
  // axe's alt-space-value: alt=" " is neither a name nor a decorative mark, whatever else is there.
  if (alt != null && /^\s+$/.test(alt) && !presentational) {
    return { status: 'missing', reasons: [{ code: 'alt-only-spaces', text: 'The alt text is only spaces: neither a description nor a decorative mark' }], alt };
  }
  const borrowed = labelledbyText(el);
  if (borrowed) return named(el, borrowed, around, false);
  const name = ariaLabel(el) || sanitize(alt) || titleAttr(el);
  if (name) return named(el, name, around);
  if (presentational || alt != null) {
    const explicit = role === 'none' || role === 'presentation';
    return { status: 'decorative', reasons: [explicit ? { code: 'role-presentation', text: `Marked decorative with role="${role}"` } : { code: 'empty-alt', text: 'Marked decorative with alt=""' }], alt };
  }
  if (isTrackingPixel(el as HTMLImageElement)) {
    return { status: 'ignored', reasons: [{ code: 'tracking-pixel', text: 'A loaded image rendered at 1x1 or smaller: a tracking pixel, not content' }], alt: null };
  }
  return { status: 'missing', reasons: [NO_ALT], alt: null };
}

function classifyPlainSvg(el: Element, rawRole: string | null, around: Surroundings): Verdict {
  const role = explicitRole(el, rawRole);
  if (role === 'none' || role === 'presentation') return { status: 'decorative', reasons: [{ code: 'role-presentation', text: `Marked decorative with role="${role}"` }], alt: null };
  const borrowed = labelledbyText(el);
  if (borrowed) return named(el, borrowed, around, false);
  const name = svgTitle(el) || ariaLabel(el) || titleAttr(el);
  if (name) return named(el, name, around);
  return {
    status: 'ignored',
    reasons: [{ code: 'svg-no-role', text: 'Inline svg without role="img": not announced as an image, so not counted; add role="img" and a <title> if it carries meaning' }],
    alt: null,
  };
}

function named(el: Element, name: string, around: Surroundings, ownText = true): Verdict {
  const parent = ownText ? el.parentElement : null;
  const control = parent ? around.of(parent).control : null;
  const reasons = suspiciousReasons(name, {
    controlText: control ? controlTextWithout(control, el) : undefined,
    repeatsAdjacent: ownText ? (key) => repeatsAdjacentText(el, key, around) : never,
    fileNames: () => ownFileNames(el),
  });
  return { status: reasons.length ? 'suspicious' : 'ok', reasons, alt: name };
}

/**
 * Pixels only count once loaded: an image that has not arrived yet may still be content, and a
 * lazy image shows a 1x1 stand-in until its real source (in data-src and kin) is swapped in.
 * The size is the laid-out box (border box, as offsetWidth gives it), before transforms: an image
 * waiting at `transform: scale(0)` for a reveal animation is content, not a pixel. (It is also
 * less than half the cost of getBoundingClientRect, which maps the box through every transform.)
 */
function isTrackingPixel(img: HTMLImageElement): boolean {
  if (!img.complete || !img.naturalWidth) return false;
  return img.offsetWidth <= 1 && img.offsetHeight <= 1 && !hasLazySource(img);
}

const never = () => false;

/** The file names the element's image is known by: its src (and the lazy loader's), as written and as loaded. */
function ownFileNames(el: Element): string[] {
  const tag = el.localName;
  if (tag !== 'img' && tag !== 'input') return [];
  const urls = [el.getAttribute('src')];
  if (tag === 'img') {
    urls.push((el as HTMLImageElement).currentSrc);
    for (const name of LAZY_SRC) urls.push(el.getAttribute(name));
  }
  const names: string[] = [];
  for (const url of urls) {
    const name = url ? fileNameOf(url) : '';
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

function rawAlt(el: Element): string | null {
  return el.getAttribute('alt') ?? (el.getAttribute('aria-label') || null);
}

const NO_ALT: Reason = { code: 'no-alt', text: 'No alt attribute and no other text alternative (aria-label, aria-labelledby, title)' };
const HIDDEN: Record<NonNullable<Hidden>, Reason> = {
  'aria-hidden': { code: 'aria-hidden', text: 'Hidden from assistive technology with aria-hidden="true"' },
  inert: { code: 'inert', text: 'Inside an inert region' },
  'outside-modal': { code: 'outside-modal', text: 'Outside the open modal dialog, which makes the rest of the page inert while it is open' },
  hidden: { code: 'hidden', text: 'Not rendered (display:none, visibility:hidden or a hidden ancestor)' },
};
