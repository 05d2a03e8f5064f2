import type { FindingContext } from './schema';
import { cap, sanitize } from './text';
import { textOf } from './names';

/**
 * What a captioner needs to write alt that serves the image's purpose: where a link goes matters
 * more than what the picture shows. Every walk and text is bounded so a 5,000-image page stays fast.
 */
const TEXT_CAP = 300;
const HEADING_CAP = 200;
const MAX_SIBLINGS = 12;

export interface ContextCaches {
  headings: HeadingIndex;
  /** Bounded, sanitized text per container element, shared by the images inside it. */
  texts: WeakMap<Element, string>;
}

export function findingContext(el: Element, page: { pageTitle: string; lang: string }, caches: ContextCaches): FindingContext {
  const context: FindingContext = { pageTitle: cap(page.pageTitle, HEADING_CAP), lang: page.lang };
  const figcaption = el.closest('figure')?.querySelector(':scope > figcaption');
  if (figcaption) context.figcaption = cap(boundedText(figcaption, TEXT_CAP), TEXT_CAP);
  const link = el.closest('a[href]') as HTMLAnchorElement | null;
  if (link) {
    context.linkText = cap(controlTextWithout(link, el), TEXT_CAP);
    context.linkHref = link.href;
  }
  const button = el.closest('button, [role=button]');
  if (button) context.buttonText = cap(controlTextWithout(button, el), TEXT_CAP);
  const heading = caches.headings.before(el);
  if (heading) context.heading = cap(boundedText(heading, HEADING_CAP), HEADING_CAP);
  const nearby = nearbyText(el, caches.texts);
  if (nearby) context.nearbyText = nearby;
  return context;
}

/** The link's or button's text without the image's own alt: what the image would repeat. */
export function controlTextWithout(control: Element, image: Element): string {
  let text = '';
  for (let node = control.firstChild; node; node = node.nextSibling) {
    if (node === image) continue;
    if (node.nodeType === 3) text += node.nodeValue;
    else if (node.nodeType === 1) text += (node as Element).contains(image) ? ` ${controlTextWithout(node as Element, image)} ` : ` ${textOf(node as Element)} `;
  }
  return sanitize(text);
}

/**
 * The heading before each image, found in one document-order walk on first use instead of a
 * search per image (thousands of compareDocumentPosition calls cost more than the walk).
 */
export class HeadingIndex {
  private last: WeakMap<Element, Element | null> | null = null;

  constructor(private readonly doc: Document) {}

  before(el: Element): Element | null {
    this.last ??= this.walk();
    const known = this.last.get(el);
    if (known !== undefined) return known;
    // In a shadow root: take the heading before its host.
    const host = (el.getRootNode() as ShadowRoot).host;
    return host ? this.before(host) : null;
  }

  private walk(): WeakMap<Element, Element | null> {
    const last = new WeakMap<Element, Element | null>();
    const walker = this.doc.createTreeWalker(this.doc.documentElement ?? this.doc, 1 /* SHOW_ELEMENT */);
    let heading: Element | null = null;
    for (let node = walker.nextNode() as Element | null; node; node = walker.nextNode() as Element | null) {
      const tag = node.localName;
      if ((tag.length === 2 && tag[0] === 'h' && tag[1] >= '1' && tag[1] <= '6') || node.getAttribute('role') === 'heading') heading = node;
      else if (WALK_TAGS.has(tag) || node.shadowRoot || node.hasAttribute('role')) last.set(node, heading);
    }
    return last;
  }
}

const WALK_TAGS = new Set(['img', 'input', 'area', 'svg', 'g', 'image', 'path', 'use', 'symbol']);

/**
 * The text of the smallest container around the image with a sentence's worth in it (40
 * characters), capped. Cached per container: the images of one card or section share it, which
 * keeps a page of thousands of images cheap.
 */
function nearbyText(el: Element, cache: WeakMap<Element, string>): string {
  let text = '';
  for (let node = el.parentElement; node && text.length < 40; node = node.parentElement) {
    let cached = cache.get(node);
    if (cached === undefined) cache.set(node, (cached = cap(boundedText(node, TEXT_CAP * 2), TEXT_CAP)));
    text = cached;
  }
  return text;
}

/** The texts right next to the image (and its figure caption): what an alt should not repeat. */
export function adjacentTexts(el: Element): string[] {
  const texts: string[] = [];
  const holder = el.parentElement?.localName === 'a' || el.parentElement?.localName === 'picture' ? el.parentElement : el;
  for (const direction of ['previousSibling', 'nextSibling'] as const) {
    let node = holder[direction];
    while (node && node.nodeType === 3 && !node.nodeValue?.trim()) node = node[direction];
    if (node && (node.nodeType === 3 || !isScript(node as Element))) texts.push(node.nodeType === 3 ? node.nodeValue ?? '' : boundedText(node as Element, TEXT_CAP));
  }
  const caption = el.closest('figure')?.querySelector(':scope > figcaption');
  if (caption) texts.push(boundedText(caption, TEXT_CAP));
  return texts;
}

function isScript(el: Element): boolean {
  return el.localName === 'script' || el.localName === 'style' || el.localName === 'template';
}

/** Text content, but stops reading once it has `max` characters: a sibling may be a whole article. */
export function boundedText(el: Element, max: number): string {
  const out = { text: '' };
  collectText(el, max, out);
  return out.text.length > max ? out.text.slice(0, max) : out.text;
}

function collectText(node: Node, max: number, out: { text: string }): void {
  for (let child = node.firstChild; child && out.text.length < max; child = child.nextSibling) {
    if (child.nodeType === 3) out.text += child.nodeValue;
    else if (child.nodeType === 1 && child.firstChild && !isScript(child as Element)) collectText(child, max, out);
  }
}
