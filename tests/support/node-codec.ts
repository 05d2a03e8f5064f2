import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import type { ImageCodec } from '../../lib/image/prepare';

/**
 * A real (if slow) codec for Node, so lib/image's sizing and encoding logic can be tested and
 * benchmarked outside a browser: PNG and JPEG in, JPEG out, box-filter downscaling.
 */
interface RgbaBitmap { width: number; height: number; data: Uint8Array; close(): void }

export const nodeCodec: ImageCodec<RgbaBitmap> = {
  async decode(bytes, type) {
    const buf = Buffer.from(bytes);
    if (type === 'image/png') {
      const png = PNG.sync.read(buf);
      return { width: png.width, height: png.height, data: png.data, close() {} };
    }
    if (type === 'image/jpeg') {
      const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, data: img.data, close() {} };
    }
    throw new Error(`cannot decode ${type || 'unknown bytes'}`);
  },
  async encode(bitmap, width, height, type, quality) {
    if (type !== 'image/jpeg') throw new Error('the Node codec writes JPEG only');
    const out = new Uint8Array(width * height * 4);
    const sx = bitmap.width / width;
    const sy = bitmap.height / height;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let r = 0, g = 0, b = 0, a = 0, n = 0;
        const x0 = Math.floor(x * sx), x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
        const y0 = Math.floor(y * sy), y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
        for (let yy = y0; yy < y1; yy += Math.max(1, Math.floor((y1 - y0) / 4))) {
          for (let xx = x0; xx < x1; xx += Math.max(1, Math.floor((x1 - x0) / 4))) {
            const i = (yy * bitmap.width + xx) * 4;
            const alpha = bitmap.data[i + 3] / 255;
            // Over white, as the browser codec does.
            r += bitmap.data[i] * alpha + 255 * (1 - alpha); g += bitmap.data[i + 1] * alpha + 255 * (1 - alpha); b += bitmap.data[i + 2] * alpha + 255 * (1 - alpha);
            a += 255; n++;
          }
        }
        const o = (y * width + x) * 4;
        out[o] = r / n; out[o + 1] = g / n; out[o + 2] = b / n; out[o + 3] = a / n;
      }
    }
    return new Uint8Array(jpeg.encode({ data: out, width, height }, Math.round(quality * 100)).data);
  },
};
