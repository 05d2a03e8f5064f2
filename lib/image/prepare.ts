import { MAX_DECODE_PIXELS, headerSize } from './dimensions';
import { ImageSkip } from './skip';
import { bytesToBase64, sniffType, type ImageBytes } from './source';

/**
 * Vision models bill images by tiles (OpenAI and Gemini work on 768 px tiles; Claude rescales
 * past ~1568 px), so detail beyond a 768 px long edge costs tokens without helping a one-sentence
 * description. A 4000 px photo is sent at the same size as a 768 px one.
 */
export const MAX_LONG_EDGE = 768;
export const JPEG_QUALITY = 0.85;
/** Small files in a format every provider takes are sent as they are: no re-encoding loss for screenshots of text. */
const PASS_THROUGH_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);
const PASS_THROUGH_MAX_BYTES = 512 * 1024;
/**
 * SVG files are drawn in the page, passed there as a data: URL in one message. Real drawings
 * (icons, charts, maps) stay well under this; past it the file is more likely a trap than a picture.
 */
export const MAX_SVG_BYTES = 8 * 1024 * 1024;

export interface Bitmap {
  width: number;
  height: number;
  close(): void;
}

/** Pixels in and out; the browser's version uses createImageBitmap and OffscreenCanvas. */
export interface ImageCodec<B extends Bitmap = Bitmap> {
  decode(bytes: Uint8Array, type: string): Promise<B>;
  /** Draws the bitmap at width×height over white (JPEG has no alpha) and encodes it. */
  encode(bitmap: B, width: number, height: number, type: 'image/jpeg' | 'image/webp', quality: number): Promise<Uint8Array>;
}

export interface PrepareOptions {
  maxLongEdge?: number;
  format?: 'image/jpeg' | 'image/webp';
  quality?: number;
  /** SVG needs a document to render in; the worker asks the page. Returns PNG or JPEG bytes. */
  rasteriseSvg?: (svg: Uint8Array, maxLongEdge: number) => Promise<Uint8Array>;
}

export interface PreparedImage {
  dataUrl: string;
  mime: string;
  width: number;
  height: number;
  sourceWidth: number;
  sourceHeight: number;
  bytesIn: number;
  bytesOut: number;
  /** The bytes that identify this image for the caption cache (the source, not the re-encode). */
  sourceBytes: Uint8Array;
}

export function fitWithin(width: number, height: number, maxLongEdge: number): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= maxLongEdge) return { width, height };
  const scale = maxLongEdge / long;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Refuses, from the header alone, an image whose decode would allocate more than MAX_DECODE_PIXELS. */
export function refuseHugeCanvas(bytes: Uint8Array): void {
  const size = headerSize(bytes);
  if (!size || size.width * size.height <= MAX_DECODE_PIXELS) return;
  const megapixels = Math.round((size.width * size.height) / 1e6);
  throw new ImageSkip('too-large', `The image is ${size.width}×${size.height} px (${megapixels} megapixels), over the ${MAX_DECODE_PIXELS / 1e6}-megapixel limit AltScout decodes.`);
}

export async function prepareImage<B extends Bitmap>(input: ImageBytes, codec: ImageCodec<B>, options: PrepareOptions = {}): Promise<PreparedImage> {
  const maxLongEdge = options.maxLongEdge ?? MAX_LONG_EDGE;
  const format = options.format ?? 'image/jpeg';
  let { bytes, type } = input;
  type = sniffType(bytes) || type;
  const sourceBytes = input.bytes;
  if (type === 'image/svg+xml') {
    if (bytes.length > MAX_SVG_BYTES) {
      throw new ImageSkip('too-large', `This SVG file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB, over the ${MAX_SVG_BYTES / 1024 / 1024} MB AltScout draws.`);
    }
    if (!options.rasteriseSvg) throw new ImageSkip('undecodable', 'This SVG image could not be drawn for the model.');
    try {
      bytes = await options.rasteriseSvg(bytes, maxLongEdge);
    } catch {
      throw new ImageSkip('undecodable', 'This SVG image could not be drawn; it may reference files the page blocks.');
    }
    type = sniffType(bytes) || 'image/png';
  }
  refuseHugeCanvas(bytes);
  let bitmap: B;
  try {
    bitmap = await codec.decode(bytes, type);
  } catch {
    throw new ImageSkip('undecodable', `The file is not an image the browser can decode${type ? ` (${type})` : ''}.`);
  }
  try {
    const { width: sw, height: sh } = bitmap;
    if (sw <= 2 && sh <= 2) throw new ImageSkip('too-small', `The image is ${sw}×${sh} px, too small to show anything (likely a tracking pixel or spacer).`);
    const size = fitWithin(sw, sh, maxLongEdge);
    // GIF always goes through the encoder so an animation becomes its first frame.
    if (size.width === sw && PASS_THROUGH_TYPES.has(type) && bytes.length <= PASS_THROUGH_MAX_BYTES) {
      return { dataUrl: `data:${type};base64,${bytesToBase64(bytes)}`, mime: type, width: sw, height: sh, sourceWidth: sw, sourceHeight: sh, bytesIn: input.bytes.length, bytesOut: bytes.length, sourceBytes };
    }
    const out = await codec.encode(bitmap, size.width, size.height, format, options.quality ?? JPEG_QUALITY);
    return { dataUrl: `data:${format};base64,${bytesToBase64(out)}`, mime: format, ...size, sourceWidth: sw, sourceHeight: sh, bytesIn: input.bytes.length, bytesOut: out.length, sourceBytes };
  } finally {
    bitmap.close();
  }
}
