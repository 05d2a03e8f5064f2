// @vitest-environment node
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, solidPng } from '../support/image-colour';
import { nodeCodec } from '../support/node-codec';
import { fitWithin, ImageSkip, MAX_LONG_EDGE, parseDataUrl, prepareImage, readImageSource, sniffType } from '@/lib/image';

let server: Server;
let base = '';
const bigPng = solidPng(4000, 3000, [30, 60, 220]);

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/blue.png') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(solidPng(40, 30, [30, 60, 220]));
    if (path === '/huge-declared') return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(50 * 1024 * 1024) }).end();
    if (path === '/huge-chunked') {
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024);
      for (let i = 0; i < 40; i++) res.write(chunk);
      return void res.end();
    }
    if (path === '/forbidden') return void res.writeHead(403).end();
    res.writeHead(404).end('nope');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

async function skipOf(p: Promise<unknown>): Promise<ImageSkip> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ImageSkip);
  return e as ImageSkip;
}

describe('reading image bytes', () => {
  it('fetches http images and trusts the bytes over the declared type', async () => {
    const got = await readImageSource(`${base}/blue.png`, { pageUrl: base, fetch });
    expect(got.type).toBe('image/png');
    expect(decodeImage(Buffer.from(got.bytes)).width).toBe(40);
  });

  it('reads base64 and percent-encoded data: URLs', () => {
    const png = solidPng(2, 2, [1, 2, 3]);
    expect(parseDataUrl(`data:image/png;base64,${png.toString('base64')}`).bytes).toEqual(new Uint8Array(png));
    const svg = parseDataUrl(`data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg"/>')}`);
    expect(svg.type).toBe('image/svg+xml');
  });

  it('asks the page for blob: URLs and explains when the page released them', async () => {
    const png = solidPng(3, 3, [9, 9, 9]).toString('base64');
    const got = await readImageSource('blob:https://site.example/abc', { pageUrl: base, fetch, readBlob: async () => `data:image/png;base64,${png}` });
    expect(got.type).toBe('image/png');
    const gone = await skipOf(readImageSource('blob:https://site.example/abc', { pageUrl: base, fetch, readBlob: async () => { throw new Error('no'); } }));
    expect(gone.code).toBe('not-found');
  });

  it('skips with a reason: 404, refused, too large (declared or streamed), no source, other schemes, network', async () => {
    expect((await skipOf(readImageSource(`${base}/missing.png`, { pageUrl: base, fetch }))).message).toMatch(/gone.*HTTP 404/);
    expect((await skipOf(readImageSource(`${base}/forbidden`, { pageUrl: base, fetch }))).code).toBe('http-error');
    expect((await skipOf(readImageSource(`${base}/huge-declared`, { pageUrl: base, fetch }))).message).toMatch(/50\.0 MB, over the 20\.0 MB limit/);
    expect((await skipOf(readImageSource(`${base}/huge-chunked`, { pageUrl: base, fetch, maxBytes: 1024 * 1024 }))).code).toBe('too-large');
    expect((await skipOf(readImageSource(null, { pageUrl: base, fetch }))).code).toBe('no-source');
    expect((await skipOf(readImageSource('ftp://x/y.png', { pageUrl: base, fetch }))).code).toBe('unsupported-scheme');
    expect((await skipOf(readImageSource('http://127.0.0.1:9/a.png', { pageUrl: base, fetch }))).code).toBe('network');
    expect((await skipOf(Promise.resolve().then(() => parseDataUrl(`data:image/png;base64,${'A'.repeat(4000)}`, 1000))))).toMatchObject({ code: 'too-large' });
  });

  it('sniffs formats from their first bytes', () => {
    expect(sniffType(new Uint8Array(solidPng(1, 1, [0, 0, 0])))).toBe('image/png');
    expect(sniffType(new TextEncoder().encode('GIF89a....'))).toBe('image/gif');
    expect(sniffType(new TextEncoder().encode('  <?xml version="1.0"?><svg></svg>'))).toBe('image/svg+xml');
    expect(sniffType(new TextEncoder().encode('hello'))).toBe('');
  });
});

describe('preparing an image for the model', () => {
  it('fits the long edge within the limit, keeping the aspect ratio', () => {
    expect(fitWithin(4000, 3000, 768)).toEqual({ width: 768, height: 576 });
    expect(fitWithin(300, 6000, 768)).toEqual({ width: 38, height: 768 });
    expect(fitWithin(500, 400, 768)).toEqual({ width: 500, height: 400 });
  });

  it('downscales and re-encodes a 4000 px photo to a 768 px JPEG of the same content', async () => {
    const prepared = await prepareImage({ bytes: new Uint8Array(bigPng), type: 'image/png' }, nodeCodec);
    expect(prepared).toMatchObject({ width: MAX_LONG_EDGE, height: 576, sourceWidth: 4000, sourceHeight: 3000, mime: 'image/jpeg' });
    expect(prepared.dataUrl.startsWith('data:image/jpeg;base64,')).toBe(true);
    const decoded = decodeImage(Buffer.from(prepared.dataUrl.split(',')[1], 'base64'));
    expect(decoded).toMatchObject({ width: 768, height: 576, format: 'jpeg' });
    for (const [got, want] of decoded.rgb.map((v, i) => [v, [30, 60, 220][i]])) expect(Math.abs(got - want)).toBeLessThan(6);
    expect(prepared.bytesIn).toBe(bigPng.length);
    expect(prepared.sourceBytes.length).toBe(bigPng.length);
  });

  it('sends a small PNG as it is, byte for byte', async () => {
    const small = solidPng(100, 80, [245, 140, 20]);
    const prepared = await prepareImage({ bytes: new Uint8Array(small), type: '' }, nodeCodec);
    expect(prepared.mime).toBe('image/png');
    expect(Buffer.from(prepared.dataUrl.split(',')[1], 'base64').equals(small)).toBe(true);
  });

  it('skips undecodable bytes, tracking pixels and SVG it cannot draw, each with a reason', async () => {
    expect((await skipOf(prepareImage({ bytes: new TextEncoder().encode('not an image'), type: 'image/png' }, nodeCodec))).code).toBe('undecodable');
    expect((await skipOf(prepareImage({ bytes: new Uint8Array(solidPng(1, 1, [0, 0, 0])), type: 'image/png' }, nodeCodec))).code).toBe('too-small');
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    expect((await skipOf(prepareImage({ bytes: svg, type: 'image/svg+xml' }, nodeCodec))).message).toMatch(/SVG/);
  });

  it('rasterises SVG through the given renderer, at most the long-edge limit', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="1000"/>');
    const asked: number[] = [];
    const prepared = await prepareImage({ bytes: svg, type: 'image/svg+xml' }, nodeCodec, {
      rasteriseSvg: async (_bytes, max) => { asked.push(max); return new Uint8Array(solidPng(768, 384, [140, 50, 180])); },
    });
    expect(asked).toEqual([768]);
    expect(prepared).toMatchObject({ width: 768, height: 384, mime: 'image/png' });
    // The cache key follows the SVG source, not its rendering.
    expect(prepared.sourceBytes).toEqual(svg);
  });
});
