import type { ImageCodec } from './prepare';

/** The real codec, for the service worker and any window: createImageBitmap in, OffscreenCanvas out. */
export const browserCodec: ImageCodec<ImageBitmap> = {
  async decode(bytes, type) {
    return createImageBitmap(new Blob([bytes as BlobPart], type ? { type } : undefined));
  },
  async encode(bitmap, width, height, type, quality) {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas available to re-encode the image.');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, width, height);
    const blob = await canvas.convertToBlob({ type, quality });
    return new Uint8Array(await blob.arrayBuffer());
  },
};
