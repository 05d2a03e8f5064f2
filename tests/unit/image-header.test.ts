// @vitest-environment node
import jpegJs from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { blackPng } from '../support/black-png';
import { solidPng } from '../support/image-colour';
import { nodeCodec } from '../support/node-codec';
import { headerSize, ImageSkip, MAX_DECODE_PIXELS, MAX_SVG_BYTES, prepareImage, type ImageCodec } from '@/lib/image';

/** Hand-built headers, byte by byte from each format's specification. */
const u16le = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff]);
const u16be = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24le = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff]);
const u32le = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };
const i32le = (n: number) => { const b = Buffer.alloc(4); b.writeInt32LE(n); return b; };
const u32be = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };
const ascii = (s: string) => Buffer.from(s, 'latin1');

function jpegOf(width: number, height: number): Buffer {
  return Buffer.from(jpegJs.encode({ data: Buffer.alloc(width * height * 4, 128), width, height }, 80).data);
}

/** Writes a new frame size into a real JPEG's SOF0 marker. */
function withJpegSize(file: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(file);
  const sof = out.indexOf(Buffer.from([0xff, 0xc0]));
  out.writeUInt16BE(height, sof + 5);
  out.writeUInt16BE(width, sof + 7);
  return out;
}

function gif(screen: [number, number], frames: Array<[number, number, number, number]>): Buffer {
  const parts = [ascii('GIF89a'), u16le(screen[0]), u16le(screen[1]), Buffer.from([0x80, 0, 0]), Buffer.from([0, 0, 0, 255, 255, 255])];
  for (const [left, top, w, h] of frames) {
    parts.push(Buffer.from([0x21, 0xf9, 4, 0, 10, 0, 0, 0])); // graphic control extension
    parts.push(Buffer.from([0x21, 0xfe, 3]), ascii('hi!'), Buffer.from([0])); // a comment, to be skipped
    parts.push(Buffer.from([0x2c]), u16le(left), u16le(top), u16le(w), u16le(h), Buffer.from([0]));
    parts.push(Buffer.from([2, 2, 0x4c, 0x01, 0])); // LZW minimum code size, one data sub-block, terminator
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

function riff(chunk: string, data: Buffer): Buffer {
  const body = Buffer.concat([ascii('WEBP'), ascii(chunk), u32le(data.length), data]);
  return Buffer.concat([ascii('RIFF'), u32le(body.length), body]);
}
const webpVp8x = (w: number, h: number) => riff('VP8X', Buffer.concat([Buffer.from([0x10, 0, 0, 0]), u24le(w - 1), u24le(h - 1)]));
const webpVp8l = (w: number, h: number) => riff('VP8L', Buffer.concat([Buffer.from([0x2f]), u32le((w - 1) | ((h - 1) << 14) | (1 << 28)), Buffer.alloc(8)]));
const webpVp8 = (w: number, h: number) => riff('VP8 ', Buffer.concat([Buffer.from([0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a]), u16le(w), u16le(h), Buffer.alloc(8)]));

function bmp(width: number, height: number): Buffer {
  return Buffer.concat([ascii('BM'), u32le(54), u32le(0), u32le(54), u32le(40), i32le(width), i32le(height), u16le(1), u16le(24), Buffer.alloc(24)]);
}

/** An .ico whose one entry claims 256×256 in the directory but holds a PNG of another size. */
function icoWithPng(inner: Buffer): Buffer {
  const entry = Buffer.concat([Buffer.from([0, 0, 0, 0]), u16le(1), u16le(32), u32le(inner.length), u32le(22)]);
  return Buffer.concat([Buffer.from([0, 0, 1, 0]), u16le(1), entry, inner]);
}

function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([u32be(8 + body.length), ascii(type), body]);
}
const fullBox = (type: string, ...content: Buffer[]) => box(type, Buffer.alloc(4), ...content);
function avif(sizes: Array<[number, number]>): Buffer {
  const ispe = sizes.map(([w, h]) => fullBox('ispe', u32be(w), u32be(h)));
  return Buffer.concat([
    box('ftyp', ascii('avif'), u32be(0), ascii('mif1'), ascii('avif')),
    fullBox('meta', fullBox('hdlr', u32be(0), ascii('pict'), Buffer.alloc(13)), box('pitm', Buffer.alloc(4)), box('iprp', box('ipco', ...ispe, box('pixi', Buffer.from([0, 0, 0, 0, 3, 8, 8, 8]))))),
    box('mdat', Buffer.alloc(16)),
  ]);
}

const bytes = (b: Buffer) => new Uint8Array(b);

/** A real codec that counts its decodes, to show a refused image never reaches it. */
function countingCodec(): { codec: ImageCodec; decodes: () => number } {
  let n = 0;
  return {
    codec: { decode: (b, t) => { n++; return nodeCodec.decode(b, t); }, encode: (bm, w, h, t, q) => nodeCodec.encode(bm as never, w, h, t, q) },
    decodes: () => n,
  };
}

async function skipOf(p: Promise<unknown>): Promise<ImageSkip> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ImageSkip);
  return e as ImageSkip;
}

