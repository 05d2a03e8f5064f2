/**
 * Reads an image's pixel size from its header, without decoding it, so a small file that claims
 * a huge canvas (a 48 KB PNG of 20000×20000 px takes seconds and gigabytes to decode) is refused
 * before any decode. Formats the browser decodes: PNG (and APNG), JPEG, GIF, WebP (VP8, VP8L,
 * VP8X), BMP, ICO/CUR (and the PNGs inside them), AVIF/HEIF (`ispe`). Answers null when the format
 * is unknown or the header is cut short: the caller then decodes as before.
 */
export interface HeaderSize {
  width: number;
  height: number;
  format: string;
}

/** Decoding allocates width × height × 4 bytes: past 40 megapixels (160 MB) the image is refused. */
export const MAX_DECODE_PIXELS = 40_000_000;

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);

function png(b: Uint8Array): HeaderSize | null {
  // Signature (8), then the IHDR chunk: length (4), "IHDR", width, height (big-endian).
  if (b.length < 24 || b[0] !== 0x89 || ascii(b, 1, 4) !== 'PNG' || ascii(b, 12, 16) !== 'IHDR') return null;
  const v = view(b);
  return { width: v.getUint32(16), height: v.getUint32(20), format: 'png' };
}

function jpeg(b: Uint8Array): HeaderSize | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  const v = view(b);
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    if (marker === 0xff) { i += 1; continue; } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; } // no length
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or scan data before any frame header
    const length = v.getUint16(i + 2);
    // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return null;
      const height = v.getUint16(i + 5);
      const width = v.getUint16(i + 7);
      // Height 0 means "given later by a DNL marker", which Chromium's decoder refuses anyway.
      return height ? { width, height, format: 'jpeg' } : null;
    }
    if (length < 2) return null;
    i += 2 + length;
  }
  return null;
}

function gif(b: Uint8Array): HeaderSize | null {
  if (b.length < 13 || ascii(b, 0, 4) !== 'GIF8') return null;
  const v = view(b);
  // Decoders grow the canvas to fit a frame larger than the logical screen: the size is the largest extent.
  let width = v.getUint16(6, true);
  let height = v.getUint16(8, true);
  let i = 13;
  if (b[10] & 0x80) i += 3 * (1 << ((b[10] & 7) + 1)); // global colour table
  const skipSubBlocks = () => {
    while (i < b.length && b[i] !== 0) i += b[i] + 1;
    i += 1;
  };
  while (i < b.length) {
    const block = b[i];
    if (block === 0x3b) break; // trailer
    if (block === 0x21) { i += 2; skipSubBlocks(); continue; } // extension: label, then sub-blocks
    if (block !== 0x2c || i + 10 > b.length) break; // anything else: stop with what we know
    const left = v.getUint16(i + 1, true);
    const top = v.getUint16(i + 3, true);
    width = Math.max(width, left + v.getUint16(i + 5, true));
    height = Math.max(height, top + v.getUint16(i + 7, true));
    const flags = b[i + 9];
    i += 10;
    if (flags & 0x80) i += 3 * (1 << ((flags & 7) + 1)); // local colour table
    i += 1; // LZW minimum code size
    skipSubBlocks();
  }
  return { width, height, format: 'gif' };
}

function webp(b: Uint8Array): HeaderSize | null {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 12) !== 'WEBP') return null;
  const v = view(b);
  const chunk = ascii(b, 12, 16);
  if (chunk === 'VP8X') return { width: 1 + u24le(b, 24), height: 1 + u24le(b, 27), format: 'webp' };
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = v.getUint32(21, true);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff), format: 'webp' };
  }
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff, format: 'webp' };
  }
  return null;
}

function bmp(b: Uint8Array): HeaderSize | null {
  if (b.length < 26 || b[0] !== 0x42 || b[1] !== 0x4d) return null;
  const v = view(b);
  if (v.getUint32(14, true) === 12) return { width: v.getUint16(18, true), height: v.getUint16(20, true), format: 'bmp' }; // OS/2 core header
  // Negative height means top-down rows.
  return { width: Math.abs(v.getInt32(18, true)), height: Math.abs(v.getInt32(22, true)), format: 'bmp' };
}

function ico(b: Uint8Array): HeaderSize | null {
  if (b.length < 6 || b[0] !== 0 || b[1] !== 0 || (b[2] !== 1 && b[2] !== 2) || b[3] !== 0) return null;
  const v = view(b);
  const count = v.getUint16(4, true);
  if (!count) return null;
  let best: HeaderSize | null = null;
  for (let n = 0; n < count && 6 + 16 * (n + 1) <= b.length; n++) {
    const at = 6 + 16 * n;
    // 0 means 256; an entry holding a PNG may be any size, so its IHDR is what counts.
    let size: HeaderSize = { width: b[at] || 256, height: b[at + 1] || 256, format: 'ico' };
    const offset = v.getUint32(at + 12, true);
    const inner = offset < b.length ? png(b.subarray(offset)) : null;
    if (inner) size = { ...inner, format: 'ico' };
    if (!best || size.width * size.height > best.width * best.height) best = size;
  }
  return best;
}

/** ISO-BMFF (AVIF, HEIF): the largest `ispe` (image spatial extents) property in meta/iprp/ipco. */
function isobmff(b: Uint8Array): HeaderSize | null {
  if (b.length < 16 || ascii(b, 4, 8) !== 'ftyp') return null;
  const v = view(b);
  let best: HeaderSize | null = null;
  const walk = (start: number, end: number, path: string) => {
    let i = start;
    while (i + 8 <= end) {
      let size = v.getUint32(i);
      const type = ascii(b, i + 4, i + 8);
      let header = 8;
      if (size === 1) {
        if (i + 16 > end) return;
        const big = v.getBigUint64(i + 8);
        size = big > BigInt(end - i) ? end - i : Number(big);
        header = 16;
      } else if (size === 0) size = end - i;
      if (size < header || i + size > end) size = end - i;
      if (path === '' && type === 'meta') walk(i + header + 4, i + size, 'meta'); // full box: version and flags first
      else if (path === 'meta' && type === 'iprp') walk(i + header, i + size, 'iprp');
      else if (path === 'iprp' && type === 'ipco') walk(i + header, i + size, 'ipco');
      else if (path === 'ipco' && type === 'ispe' && i + header + 12 <= end) {
        const width = v.getUint32(i + header + 4);
        const height = v.getUint32(i + header + 8);
        if (!best || width * height > best.width * best.height) best = { width, height, format: 'avif' };
      }
      if (size <= 0) return;
      i += size;
    }
  };
  walk(0, b.length, '');
  return best;
}

/** The pixel size an image's header declares, or null when the format or header is not readable. */
export function headerSize(bytes: Uint8Array): HeaderSize | null {
  for (const read of [png, jpeg, gif, webp, bmp, isobmff, ico]) {
    const size = read(bytes);
    if (size) return size;
  }
  return null;
}
