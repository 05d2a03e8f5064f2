import type { Finding, FindingDetails, Status } from '../scan/schema';

/**
 * Which images a comparison describes: a few, as different from each other as the page allows, so
 * the models are judged on more than one kind of picture. Pure: findings (and, when known, their
 * rendered size and context) in, finding ids out, in the order they will be shown.
 *
 * Images missing alt come first (that is what AltScout will describe), then suspicious alt, then
 * decorative ones, then images whose alt looks fine; hidden ones never. Inside each group the next
 * image is the one that adds most that is new: a size not yet seen (small, medium, large), a
 * context not yet seen (in a link or button, under a figure caption, near a heading, alone), a kind
 * not yet seen (img, svg, image button, …); ties go to page order. The same picture (same address)
 * is taken once: its descriptions would only repeat.
 */

export const DEFAULT_COMPARISON_IMAGES = 5;
/** More would make a long page of side-by-side texts and a noticeable bill. */
export const MAX_COMPARISON_IMAGES = 20;

const STATUS_ORDER: Status[] = ['missing', 'suspicious', 'decorative', 'ok'];

export type SizeBucket = 'small' | 'medium' | 'large' | 'unknown';
export type ContextKind = 'link' | 'button' | 'figure' | 'heading' | 'text' | 'alone';

/** Rendered area: under 120 × 120 small, over 400 × 300 large. */
export function sizeBucket(width: number, height: number): SizeBucket {
  if (!(width > 0 && height > 0)) return 'unknown';
  const area = width * height;
  if (area < 120 * 120) return 'small';
  if (area > 400 * 300) return 'large';
  return 'medium';
}

export function contextKind(context: Finding['context']): ContextKind {
  if (context.linkText != null || context.linkHref != null) return 'link';
  if (context.buttonText != null) return 'button';
  if (context.figcaption) return 'figure';
  if (context.heading) return 'heading';
  if (context.nearbyText) return 'text';
  return 'alone';
}

interface Candidate {
  id: string;
  order: number;
  group: number;
  features: string[];
}

function candidateOf(f: Finding, order: number, details?: FindingDetails): Candidate | null {
  const group = STATUS_ORDER.indexOf(f.status);
  if (group < 0) return null;
  const width = details?.width ?? f.width;
  const height = details?.height ?? f.height;
  const context = details?.context ?? f.context;
  const size = sizeBucket(width, height);
  return {
    id: f.id,
    order,
    group,
    features: [`size:${size}`, `context:${contextKind(context)}`, `kind:${f.kind}`],
  };
}

/**
 * Up to `count` finding ids to compare models on (see above). `details` (by finding id) adds what
 * the scan leaves out: rendered size and context.
 */
export function chooseComparisonImages(
  findings: readonly Finding[],
  count: number = DEFAULT_COMPARISON_IMAGES,
  details: ReadonlyMap<string, FindingDetails> = new Map(),
): string[] {
  const want = Math.max(0, Math.min(MAX_COMPARISON_IMAGES, Math.floor(count)));
  const seenSrc = new Set<string>();
  const pool: Candidate[] = [];
  findings.forEach((f, order) => {
    if (f.src != null) {
      if (seenSrc.has(f.src)) return;
      seenSrc.add(f.src);
    }
    const c = candidateOf(f, order, details.get(f.id));
    if (c) pool.push(c);
  });
  const seen = new Set<string>();
  const chosen: string[] = [];
  while (chosen.length < want && pool.length > 0) {
    const group = Math.min(...pool.map((c) => c.group));
    let best = -1;
    let bestNew = -1;
    pool.forEach((c, i) => {
      if (c.group !== group) return;
      const fresh = c.features.filter((feature) => !seen.has(feature)).length;
      if (fresh > bestNew || (fresh === bestNew && c.order < pool[best].order)) {
        best = i;
        bestNew = fresh;
      }
    });
    const [next] = pool.splice(best, 1);
    for (const feature of next.features) seen.add(feature);
    chosen.push(next.id);
  }
  return chosen;
}

/** How many images a comparison could use on this page (the number field's maximum). */
export function comparableCount(findings: readonly Finding[]): number {
  return Math.min(MAX_COMPARISON_IMAGES, chooseComparisonImages(findings, MAX_COMPARISON_IMAGES).length);
}
