import type { ApplyItem } from './protocol';
import type { ApplyResult } from './schema';
import type { Kind, Status } from '../scan/schema';
import { candidateOf, classify } from '../scan/classify';
import { imageSource } from '../scan/source';

/**
 * Writes descriptions into the page as attributes (never as HTML) and remembers every
 * attribute's value before the first write, so undo puts the page back exactly, including
 * attributes that were absent.
 */
export const MODEL_ATTR = 'data-altscout-model';
export const TIME_ATTR = 'data-altscout-time';

export class AltWriter {
  private readonly originals = new Map<Element, Map<string, string | null>>();

  apply(items: ApplyItem[], find: (id: string) => Element | null): ApplyResult {
    const result: ApplyResult = { applied: [], skipped: [] };
    for (const item of items) {
      const reason = this.applyOne(item, find(item.id));
      if (reason) result.skipped.push({ id: item.id, reason });
      else result.applied.push(item.id);
    }
    return result;
  }

  /** Restores `elements` (every element written to, when not given) as they were; returns how many were written to. */
  undo(elements?: Iterable<Element>): number {
    let restored = 0;
    for (const el of elements ?? [...this.originals.keys()]) {
      const attrs = this.originals.get(el);
      if (!attrs) continue;
      for (const [name, value] of attrs) {
        if (value == null) el.removeAttribute(name);
        else el.setAttribute(name, value);
      }
      this.originals.delete(el);
      restored += 1;
    }
    return restored;
  }

  private applyOne(item: ApplyItem, el: Element | null): string | null {
    if (!el || !el.isConnected) return 'The element is no longer on the page';
    if (item.src !== undefined && !showsImage(el, item.src)) return 'The image changed after it was described (it shows another file now); scan the page again';
    const text = item.text.replace(/\s+/g, ' ').trim();
    if (!text && !item.decorative) return 'The description is empty';
    const candidate = candidateOf(el);
    if (!candidate) return 'The element is not an image';
    if (!text) {
      const refusal = decorativeRefusal(candidate.kind, el);
      if (refusal) return refusal;
    }
    const ours = this.originals.has(el);
    if (!ours && !item.overwrite) {
      const refusal = REFUSE[classify(candidate).status];
      if (refusal) return refusal;
    }
    const writes: Array<[string, string]> = [];
    // Only an <img> reaches here with empty text: alt="" is how HTML marks it decorative.
    if (candidate.kind === 'img' || candidate.kind === 'input-image' || candidate.kind === 'area') {
      writes.push(['alt', text]);
    } else {
      writes.push(['aria-label', text]);
      // An svg without a role is not announced as an image; aria-label alone would go unheard.
      if (candidate.kind === 'svg' && !el.hasAttribute('role')) writes.push(['role', 'img']);
    }
    if (item.model) writes.push([MODEL_ATTR, item.model]);
    if (item.generatedAt != null) writes.push([TIME_ATTR, new Date(item.generatedAt).toISOString()]);
    this.remember(el, writes.map(([name]) => name));
    for (const [name, value] of writes) el.setAttribute(name, value);
    return null;
  }

  private remember(el: Element, names: string[]) {
    let attrs = this.originals.get(el);
    if (!attrs) this.originals.set(el, (attrs = new Map()));
    for (const name of names) if (!attrs.has(name)) attrs.set(name, el.getAttribute(name));
  }
}

/**
 * Whether `el` still shows the image a description was written for. The scan recorded the
 * address it showed (`src`); the same picture may now come from another candidate of its srcset
 * (the window was resized), so every address the element names counts.
 */
export function showsImage(el: Element, src: string | null): boolean {
  const now = imageSource(el);
  if (now === src) return true;
  if (src === null || now === null || el.localName !== 'img') return false;
  const img = el as HTMLImageElement;
  const named = [img.currentSrc, img.src];
  const sets = [img.getAttribute('srcset'), img.getAttribute('data-srcset'), ...[...(img.parentElement?.localName === 'picture' ? img.parentElement.querySelectorAll('source') : [])].map((s) => s.getAttribute('srcset'))];
  for (const set of sets) {
    if (!set) continue;
    for (const part of set.split(/,\s+/)) named.push(absoluteUrl(part.trim().split(/\s+/)[0], img));
  }
  return named.includes(src);
}

function absoluteUrl(url: string, el: Element): string {
  try {
    return new URL(url, el.baseURI).href;
  } catch {
    return url;
  }
}

/** Text a person wrote (or a decorative mark) stays unless the user chose to replace it. */
const REFUSE: Partial<Record<Status, string>> = {
  ok: 'It already has alt text a person wrote; choose overwrite to replace it',
  suspicious: 'It already has alt text a person wrote; choose overwrite to replace it',
  decorative: 'It is marked decorative; choose overwrite to describe it anyway',
};

/**
 * Why a decorative verdict cannot be written to this element, or null when alt="" may be set.
 * Only an <img> can be decorative through its text alternative: a button (input type=image), a
 * link (area) or an element with role=img must have a name, and an empty one fails WCAG 1.1.1/4.1.2;
 * so must a link or button whose only content is this image.
 */
export function decorativeRefusal(kind: Kind, el: Element): string | null {
  const byKind = decorativeKindRefusal(kind);
  if (byKind) return byKind;
  const role = el.getAttribute('role')?.trim().toLowerCase();
  // alt="" would be ignored (or contradicted) while these give the image a name or an image role.
  if (role && role !== 'none' && role !== 'presentation') return `It has role="${role}", so alt="" would not make it decorative; write a description or reject it`;
  if (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')) return 'It is named by aria-label or aria-labelledby, so alt="" would not make it decorative; write a description or reject it';
  const control = el.parentElement?.closest('a[href], button');
  if (control && !hasOtherName(control, el)) return `It is all there is in a ${control.localName === 'a' ? 'link' : 'button'}, which would be left without a name; write a description of where it leads or what it does`;
  return null;
}

/** Whether a link or button keeps a name without this image: its own text, a label, or another image's alt. */
function hasOtherName(control: Element, image: Element): boolean {
  if (control.textContent?.trim()) return true;
  if (['aria-label', 'aria-labelledby', 'title'].some((name) => control.getAttribute(name)?.trim())) return true;
  return [...control.querySelectorAll('img[alt]')].some((other) => other !== image && other.getAttribute('alt')!.trim() !== '');
}

/** The part of `decorativeRefusal` that needs only the kind, so the review can say it before applying. */
export function decorativeKindRefusal(kind: Kind): string | null {
  if (kind === 'img') return null;
  return `${DECORATIVE_KIND_WORDS[kind]} must have a name, so it cannot be marked decorative with empty text; write a description or reject it`;
}

const DECORATIVE_KIND_WORDS: Record<Exclude<Kind, 'img'>, string> = {
  'input-image': 'An image button (input type=image)',
  area: 'An image-map link (area)',
  'role-img': 'An element with role=img',
  svg: 'An SVG image',
};
