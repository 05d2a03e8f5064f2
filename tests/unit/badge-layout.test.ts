import { describe, expect, it } from 'vitest';
import { badgeRect, placeBadges, type Rect } from '@/lib/page/badge-layout';

const badge = { width: 80, height: 20 };
const box = (left: number, top: number, width = 60, height = 45): Rect => ({ left, top, width, height });

function overlapping(items: Array<{ box: Rect; badge: typeof badge }>) {
  const places = placeBadges(items);
  const rects = items.map((item, i) => badgeRect(item.box, item.badge, places[i]));
  let pairs = 0;
  for (let i = 0; i < rects.length; i += 1) {
    for (let j = i + 1; j < rects.length; j += 1) {
      const [a, b] = [rects[i], rects[j]];
      if (a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height) pairs += 1;
    }
  }
  return { places, pairs };
}

describe('highlight badge layout', () => {
  it('keeps every badge above its box when there is room', () => {
    expect(placeBadges([{ box: box(0, 100), badge }, { box: box(200, 100), badge }, { box: box(0, 300), badge }])).toEqual(['above', 'above', 'above']);
  });

  it('moves the badge of the next thumbnail in a row inside its box, so no two labels overlap', () => {
    const row = Array.from({ length: 6 }, (_, i) => ({ box: box(i * 62, 100), badge }));
    const { places, pairs } = overlapping(row);
    expect(places).toEqual(['above', 'inside', 'above', 'inside', 'above', 'inside']);
    expect(pairs).toBe(0);
  });

  it('uses the space below when above and inside are taken, and stays above when nothing is free', () => {
    const same = Array.from({ length: 4 }, () => ({ box: box(0, 100), badge }));
    expect(placeBadges(same)).toEqual(['above', 'inside', 'below', 'above']);
  });

  it('leaves no overlaps in a dense grid of small images', () => {
    const grid = Array.from({ length: 400 }, (_, i) => ({ box: box((i % 20) * 50, Math.floor(i / 20) * 70, 48, 68), badge: { width: 70, height: 18 } }));
    expect(overlapping(grid).pairs).toBe(0);
  });
});
