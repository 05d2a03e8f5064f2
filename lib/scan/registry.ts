/**
 * Stable ids for elements: the same element keeps its id for its life in the page, so the popup
 * can apply, reveal or highlight a finding it got seconds ago. Ids live only in this frame's
 * memory; the page's DOM is not touched to mark them.
 *
 * `doc` names this document: a short random token made once, when the document is first asked
 * about. Merged finding ids carry it (lib/page/finding-id.ts), so a request made for one document
 * is refused by the next one in the same frame after a reload or navigation.
 */
export class ElementRegistry {
  readonly doc = documentToken();
  private readonly ids = new WeakMap<Element, string>();
  // Strong references, pruned of removed elements between scan passes: a WeakRef per image cost
  // more than the rest of its bookkeeping on a 5,000-image page.
  private readonly elements = new Map<string, Element>();
  private next = 1;
  /** Pruning when the map doubles keeps its cost constant per id, however many images arrive. */
  private pruneAt = 1000;

  idFor(el: Element): string {
    let id = this.ids.get(el);
    if (!id) {
      id = `e${this.next++}`;
      this.ids.set(el, id);
      this.elements.set(id, el);
    }
    return id;
  }

  /**
   * Called once per scan pass, before it hands out ids: drops removed elements once the map has
   * doubled since the last sweep. Never in the middle of a pass, where every element is still
   * connected and a sweep (three of them in a first scan of 5,000 images) would find nothing.
   */
  sweep(): void {
    if (this.elements.size >= this.pruneAt) this.prune();
  }

  /** The element with this local id (as the scan handed it out), or null. */
  element(id: string): Element | null {
    return this.elements.get(id) ?? null;
  }

  private prune() {
    for (const [id, el] of this.elements) if (!el.isConnected) this.elements.delete(id);
    this.pruneAt = Math.max(1000, this.elements.size * 2);
  }
}

/** 12 base-36 characters from the platform's random source: unguessable by the page, and short. */
function documentToken(): string {
  const [a, b] = crypto.getRandomValues(new Uint32Array(2));
  return (a.toString(36) + b.toString(36)).padStart(12, '0').slice(-12);
}

const registries = new WeakMap<Document, ElementRegistry>();

export function registryFor(doc: Document): ElementRegistry {
  let registry = registries.get(doc);
  if (!registry) registries.set(doc, (registry = new ElementRegistry()));
  return registry;
}
