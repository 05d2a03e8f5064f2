/**
 * A CSS selector for a finding, for people and for CI diffs: the nearest id, then
 * `tag:nth-of-type(n)` steps. Positions are cached per scan so a parent with thousands of images
 * costs one pass, not one pass per image. Shadow roots join with " >>> ".
 */
export class SelectorBuilder {
  // Maps, not WeakMaps: a builder lives for one scan pass, and Map lookups are cheaper.
  private readonly position = new Map<Element, number>();

  private readonly paths = new Map<Element, string>();

  /** `remember` false for the image itself: only ancestors' paths are shared, so only they are kept. */
  build(el: Element, remember = false): string {
    let path = this.paths.get(el);
    if (path === undefined) {
      path = this.compute(el);
      if (remember) this.paths.set(el, path);
    }
    return path;
  }

  /** Parents' paths are cached too: the images of one section share all but the last step. */
  private compute(el: Element): string {
    const id = el.getAttribute('id');
    const step = id && /^[A-Za-z][\w-]*$/.test(id) ? `#${id}` : null;
    const parent = el.parentElement;
    if (parent && !step) return `${this.build(parent, true)} > ${this.step(el)}`;
    // An id is unique only within its own tree, so a shadow root's ids keep the host's path.
    const host = (el.getRootNode() as ShadowRoot).host;
    if (host) return `${this.build(host, true)} >>> ${step ?? this.step(el)}`;
    return step ?? this.step(el);
  }

  private step(el: Element): string {
    const tag = el.localName;
    if (tag === 'html' || tag === 'body' || tag === 'head') return tag;
    return `${escapeTag(tag)}:nth-of-type(${this.indexOf(el)})`;
  }

  /** Numbers all of the parent's children by tag in one pass the first time any of them is asked. */
  private indexOf(el: Element): number {
    const known = this.position.get(el);
    if (known) return known;
    const parent = el.parentNode;
    if (!parent) return 1;
    const counts = new Map<string, number>();
    for (let child = parent.firstElementChild; child; child = child.nextElementSibling) {
      const tag = child.localName;
      const n = (counts.get(tag) ?? 0) + 1;
      counts.set(tag, n);
      this.position.set(child, n);
    }
    return this.position.get(el) ?? 1;
  }
}

const escaped = new Map<string, string>();

function escapeTag(tag: string): string {
  let step = escaped.get(tag);
  if (step === undefined) escaped.set(tag, (step = /^[a-z][a-z0-9-]*$/.test(tag) ? tag : CSS.escape(tag)));
  return step;
}