describe('image size from the header, before decoding', () => {
  it('reads PNG, JPEG (after other segments, progressive too), GIF, WebP (VP8, VP8L, VP8X), BMP, ICO and AVIF', () => {
    expect(headerSize(bytes(solidPng(40, 30, [1, 2, 3])))).toEqual({ width: 40, height: 30, format: 'png' });
    const jpg = jpegOf(48, 20);
    expect(headerSize(bytes(jpg))).toEqual({ width: 48, height: 20, format: 'jpeg' });
    // An APP1 segment whose payload holds a fake SOF marker: segments are skipped by length, not scanned.
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), u16be(2 + 12), Buffer.from([0xff, 0xc0, 0, 17, 8, 0, 1, 0, 1, 3, 0, 0])]);
    expect(headerSize(bytes(Buffer.concat([jpg.subarray(0, 2), app1, jpg.subarray(2)])))).toMatchObject({ width: 48, height: 20 });
    const progressive = Buffer.from(jpg);
    progressive[progressive.indexOf(Buffer.from([0xff, 0xc0])) + 1] = 0xc2;
    expect(headerSize(bytes(progressive))).toMatchObject({ width: 48, height: 20 });
    expect(headerSize(bytes(gif([20, 10], [[0, 0, 20, 10]])))).toEqual({ width: 20, height: 10, format: 'gif' });
    expect(headerSize(bytes(webpVp8x(3000, 2000)))).toEqual({ width: 3000, height: 2000, format: 'webp' });
    expect(headerSize(bytes(webpVp8l(640, 480)))).toEqual({ width: 640, height: 480, format: 'webp' });
    expect(headerSize(bytes(webpVp8(1024, 768)))).toEqual({ width: 1024, height: 768, format: 'webp' });
    expect(headerSize(bytes(bmp(300, -200)))).toEqual({ width: 300, height: 200, format: 'bmp' });
    expect(headerSize(bytes(icoWithPng(solidPng(64, 48, [0, 0, 0]))))).toEqual({ width: 64, height: 48, format: 'ico' });
    expect(headerSize(bytes(avif([[1920, 1080], [512, 512]])))).toEqual({ width: 1920, height: 1080, format: 'avif' });
  });

  it('answers null for unknown formats and headers cut short', () => {
    expect(headerSize(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(headerSize(new TextEncoder().encode('hello world, not an image'))).toBeNull();
    expect(headerSize(bytes(solidPng(40, 30, [1, 2, 3]).subarray(0, 20)))).toBeNull();
    expect(headerSize(bytes(jpegOf(8, 8).subarray(0, 6)))).toBeNull();
    expect(headerSize(bytes(webpVp8x(10, 10).subarray(0, 24)))).toBeNull();
  });

  it('finds a GIF frame larger than its logical screen (decoders grow the canvas to fit it)', () => {
    expect(headerSize(bytes(gif([1, 1], [[0, 0, 1, 1], [100, 50, 9000, 8000]])))).toMatchObject({ width: 9100, height: 8050 });
  });

  it('refuses a 48 KB PNG claiming 20000×20000 px in milliseconds, without decoding it', async () => {
    const bomb = blackPng(20000, 20000);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const { codec, decodes } = countingCodec();
    const started = performance.now();
    const skip = await skipOf(prepareImage({ bytes: bytes(bomb), type: 'image/png' }, codec));
    const ms = performance.now() - started;
    expect(skip.code).toBe('too-large');
    expect(skip.message).toBe('The image is 20000×20000 px (400 megapixels), over the 40-megapixel limit AltScout decodes.');
    expect(decodes()).toBe(0);
    // Reading 24 header bytes takes microseconds; the bound is loose so a busy machine cannot fail it.
    expect(ms).toBeLessThan(500);
    console.log(`refused a ${(bomb.length / 1024).toFixed(1)} KB PNG of 20000×20000 px in ${ms.toFixed(2)} ms`);
  });

  it('refuses every format over 40 megapixels before decoding, and lets one just under through to the decoder', async () => {
    const huge = [
      withJpegSize(jpegOf(16, 16), 8000, 6000),
      gif([1, 1], [[0, 0, 7000, 7000]]),
      webpVp8x(16383, 16383),
      webpVp8l(16384, 16384),
      bmp(10000, -10000),
      icoWithPng(blackPng(7000, 7000)),
      avif([[8000, 6000]]),
    ];
    for (const file of huge) {
      const { codec, decodes } = countingCodec();
      const skip = await skipOf(prepareImage({ bytes: bytes(file), type: '' }, codec));
      expect(skip.code, skip.message).toBe('too-large');
      expect(decodes()).toBe(0);
    }
    // 40,000,000 px exactly is allowed: it goes to the decoder (which here stops at once).
    const limit = blackPng(8000, 5000);
    expect(8000 * 5000).toBe(MAX_DECODE_PIXELS);
    let asked = 0;
    const stopping: ImageCodec = { decode: async () => { asked++; throw new Error('not decoding in a test'); }, encode: nodeCodec.encode as ImageCodec['encode'] };
    expect((await skipOf(prepareImage({ bytes: bytes(limit), type: 'image/png' }, stopping))).code).toBe('undecodable');
    expect(asked).toBe(1);
  });

  it('leaves unknown formats to the decoder, as before', async () => {
    const { codec, decodes } = countingCodec();
    expect((await skipOf(prepareImage({ bytes: new TextEncoder().encode('mystery bytes'), type: 'image/x-mystery' }, codec))).code).toBe('undecodable');
    expect(decodes()).toBe(1);
  });

  it('refuses an SVG file too big to send to the page for drawing', async () => {
    const svg = new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg">${' '.repeat(MAX_SVG_BYTES)}</svg>`);
    let drawn = 0;
    const skip = await skipOf(prepareImage({ bytes: svg, type: 'image/svg+xml' }, nodeCodec, { rasteriseSvg: async () => { drawn++; return new Uint8Array(solidPng(8, 8, [0, 0, 0])); } }));
    expect(skip.code).toBe('too-large');
    expect(drawn).toBe(0);
  });
});
