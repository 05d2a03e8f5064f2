/**
 * The address of the image an element shows, absolute, for the captioner. Lazy loaders keep the
 * real address in data-* attributes and a tiny placeholder in src until the image scrolls in.
 */

export const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-url'];
const LAZY_SRCSET = ['data-srcset', 'data-lazy-srcset'];
const LAZY_ANY_SELECTOR = [...LAZY_SRC, ...LAZY_SRCSET].map((name) => `[${name}]`).join(', ');

export function imageSource(el: Element): string | null {
  switch (el.localName) {
    case 'img':
      return imgSource(el as HTMLImageElement);
    case 'input':
      return el.getAttribute('src') ? (el as HTMLInputElement).src : null;
    case 'area':
      return areaImage(el);
    default:
      return el.namespaceURI === 'http://www.w3.org/2000/svg' ? svgImage(el) : backgroundImage(el);
  }
}

/** A lazy loader's image: its real source waits in a data-* attribute. */
export function hasLazySource(img: Element): boolean {
  // One native match instead of a call per attribute name.
  return img.matches(LAZY_ANY_SELECTOR);
}

function imgSource(img: HTMLImageElement): string | null {
  // What the browser shows wins; the lazy attributes are read only when it shows nothing real.
  const current = img.currentSrc;
  if (current && !isPlaceholder(current)) return current;
  const lazy = firstSet(img, LAZY_SRC);
  const lazySet = firstSet(img, LAZY_SRCSET);
  const src = img.getAttribute('src');
  const placeholder = !src || isPlaceholder(src);
  if (placeholder && lazySet) return absolute(largestCandidate(lazySet), img);
  if (placeholder && lazy) return absolute(lazy, img);
  const srcset = img.getAttribute('srcset') ?? pictureSrcset(img);
  if (placeholder && srcset) return absolute(largestCandidate(srcset), img);
  // The src property is already absolute and cheaper than parsing a URL ourselves.
  return src ? img.src : null;
}

function firstSet(el: Element, names: string[]): string | undefined {
  for (const name of names) {
    const value = el.getAttribute(name);
    if (value && value.trim()) return value;
  }
  return undefined;
}

/** A 1x1 gif or an empty svg in a data: URL is a lazy loader's stand-in, not the picture. */
function isPlaceholder(src: string): boolean {
  return src === 'about:blank' || src === '#' || (src.startsWith('data:') && src.length < 200);
}

function pictureSrcset(img: HTMLImageElement): string | null {
  if (img.parentElement?.localName !== 'picture') return null;
  const source = img.parentElement.querySelector('source[srcset], source[data-srcset]');
  return source?.getAttribute('srcset') ?? source?.getAttribute('data-srcset') ?? null;
}

/** The widest (or densest) candidate of a srcset: the best picture to describe. */
export function largestCandidate(srcset: string): string {
  let best = '';
  let bestSize = -1;
  for (const part of srcset.split(/,\s+/)) {
    const [url, descriptor = '1x'] = part.trim().split(/\s+/);
    if (!url) continue;
    const size = parseFloat(descriptor) * (descriptor.endsWith('w') ? 1 : 1000);
    if (size > bestSize) [best, bestSize] = [url, Number.isFinite(size) ? size : 0];
  }
  return best;
}

function areaImage(area: Element): string | null {
  const img = mapImage(area);
  return img ? imgSource(img) : null;
}

/** The image whose map an area belongs to (`<img usemap="#name">`), in the area's own tree. */
export function mapImage(area: Element): HTMLImageElement | null {
  const name = area.closest('map')?.getAttribute('name');
  if (!name) return null;
  const root = area.getRootNode() as Document | ShadowRoot;
  return root.querySelector(`img[usemap="#${CSS.escape(name)}"]`) as HTMLImageElement | null;
}

function svgImage(el: Element): string | null {
  // An <image> inside the svg is the only raster source; a drawn svg has none (src stays null).
  const image = el.localName === 'image' ? el : el.querySelector('image');
  return absolute(image?.getAttribute('href') ?? image?.getAttribute('xlink:href') ?? null, el);
}

function backgroundImage(el: Element): string | null {
  const bg = el.ownerDocument.defaultView?.getComputedStyle(el).backgroundImage ?? '';
  const match = /url\(["']?([^"')]+)["']?\)/.exec(bg);
  return match ? absolute(match[1], el) : null;
}

/** `from`: the element whose document's base URL resolves it (read only when needed: it is not free). */
function absolute(url: string | null | undefined, from: Element): string | null {
  if (!url || !url.trim()) return null;
  const raw = url.trim();
  if (raw.startsWith('data:') || raw.startsWith('blob:')) return raw;
  try {
    return new URL(raw, from.ownerDocument.baseURI).href;
  } catch {
    return null;
  }
}
