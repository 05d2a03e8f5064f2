// Draws AltScout's icon (a picture frame with a magnifier) at 16/32/48/128 px into public/icon.
// Run with `node tests/tools/make-icons.mjs`; the PNGs are committed so builds need no drawing step.
import { PNG } from 'pngjs';
import { writeFileSync, mkdirSync } from 'node:fs';

const BLUE = [26, 86, 219];
const SKY = [219, 234, 254];
const GREEN = [22, 163, 74];
const WHITE = [255, 255, 255];
const DARK = [17, 24, 39];

// Shapes in a 0..1 unit square, painted in order; later shapes cover earlier ones.
function colourAt(x, y) {
  let c = null;
  const inRoundRect = (x0, y0, x1, y1, r) => {
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
  };
  if (inRoundRect(0.04, 0.1, 0.8, 0.78, 0.1)) c = BLUE;
  if (inRoundRect(0.11, 0.17, 0.73, 0.71, 0.05)) c = SKY;
  // A mountain and a sun: the universal "image" glyph.
  if (y > 0.42 && y < 0.71 && x > 0.11 && x < 0.73 && y > 0.71 - (0.29 - Math.abs(x - 0.36) * 0.9)) c = GREEN;
  if ((x - 0.58) ** 2 + (y - 0.32) ** 2 < 0.006) c = [250, 204, 21];
  // Magnifier: ring, lens and handle.
  const dx = x - 0.66, dy = y - 0.64, d = Math.hypot(dx, dy);
  if (d < 0.2) c = WHITE;
  if (d >= 0.15 && d < 0.22) c = DARK;
  const t = ((x - 0.8) + (y - 0.78)) / 2;
  const off = Math.abs((x - 0.8) - (y - 0.78)) / Math.SQRT2;
  if (t > 0 && t < 0.13 && off < 0.055) c = DARK;
  return c;
}

mkdirSync('public/icon', { recursive: true });
for (const size of [16, 32, 48, 128]) {
  const png = new PNG({ width: size, height: size });
  const ss = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) for (let sx = 0; sx < ss; sx++) {
        const c = colourAt((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? r / a : 0;
      png.data[i + 1] = a ? g / a : 0;
      png.data[i + 2] = a ? b / a : 0;
      png.data[i + 3] = (a / (ss * ss)) * 255;
    }
  }
  writeFileSync(`public/icon/${size}.png`, PNG.sync.write(png));
}
console.log('icons written to public/icon');
