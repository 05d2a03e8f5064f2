import type { FrameScan } from '../page/schema';
import type { Finding } from './schema';

/**
 * The slice's simple rule: an <img> with no alt attribute at all. The full scanner (issue 4)
 * replaces this module's internals and keeps its public face.
 */
export function scanFrame(doc: Document): FrameScan {
  const started = performance.now();
  const findings: Finding[] = Array.from(doc.querySelectorAll('img'))
    .filter((img) => !img.hasAttribute('alt'))
    .map((img, i) => ({
      id: `img-${i}`,
      frameId: 0,
      selector: `img:nth-of-type(${i + 1})`,
      kind: 'img',
      status: 'missing',
      reasons: [{ code: 'no-alt', text: 'No alt attribute' }],
      alt: null,
      src: img.currentSrc || img.src || null,
      width: img.width,
      height: img.height,
      context: { pageTitle: doc.title, lang: doc.documentElement.lang },
    }));
  return {
    url: doc.URL,
    title: doc.title,
    lang: doc.documentElement.lang,
    counts: { missing: findings.length, decorative: 0, suspicious: 0, ok: 0, ignored: 0 },
    findings,
    scanMs: performance.now() - started,
  };
}
