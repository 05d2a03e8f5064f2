import { mapImage } from '../scan/source';

/**
 * Where an image-map area is on screen, for the highlight: an area has no box of its own, so it
 * is worked out from the image that uses the map and the area's shape and coords. Coords are CSS
 * pixels from the image's content box, and HTML does not scale them with the image.
 */
export function areaBox(area: Element): DOMRect | null {
  const img = mapImage(area);
  if (!img) return null;
  const box = img.getBoundingClientRect();
  const style = img.ownerDocument.defaultView?.getComputedStyle(img);
  const left = box.left + img.clientLeft + (parseFloat(style?.paddingLeft ?? '') || 0);
  const top = box.top + img.clientTop + (parseFloat(style?.paddingTop ?? '') || 0);
  const shape = shapeBox(area.getAttribute('shape'), area.getAttribute('coords'), img.clientWidth, img.clientHeight);
  return shape ? new DOMRect(left + shape.x, top + shape.y, shape.width, shape.height) : null;
}

export interface ShapeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The bounding box of an area's shape within its image (`width` × `height` for `default`), or
 * null where the browser would ignore the area (too few coords). Missing and unknown shapes are
 * rectangles, as HTML says; coords are split on commas, spaces and semicolons as browsers do.
 */
export function shapeBox(shape: string | null, coords: string | null, width: number, height: number): ShapeBox | null {
  const kind = (shape ?? 'rect').trim().toLowerCase();
  if (kind === 'default') return { x: 0, y: 0, width, height };
  const n = (coords ?? '').split(/[\s,;]+/).filter(Boolean).map(parseFloat).map((v) => (Number.isFinite(v) ? v : 0));
  if (kind === 'circle' || kind === 'circ') {
    if (n.length < 3 || n[2] <= 0) return null;
    const [cx, cy, r] = n;
    return { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r };
  }
  if (kind === 'poly' || kind === 'polygon') {
    if (n.length < 6) return null;
    const xs = n.filter((_, i) => i % 2 === 0).slice(0, Math.floor(n.length / 2));
    const ys = n.filter((_, i) => i % 2 === 1);
    return span(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
  }
  if (n.length < 4) return null;
  return span(Math.min(n[0], n[2]), Math.min(n[1], n[3]), Math.max(n[0], n[2]), Math.max(n[1], n[3]));
}

function span(x1: number, y1: number, x2: number, y2: number): ShapeBox {
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}
