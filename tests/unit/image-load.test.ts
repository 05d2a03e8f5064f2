// @vitest-environment node
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, solidPng } from '../support/image-colour';
import { nodeCodec } from '../support/node-codec';
import { ImageSkip, loadJobImage, type LoadImageDeps } from '@/lib/image';

let server: Server;
let base = '';
let requests = 0;
const ORANGE: [number, number, number] = [245, 140, 20];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    if (req.url === '/shape.svg') return void res.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<svg xmlns="http://www.w3.org/2000/svg" width="90" height="60"/>');
    res.writeHead(200, { 'content-type': 'image/png' }).end(solidPng(60, 40, ORANGE));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

interface Drawn { svgDataUrl: string | null; selector: string | null; max: number }

/** The environment the worker or the CLI gives: real fetch and codec, a page that draws SVG as a green PNG. */
function deps(over: Partial<LoadImageDeps> = {}): LoadImageDeps & { drawn: Drawn[] } {
  const drawn: Drawn[] = [];
  return {
    pageUrl: `${base}/page.html`,
    fetch,
    codec: nodeCodec as LoadImageDeps['codec'],
    rasterise: async (svgDataUrl, selector, max) => {
      drawn.push({ svgDataUrl, selector, max });
      return new Uint8Array(solidPng(max, Math.round(max / 2), [30, 170, 60]));
    },
    drawn,
    ...over,
  };
}

const img = (src: string | null, kind = 'img') => ({ kind, src, selector: '#x' });
const colourOf = (dataUrl: string) => decodeImage(Buffer.from(dataUrl.split(',')[1], 'base64'));

async function skipOf(p: Promise<unknown>): Promise<ImageSkip> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ImageSkip);
  return e as ImageSkip;
}

describe('loading a job image through one path', () => {
  it('fetches http images under the policy and prepares them', async () => {
    const prepared = await loadJobImage(img(`${base}/a.png`), deps());
    expect(prepared).toMatchObject({ width: 60, height: 40, mime: 'image/png' });
    expect(colourOf(prepared.dataUrl).rgb).toEqual(ORANGE);
  });

  it('refuses a loopback image for a public page without requesting it', async () => {
    const before = requests;
    const skip = await skipOf(loadJobImage(img(`${base}/a.png`), deps({ pageUrl: 'https://shop.example.com/' })));
    expect(skip.code).toBe('refused');
    expect(requests).toBe(before);
  });

  it('draws inline SVG from the page at the element, and SVG files as data: URLs, at the long-edge limit', async () => {
    const d = deps();
    const inline = await loadJobImage(img(null, 'svg'), d);
    expect(d.drawn[0]).toEqual({ svgDataUrl: null, selector: '#x', max: 768 });
    expect(inline).toMatchObject({ width: 768, height: 384 });
    await loadJobImage(img(`${base}/shape.svg`), d);
    expect(d.drawn[1].selector).toBeNull();
    expect(Buffer.from(d.drawn[1].svgDataUrl!.split(',')[1], 'base64').toString()).toContain('width="90"');
  });

  it('says in plain words when the page would not draw, and lets an abort through', async () => {
    const failing = deps({ rasterise: async () => { throw new Error('Frame with ID 3 was removed.'); } });
    const skip = await skipOf(loadJobImage(img(null, 'role-img'), failing));
    expect(skip).toMatchObject({ code: 'undecodable', message: expect.stringMatching(/did not let AltScout draw this image.*Scan the page again/) });
    const aborting = deps({ rasterise: async () => { throw new DOMException('stopped', 'AbortError'); } });
    await expect(loadJobImage(img(null, 'svg'), aborting)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads data: as is and blob: through the page', async () => {
    const png = `data:image/png;base64,${solidPng(10, 10, ORANGE).toString('base64')}`;
    expect((await loadJobImage(img(png), deps())).width).toBe(10);
    const asked: string[] = [];
    const viaPage = await loadJobImage(img('blob:http://127.0.0.1/1234'), deps({ readBlob: async (url) => { asked.push(url); return png; } }));
    expect(asked).toEqual(['blob:http://127.0.0.1/1234']);
    expect(viaPage.width).toBe(10);
    expect((await skipOf(loadJobImage(img('blob:http://127.0.0.1/1234'), deps()))).code).toBe('unsupported-scheme');
  });

  it('reads file: images only with a file reader and only for a page that is itself a file', async () => {
    const files: string[] = [];
    const readLocalFile = async (url: string) => { files.push(url); return { bytes: new Uint8Array(solidPng(12, 12, ORANGE)), type: '' }; };
    const local = await loadJobImage(img('file:///tmp/site/a.png'), deps({ pageUrl: 'file:///tmp/site/index.html', readLocalFile }));
    expect(local).toMatchObject({ width: 12, mime: 'image/png' });
    expect(files).toEqual(['file:///tmp/site/a.png']);
    // A web page naming a file on disk: refused before the reader is asked.
    expect((await skipOf(loadJobImage(img('file:///etc/passwd'), deps({ pageUrl: `${base}/page.html`, readLocalFile })))).code).toBe('refused');
    expect(files).toHaveLength(1);
    // No reader given (the extension): skipped with a reason.
    expect((await skipOf(loadJobImage(img('file:///tmp/site/a.png'), deps({ pageUrl: 'file:///tmp/site/index.html' })))).code).toBe('unsupported-scheme');
  });
});
