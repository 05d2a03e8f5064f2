/**
 * The slice's simple rule: an <img> with no alt attribute at all. The full scanner (issue 4)
 * replaces this module's internals and keeps its public face.
 */
export function scanFrame(doc: Document): { url: string; total: number; missing: number } {
  const images = Array.from(doc.querySelectorAll('img'));
  return {
    url: doc.location?.href ?? doc.URL,
    total: images.length,
    missing: images.filter((img) => !img.hasAttribute('alt')).length,
  };
}
