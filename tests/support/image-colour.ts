import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

export interface DecodedImage {
  width: number;
  height: number;
  /** Average colour over opaque pixels. */
  rgb: [number, number, number];
  format: 'png' | 'jpeg' | 'webp' | 'gif';
}

const NAMES: Array<[string, [number, number, number]]> = [
  ['red', [220, 30, 30]],
  ['green', [30, 170, 60]],
  ['blue', [30, 60, 220]],
  ['yellow', [240, 220, 40]],
  ['orange', [245, 140, 20]],
  ['purple', [140, 50, 180]],
  ['pink', [240, 130, 190]],
  ['cyan', [40, 200, 220]],
  ['brown', [120, 70, 30]],
  ['black', [10, 10, 10]],
  ['white', [245, 245, 245]],
  ['grey', [128, 128, 128]],
];

export function colourName([r, g, b]: [number, number, number]): string {
  let best = NAMES[0];
  let bestD = Infinity;
  for (const entry of NAMES) {
    const [nr, ng, nb] = entry[1];
    const d = (r - nr) ** 2 + (g - ng) ** 2 + (b - nb) ** 2;
    if (d < bestD) { bestD = d; best = entry; }
  }
  return best[0];
}

export const toHex = ([r, g, b]: [number, number, number]) =>
  `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

function average(data: Uint8Array | Buffer, width: number, height: number): [number, number, number] {
  let r = 0, g = 0, b = 0, n = 0;
  for (let i = 0; i < width * height * 4; i += 4) {
    if (data[i + 3] < 16) continue;
    r += data[i]; g += data[i + 1]; b += data[i + 2]; n++;
  }
  return n ? [r / n, g / n, b / n] : [255, 255, 255];
}

/** Decodes PNG and JPEG for real; WebP and GIF are recognised by signature only. */
export function decodeImage(bytes: Buffer): DecodedImage {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, rgb: average(png.data, png.width, png.height), format: 'png' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    return { width: img.width, height: img.height, rgb: average(img.data, img.width, img.height), format: 'jpeg' };
  }
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') {
    return { width: 0, height: 0, rgb: [128, 128, 128], format: 'webp' };
  }
  if (bytes.subarray(0, 3).toString('latin1') === 'GIF') {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8), rgb: [128, 128, 128], format: 'gif' };
  }
  throw new Error('not a PNG, JPEG, WebP or GIF image');
}

/** A solid-colour PNG, for fixtures that need images with known content. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height * 4; i += 4) {
    png.data[i] = rgb[0]; png.data[i + 1] = rgb[1]; png.data[i + 2] = rgb[2]; png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}
