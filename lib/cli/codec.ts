import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ImageCodec } from '../image';

/**
 * Decodes, shrinks and draws images in a blank page of its own browser context: no page script
 * runs there, no network is reachable from it, and the audited page cannot see what it decodes.
 * The describe command's image pipeline and the audit's thumbnails use it.
 */
export class CodecPage {
  private next = 0;

  private constructor(private readonly context: BrowserContext, private readonly page: Page) {}

  static async open(browser: Browser): Promise<CodecPage> {
    const context = await browser.newContext({ javaScriptEnabled: true, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.goto('about:blank');
    // tsx names functions with an `__name` helper that a blank page does not have.
    await page.evaluate('window.__name = (f) => f');
    return new CodecPage(context, page);
  }

  close(): Promise<void> {
    return this.context.close().catch(() => undefined);
  }

  /** The ImageCodec the job pipeline (lib/image prepareImage) expects, on this page. */
  codec(): ImageCodec<{ width: number; height: number; id: number; close(): void }> {
    return {
      decode: async (bytes, type) => {
        const id = ++this.next;
        const size = await this.page.evaluate(
          async ({ b64, type, id }) => {
            const bin = atob(b64);
            const buf = new Uint8Array(bin.length);
            for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
            const bitmap = await createImageBitmap(new Blob([buf], { type }));
            const store = ((globalThis as unknown as { bitmaps?: Map<number, ImageBitmap> }).bitmaps ??= new Map());
            store.set(id, bitmap);
            return { width: bitmap.width, height: bitmap.height };
          },
          { b64: Buffer.from(bytes).toString('base64'), type, id },
        );
        return {
          ...size,
          id,
          close: () => void this.page.evaluate((id) => {
            const store = (globalThis as unknown as { bitmaps: Map<number, ImageBitmap> }).bitmaps;
            store.get(id)?.close();
            store.delete(id);
          }, id).catch(() => undefined),
        };
      },
      encode: async (bitmap, width, height, type, quality) => {
        const b64 = await this.page.evaluate(
          async ({ id, width, height, type, quality }) => {
            const canvas = new OffscreenCanvas(width, height);
            const ctx = canvas.getContext('2d')!;
            ctx.fillStyle = '#fff';
            ctx.fillRect(0, 0, width, height);
            ctx.imageSmoothingQuality = 'high';
            ctx.drawImage((globalThis as unknown as { bitmaps: Map<number, ImageBitmap> }).bitmaps.get(id)!, 0, 0, width, height);
            const bytes = new Uint8Array(await (await canvas.convertToBlob({ type, quality })).arrayBuffer());
            let bin = '';
            for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
            return btoa(bin);
          },
          { id: bitmap.id, width, height, type, quality },
        );
        return new Uint8Array(Buffer.from(b64, 'base64'));
      },
    };
  }

  /**
   * Draws an image (raster bytes, or SVG markup drawn as an image: no script, no fetches) at most
   * `maxLongEdge` px on its long side over white; PNG bytes, or null when it cannot be drawn.
   */
  async draw(input: { bytes: Uint8Array; type: string } | { svg: string; width?: number; height?: number }, maxLongEdge: number, out: 'image/png' | 'image/jpeg' = 'image/png'): Promise<Uint8Array | null> {
    const source = 'svg' in input
      ? { url: `data:image/svg+xml;base64,${Buffer.from(input.svg).toString('base64')}`, w: input.width ?? 0, h: input.height ?? 0 }
      : { url: `data:${input.type || 'application/octet-stream'};base64,${Buffer.from(input.bytes).toString('base64')}`, w: 0, h: 0 };
    const b64 = await this.page.evaluate(
      async ({ url, w, h, max, out }) => {
        try {
          const img = new Image();
          img.src = url;
          await img.decode();
          const width = img.naturalWidth || w || 300;
          const height = img.naturalHeight || h || 150;
          const scale = Math.min(1, max / Math.max(width, height));
          const canvas = new OffscreenCanvas(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)));
          const ctx = canvas.getContext('2d')!;
          ctx.fillStyle = '#fff';
          ctx.fillRect(0, 0, canvas.width, canvas.height);
          ctx.imageSmoothingQuality = 'high';
          ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
          const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: out, quality: 0.8 })).arrayBuffer());
          let bin = '';
          for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return btoa(bin);
        } catch {
          return null;
        }
      },
      { url: source.url, w: source.w, h: source.h, max: maxLongEdge, out },
    );
    return b64 == null ? null : new Uint8Array(Buffer.from(b64, 'base64'));
  }
}
