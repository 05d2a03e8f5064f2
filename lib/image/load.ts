import { imageAccess } from './fetch-policy';
import { MAX_LONG_EDGE, prepareImage, type Bitmap, type ImageCodec, type PreparedImage } from './prepare';
import { ImageSkip, isImageSkip } from './skip';
import { MAX_SOURCE_BYTES, bytesToBase64, readImageSource, sniffType, type ImageBytes } from './source';

/** What loading needs to know about one image: the fields of a job item input it reads. */
export interface ImageRef {
  /** The finding's kind: inline `svg` and `role-img` elements without a file are drawn from the page. */
  kind: string;
  /** Absolute URL (http, https, data, blob, file), or null for inline SVG. */
  src: string | null;
  /** Where the element is in its frame, for drawing inline SVG. */
  selector: string;
}

/**
 * The environment that loads images, passed in so the worker and the command line share one
 * path: the extension gives `fetch`, the content script's blob reader and `scripting`-drawn SVG;
 * the CLI gives Node's fetch, its own page and, for a local target only, a file reader.
 */
export interface LoadImageDeps<B extends Bitmap = Bitmap> {
  /**
   * The URL of the page the image was found on. The fetching policy judges every http(s) and
   * file: address against it (cookies same-site only, no local-network hosts for a public page).
   */
  pageUrl: string | null;
  fetch: typeof fetch;
  codec: ImageCodec<B>;
  /**
   * Draws SVG where a document exists, at most `maxLongEdge` px on the long side, and answers PNG
   * (or JPEG) bytes: an SVG file given as a data: URL, or (svgDataUrl null) the inline <svg> at
   * `selector` in the image's own frame (the extension finds it by the item's id, in its own document).
   */
  rasterise(svgDataUrl: string | null, selector: string | null, maxLongEdge: number): Promise<Uint8Array>;
  /** Reads a blob: URL inside the page that made it, answering a data: URL. Without it blob: images are skipped. */
  readBlob?(url: string): Promise<string>;
  /**
   * Reads a file: URL from disk. Give it only when the audited target is itself a local file
   * (the CLI decides); the policy also refuses file: images for any page that is not a file.
   */
  readLocalFile?(url: string): Promise<ImageBytes>;
  signal?: AbortSignal;
  maxLongEdge?: number;
}

const isAbort = (e: unknown) => (e as { name?: string })?.name === 'AbortError';

/**
 * Loads one job image and prepares it for the model: reads its bytes under the fetching policy,
 * refuses huge canvases from the header, draws SVG in the page, shrinks to the long-edge limit.
 * Resolves to the PreparedImage; rejects with an ImageSkip (code + plain sentence) when the image
 * cannot or may not be read, in which case nothing about it goes to the model. Aborts pass through.
 */
export async function loadJobImage<B extends Bitmap>(image: ImageRef, deps: LoadImageDeps<B>): Promise<PreparedImage> {
  const maxLongEdge = deps.maxLongEdge ?? MAX_LONG_EDGE;
  if (!image.src && (image.kind === 'svg' || image.kind === 'role-img')) {
    let png: Uint8Array;
    try {
      png = await deps.rasterise(null, image.selector, maxLongEdge);
    } catch (e) {
      if (isImageSkip(e) || isAbort(e)) throw e;
      throw new ImageSkip('undecodable', 'The page did not let AltScout draw this image (it may have changed or closed). Scan the page again.');
    }
    return prepareImage({ bytes: png, type: 'image/png' }, deps.codec, { maxLongEdge });
  }
  const source = await readSource(image.src, deps);
  return prepareImage(source, deps.codec, {
    maxLongEdge,
    rasteriseSvg: (svg, max) => deps.rasterise(`data:image/svg+xml;base64,${bytesToBase64(svg)}`, null, max),
  });
}

async function readSource(src: string | null, deps: LoadImageDeps<Bitmap>): Promise<ImageBytes> {
  if (src && /^file:/i.test(src)) {
    const access = imageAccess(deps.pageUrl, src);
    if (!access.allowed) throw new ImageSkip(access.code, access.reason);
    if (!deps.readLocalFile) throw new ImageSkip('unsupported-scheme', 'AltScout cannot read file: images here.');
    const file = await deps.readLocalFile(access.url.href);
    if (file.bytes.length > MAX_SOURCE_BYTES) throw new ImageSkip('too-large', `The image file is over the ${MAX_SOURCE_BYTES / 1024 / 1024} MB limit.`);
    return { bytes: file.bytes, type: sniffType(file.bytes) || file.type };
  }
  return readImageSource(src, { fetch: deps.fetch, pageUrl: deps.pageUrl, readBlob: deps.readBlob, signal: deps.signal });
}
