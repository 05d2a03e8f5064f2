/**
 * Stable ids for elements: the same element keeps its id for its life in the page, so the popup
 * can apply, reveal or highlight a finding it got seconds ago. Ids live only in this frame's
 * memory; the page's DOM is not touched to mark them.
 */
export class ElementRegistry {
  private readonly ids = new WeakMap<Element, string>();
  private readonly elements = new Map<string, WeakRef<Element>>();
  private next = 1;

  idFor(el: Element): string {
    let id = this.ids.get(el);
    if (!id) {
      id = `e${this.next++}`;
      this.ids.set(el, id);
      this.elements.set(id, new WeakRef(el));
    }
    return id;
  }

  /** Accepts the merged form "<frameId>:<id>" too, so a background can pass ids through as it got them. */
  element(id: string): Element | null {
    const local = id.slice(id.lastIndexOf(':') + 1);
    const el = this.elements.get(local)?.deref();
    if (!el) this.elements.delete(local);
    return el ?? null;
  }
}

const registries = new WeakMap<Document, ElementRegistry>();

export function registryFor(doc: Document): ElementRegistry {
  let registry = registries.get(doc);
  if (!registry) registries.set(doc, (registry = new ElementRegistry()));
  return registry;
}
