/**
 * Stable ids for elements: the same element keeps its id for its life in the page, so the popup
 * can apply, reveal or highlight a finding it got seconds ago. Ids live only in this frame's
 * memory; the page's DOM is not touched to mark them.
 */
export class ElementRegistry {
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

  /** Accepts the merged form "<frameId>:<id>" too, so a background can pass ids through as it got them. */
  element(id: string): Element | null {
    return this.elements.get(id.slice(id.lastIndexOf(':') + 1)) ?? null;
  }

  private prune() {
    for (const [id, el] of this.elements) if (!el.isConnected) this.elements.delete(id);
    this.pruneAt = Math.max(1000, this.elements.size * 2);
  }
}

const registries = new WeakMap<Document, ElementRegistry>();

export function registryFor(doc: Document): ElementRegistry {
  let registry = registries.get(doc);
  if (!registry) registries.set(doc, (registry = new ElementRegistry()));
  return registry;
}
