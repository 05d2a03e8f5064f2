/**
 * The address of the image an element shows, absolute, for the captioner. Lazy loaders keep the
 * real address in data-* attributes and a tiny placeholder in src until the image scrolls in.
 */

const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-url'];
const LAZY_SRCSET = ['data-srcset', 'data-lazy-srcset'];

export function imageSource(el: Element): string | null {
  const base = el.ownerDocument.baseURI;
  switch (el.localName) {
    case 'img':
      return imgSource(el as HTMLImageElement, base);
    case 'input':
      return el.getAttribute('src') ? (el as HTMLInputElement).src : null;
    case 'area':
      return areaImage(el);
    default:
      return el.namespaceURI === 'http://www.w3.org/2000/svg' ? svgImage(el, base) : backgroundImage(el, base);
  }
}

/** A lazy loader's image: its real source waits in a data-* attribute. */
export function hasLazySource(img: Element): boolean {
  return [...LAZY_SRC, ...LAZY_SRCSET].some((a) => img.hasAttribute(a));
}

function imgSource(img: HTMLImageElement, base: string): string | null {
  const lazy = LAZY_SRC.map((a) => img.getAttribute(a)).find((v) => v && v.trim());
  const lazySet = LAZY_SRCSET.map((a) => img.getAttribute(a)).find((v) => v && v.trim());
  const src = img.getAttribute('src');
  const placeholder = !src || isPlaceholder(src);
  if (img.currentSrc && !isPlaceholder(img.currentSrc)) return img.currentSrc;
  if (placeholder && lazySet) return absolute(largestCandidate(lazySet), base);
  if (placeholder && lazy) return absolute(lazy, base);
  const srcset = img.getAttribute('srcset') ?? pictureSrcset(img);
  if (placeholder && srcset) return absolute(largestCandidate(srcset), base);
  // The src property is already absolute and cheaper than parsing a URL ourselves.
  return src ? img.src : null;
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
  const name = area.closest('map')?.getAttribute('name');
  if (!name) return null;
  const img = area.ownerDocument.querySelector(`img[usemap="#${CSS.escape(name)}"]`) as HTMLImageElement | null;
  return img ? imgSource(img, area.ownerDocument.baseURI) : null;
}

function svgImage(el: Element, base: string): string | null {
  // An <image> inside the svg is the only raster source; a drawn svg has none (src stays null).
  const image = el.localName === 'image' ? el : el.querySelector('image');
  return absolute(image?.getAttribute('href') ?? image?.getAttribute('xlink:href') ?? null, base);
}

function backgroundImage(el: Element, base: string): string | null {
  const bg = el.ownerDocument.defaultView?.getComputedStyle(el).backgroundImage ?? '';
  const match = /url\(["']?([^"')]+)["']?\)/.exec(bg);
  return match ? absolute(match[1], base) : null;
}

function absolute(url: string | null | undefined, base: string): string | null {
  if (!url || !url.trim()) return null;
  const raw = url.trim();
  if (raw.startsWith('data:') || raw.startsWith('blob:')) return raw;
  try {
    return new URL(raw, base).href;
  } catch {
    return null;
  }
}
