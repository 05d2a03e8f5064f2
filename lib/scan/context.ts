import type { FindingContext } from './schema';
import { cap, comparable, sanitize } from './text';
import { textOf } from './names';

/**
 * What a captioner needs to write alt that serves the image's purpose: where a link goes matters
 * more than what the picture shows. Every walk and text is bounded so a 5,000-image page stays fast.
 */
const TEXT_CAP = 300;
const HEADING_CAP = 200;

export interface ContextCaches {
  headings: HeadingIndex;
  around: Surroundings;
  /** Bounded, sanitized text per container element, shared by the images inside it. */
  texts: Map<Element, string>;
  /** Capped text per heading: a section's images share its heading. */
  headingTexts: Map<Element, string>;
}

export function findingContext(el: Element, page: { pageTitle: string; lang: string }, caches: ContextCaches): FindingContext {
  const context: FindingContext = { pageTitle: cap(page.pageTitle, HEADING_CAP), lang: page.lang };
  const { figure, link, button } = caches.around.of(el, false);
  const figcaption = figure?.querySelector(':scope > figcaption');
  if (figcaption) context.figcaption = cap(boundedText(figcaption, TEXT_CAP), TEXT_CAP);
  if (link) {
    context.linkText = cap(controlTextWithout(link, el), TEXT_CAP);
    context.linkHref = (link as HTMLAnchorElement).href;
  }
  if (button) context.buttonText = cap(controlTextWithout(button, el), TEXT_CAP);
  const heading = caches.headings.before(el);
  if (heading) {
    let text = caches.headingTexts.get(heading);
    if (text === undefined) caches.headingTexts.set(heading, (text = cap(boundedText(heading, HEADING_CAP), HEADING_CAP)));
    context.heading = text;
  }
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
 * search per image (thousands of compareDocumentPosition calls cost more than the walk). The
 * same walk lists the document's open shadow roots, so a full scan walks the page only once.
 */
export class HeadingIndex {
  private last: Map<Element, Element | null> | null = null;
  private roots: ShadowRoot[] = [];

  constructor(private readonly doc: Document) {}

  before(el: Element): Element | null {
    this.last ??= this.walk();
    const known = this.last.get(el);
    if (known !== undefined) return known;
    // In a shadow root: take the heading before its host.
    const host = (el.getRootNode() as ShadowRoot).host;
    return host ? this.before(host) : null;
  }

  /** Open shadow roots directly in the document (not nested in another shadow root), in order. */
  shadowRoots(): ShadowRoot[] {
    this.last ??= this.walk();
    return this.roots;
  }

  private walk(): Map<Element, Element | null> {
    const last = new Map<Element, Element | null>();
    const walker = this.doc.createTreeWalker(this.doc, 1 /* SHOW_ELEMENT */);
    let heading: Element | null = null;
    for (let node = walker.nextNode() as Element | null; node; node = walker.nextNode() as Element | null) {
      const tag = node.localName;
      const role = node.getAttribute('role');
      const shadow = node.shadowRoot;
      if (shadow) this.roots.push(shadow);
      if ((tag.length === 2 && tag[0] === 'h' && tag[1] >= '1' && tag[1] <= '6') || role === 'heading') heading = node;
      else if (role !== null || shadow || WALK_TAGS.has(tag)) last.set(node, heading);
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
function nearbyText(el: Element, cache: Map<Element, string>): string {
  let text = '';
  for (let node = el.parentElement; node && text.length < 40; node = node.parentElement) {
    let cached = cache.get(node);
    if (cached === undefined) cache.set(node, (cached = cap(boundedText(node, TEXT_CAP * 2), TEXT_CAP)));
    text = cached;
  }
  return text;
}

/**
 * Whether the text right next to the image (or its figure caption) reads as `key` once made
 * `comparable`: an alt that repeats it is read twice. Stops at the first match.
 */
export function repeatsAdjacentText(el: Element, key: string, around: Surroundings): boolean {
  const parent = el.parentElement;
  const holder = parent && (parent.localName === 'a' || parent.localName === 'picture') ? parent : el;
  let before = holder.previousSibling;
  while (before && isBlank(before)) before = before.previousSibling;
  if (before && around.comparableText(before) === key) return true;
  let after = holder.nextSibling;
  while (after && isBlank(after)) after = after.nextSibling;
  if (after && around.comparableText(after) === key) return true;
  // The image's own figure, or its parent's: the image itself was never asked about (only
  // ancestors are remembered), its parent already was by the check for link text.
  const figure = el.localName === 'figure' ? el : parent ? around.of(parent).figure : null;
  const caption = figure?.querySelector(':scope > figcaption');
  return caption ? around.comparableText(caption) === key : false;
}

interface Around {
  figure: Element | null;
  link: Element | null;
  button: Element | null;
  /** The nearest link or button: what `closest('a[href], button, [role=button]')` finds. */
  control: Element | null;
}
const NOTHING_AROUND: Around = { figure: null, link: null, button: null, control: null };

/**
 * What lies around elements, remembered for one scan pass: the images of a section share their
 * ancestors, so each ancestor is looked at once instead of three or four `closest()` calls per image.
 */
export class Surroundings {
  private readonly known = new Map<Element, Around>();
  private readonly comparableTexts = new Map<Element, string>();

  /**
   * The nearest figure, link and button at or above `el`, as `el.closest()` would find them.
   * Ancestors are remembered; an image asked about once need not be (`remember` false).
   */
  of(el: Element, remember = true): Around {
    let around = this.known.get(el);
    if (around) return around;
    const parent = el.parentElement;
    const up = parent ? this.of(parent) : NOTHING_AROUND;
    const tag = el.localName;
    const isFigure = tag === 'figure';
    const isLink = tag === 'a' && el.hasAttribute('href');
    const isButton = tag === 'button' || el.getAttribute('role') === 'button';
    around = isFigure || isLink || isButton
      ? { figure: isFigure ? el : up.figure, link: isLink ? el : up.link, button: isButton ? el : up.button, control: isLink || isButton ? el : up.control }
      : up;
    if (remember) this.known.set(el, around);
    return around;
  }

  /**
   * A neighbour's text as `comparable` makes it (scripts and styles read as nothing), remembered
   * for elements: the element between two images is read once.
   */
  comparableText(node: Node): string {
    if (node.nodeType === 3) return comparable(node.nodeValue);
    // Most neighbours of an image are other images: nothing inside, nothing to remember.
    if (node.nodeType !== 1 || !node.firstChild || isScript(node as Element)) return '';
    let text = this.comparableTexts.get(node as Element);
    if (text === undefined) this.comparableTexts.set(node as Element, (text = comparable(boundedText(node as Element, TEXT_CAP))));
    return text;
  }
}

/** A text node of white space only (`\S` and `trim()` agree on what white space is). */
function isBlank(node: Node): boolean {
  return node.nodeType === 3 && !/\S/.test(node.nodeValue ?? '');
}

function isScript(el: Element): boolean {
  return el.localName === 'script' || el.localName === 'style' || el.localName === 'template';
}

/** Text content, but stops reading once it has `max` characters: a sibling may be a whole article. */
export function boundedText(el: Element, max: number): string {
  if (!el.firstChild) return '';
  let text = '';
  if (el.childElementCount > 3 && !el.querySelector('script, style, template')) {
    // Nothing to skip inside: the browser's own walk over text nodes costs far less than visiting
    // every element from script (a section of cards is hundreds of nodes), with the same result.
    const walker = el.ownerDocument.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node && text.length < max; node = walker.nextNode()) text += node.nodeValue;
  } else {
    const out = { text };
    collectText(el, max, out);
    text = out.text;
  }
  return text.length > max ? text.slice(0, max) : text;
}

function collectText(node: Node, max: number, out: { text: string }): void {
  for (let child = node.firstChild; child && out.text.length < max; child = child.nextSibling) {
    if (child.nodeType === 3) out.text += child.nodeValue;
    else if (child.nodeType === 1 && child.firstChild && !isScript(child as Element)) collectText(child, max, out);
  }
}
