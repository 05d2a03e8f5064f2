import type { ApplyItem, ApplyResult } from './schema';
import type { Status } from '../scan/schema';
import { candidateOf, classify } from '../scan/classify';

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

  /** Restores every element written to; returns how many. */
  undo(): number {
    let restored = 0;
    for (const [el, attrs] of this.originals) {
      for (const [name, value] of attrs) {
        if (value == null) el.removeAttribute(name);
        else el.setAttribute(name, value);
      }
      restored += 1;
    }
    this.originals.clear();
    return restored;
  }

  private applyOne(item: ApplyItem, el: Element | null): string | null {
    if (!el || !el.isConnected) return 'The element is no longer on the page';
    const text = item.text.replace(/\s+/g, ' ').trim();
    if (!text) return 'The description is empty';
    const candidate = candidateOf(el);
    if (!candidate) return 'The element is not an image';
    const ours = this.originals.has(el);
    if (!ours && !item.overwrite) {
      const refusal = REFUSE[classify(candidate).status];
      if (refusal) return refusal;
    }
    const writes: Array<[string, string]> = [];
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

/** Text a person wrote (or a decorative mark) stays unless the user chose to replace it. */
const REFUSE: Partial<Record<Status, string>> = {
  ok: 'It already has alt text a person wrote; choose overwrite to replace it',
  suspicious: 'It already has alt text a person wrote; choose overwrite to replace it',
  decorative: 'It is marked decorative; choose overwrite to describe it anyway',
};
