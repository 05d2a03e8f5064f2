import { describe, expect, it } from 'vitest';
import { areaBox, shapeBox } from '@/lib/page/area-box';

describe('image-map area boxes', () => {
  it('bounds rectangles, circles and polygons within their image', () => {
    expect(shapeBox('rect', '60,0,120,45', 120, 90)).toEqual({ x: 60, y: 0, width: 60, height: 45 });
    // Corners given the other way round still make the same rectangle.
    expect(shapeBox('RECT', '120 45 60 0', 120, 90)).toEqual({ x: 60, y: 0, width: 60, height: 45 });
    expect(shapeBox('circle', '50,40,10', 120, 90)).toEqual({ x: 40, y: 30, width: 20, height: 20 });
    expect(shapeBox('poly', '10,80; 60,5 110,80', 120, 90)).toEqual({ x: 10, y: 5, width: 100, height: 75 });
    expect(shapeBox('default', null, 120, 90)).toEqual({ x: 0, y: 0, width: 120, height: 90 });
  });

  it('treats a missing or unknown shape as a rectangle, as HTML does', () => {
    expect(shapeBox(null, '0,0,10,20', 120, 90)).toEqual({ x: 0, y: 0, width: 10, height: 20 });
    expect(shapeBox('blob', '0,0,10,20', 120, 90)).toEqual({ x: 0, y: 0, width: 10, height: 20 });
  });

  it('gives no box for an area the browser would ignore', () => {
    expect(shapeBox('rect', '0,0,10', 120, 90)).toBeNull();
    expect(shapeBox('circle', '5,5', 120, 90)).toBeNull();
    expect(shapeBox('circle', '5,5,0', 120, 90)).toBeNull();
    expect(shapeBox('poly', '1,2,3,4', 120, 90)).toBeNull();
    expect(shapeBox('rect', null, 120, 90)).toBeNull();
  });

  it('reads junk coords as browsers do, as numbers or 0, and never throws on page content', () => {
    expect(shapeBox('rect', 'a,b,10,20', 120, 90)).toEqual({ x: 0, y: 0, width: 10, height: 20 });
    expect(shapeBox('circle', 'x,y,-5', 120, 90)).toBeNull();
    expect(shapeBox('poly', '1e400,0,5,5,10,0', 120, 90)).toEqual({ x: 0, y: 0, width: 10, height: 5 });
    expect(shapeBox('  CIRCLE ', ' 10 ; 10 ; 5 ', 120, 90)).toEqual({ x: 5, y: 5, width: 10, height: 10 });
  });

  it('gives no box for an area whose map no image uses, or that sits in no map', () => {
    document.body.innerHTML = '<map name="m"><area id="a" coords="0,0,5,5" href="/x"></map><area id="b" coords="0,0,5,5" href="/y">';
    expect(areaBox(document.getElementById('a')!)).toBeNull();
    expect(areaBox(document.getElementById('b')!)).toBeNull();
  });
});
