/**
 * Where each highlight badge goes so that neighbours' badges do not cover each other (a row of
 * thumbnails puts every "Missing alt" on top of the next). Each badge takes the first place that
 * is free, in this order: above the box's top-left corner, inside it, below it; if none is, it
 * stays above. Pure geometry, in page pixels; a grid of cells keeps it linear on big pages.
 */
export type BadgePlace = 'above' | 'inside' | 'below';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

const PLACES: BadgePlace[] = ['above', 'inside', 'below'];
const CELL = 64;
/** The box's border width (lib/page/overlay.ts draws it): an inside badge starts within it. */
export const BOX_BORDER = 3;

/** The badge's rectangle at a place: above sits on the box's top edge, below under its bottom edge. */
export function badgeRect(box: Rect, badge: { width: number; height: number }, place: BadgePlace): Rect {
  if (place === 'inside') return { left: box.left + BOX_BORDER, top: box.top + BOX_BORDER, width: badge.width, height: badge.height };
  const top = place === 'above' ? box.top - badge.height : box.top + box.height;
  return { left: box.left, top, width: badge.width, height: badge.height };
}

export function placeBadges(items: Array<{ box: Rect; badge: { width: number; height: number } }>): BadgePlace[] {
  const cells = new Map<string, Rect[]>();
  const keys = (r: Rect) => {
    const out: string[] = [];
    for (let x = Math.floor(r.left / CELL); x <= Math.floor((r.left + r.width) / CELL); x += 1) {
      for (let y = Math.floor(r.top / CELL); y <= Math.floor((r.top + r.height) / CELL); y += 1) out.push(`${x},${y}`);
    }
    return out;
  };
  const free = (r: Rect) => keys(r).every((key) => !(cells.get(key) ?? []).some((other) => overlaps(r, other)));
  return items.map(({ box, badge }) => {
    const place = PLACES.find((p) => free(badgeRect(box, badge, p))) ?? 'above';
    const rect = badgeRect(box, badge, place);
    for (const key of keys(rect)) {
      const list = cells.get(key);
      if (list) list.push(rect);
      else cells.set(key, [rect]);
    }
    return place;
  });
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}
