import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { addressAccess, ImageSkip, loadJobImage, MAX_SOURCE_BYTES, parseDataUrl, sniffType, type ImageBytes, type PreparedImage } from '../image';
import type { JobItemInput } from '../jobs/schema';
import { evaluateIn, type FrameWorld } from './browser';
import type { CodecPage } from './codec';
import { DnsCache, REFUSED_ADDRESS, type Resolve } from './dns';
import { get } from './fetcher';

/**
 * What `describe` gives the job-image loader the extension's worker uses (lib/image/load.ts):
 * the same rules (lib/image/fetch-policy.ts) decide which images may be read and judge every
 * redirect; the command line only supplies its environment:
 * - `fetch`: Node, no cookies (it has none), one hop at a time, and the address each connection
 *   goes to judged by the same policy (`addressAccess`): a public name that resolves to this
 *   computer or a private network is refused like the address itself;
 * - the codec and SVG drawing: a blank page in a browser context of its own (lib/cli/codec.ts),
 *   where no page script runs and nothing can be fetched;
 * - blob: images read in the scanner's isolated world of the image's frame;
 * - file: images read from disk only when the target itself is a local file.
 */
export interface DescribeImageEnv {
  /** Where the scanned page ended up: the policy judges every image against it. */
  pageUrl: string;
  /** The target given on the command line is a local HTML file. */
  localTarget: boolean;
  /** The scanner's isolated worlds, by frame id. */
  worlds: FrameWorld[];
  codecPage: CodecPage;
  fetch: typeof fetch;
}

const DOWNLOAD_MS = 30_000;

/** A `fetch` for the shared loader, in Node. `resolve` maps names to addresses (tests). */
export function nodeImageFetch(pageUrl: string, options: { resolve?: Resolve; timeoutMs?: number } = {}): typeof fetch {
  const dns = new DnsCache({
    resolve: options.resolve,
    refuse: (address) => {
      const access = addressAccess(pageUrl, address);
      return access.allowed ? null : access.reason;
    },
  });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const accept = new Headers(init?.headers).get('accept') ?? 'image/*';
    try {
      const answer = await get(url, { accept, 'user-agent': 'AltScout (describe)' }, { dns, timeoutMs: options.timeoutMs ?? DOWNLOAD_MS, signal: init?.signal ?? undefined });
      const headers = new Headers();
      for (const { name, value } of answer.headers) headers.append(name, value);
      const empty = answer.status === 204 || answer.status === 205 || answer.status === 304;
      if (empty) answer.body.destroy();
      return new Response(empty ? null : (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>), { status: answer.status, headers });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === REFUSED_ADDRESS) throw new ImageSkip('refused', (error as Error).message);
      throw error;
    }
  }) as typeof fetch;
}

/** Reads a local image file, refusing one over the size limit before reading it. */
export async function readLocalImage(url: string): Promise<ImageBytes> {
  const path = fileURLToPath(url);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new ImageSkip('not-found', `The image file ${path} does not exist.`);
  if (info.size > MAX_SOURCE_BYTES) throw new ImageSkip('too-large', `The image file is over the ${MAX_SOURCE_BYTES / 1024 / 1024} MB limit.`);
  const bytes = new Uint8Array(await readFile(path));
  return { bytes, type: sniffType(bytes) };
}

/** Loads one of `describe`'s job images through the shared loader, in the CLI's environment. */
export function describeImageLoader(env: DescribeImageEnv): (input: JobItemInput, signal: AbortSignal) => Promise<PreparedImage> {
  const codec = env.codecPage.codec();
  const draw = async (svg: { svg: string; width?: number; height?: number }, max: number) => {
    const png = await env.codecPage.draw(svg, max);
    if (!png) throw new ImageSkip('undecodable', 'The SVG could not be drawn.');
    return png;
  };
  return (input, signal) => {
    const world = env.worlds[input.frameId] as FrameWorld | undefined;
    return loadJobImage(input, {
      pageUrl: env.pageUrl,
      fetch: env.fetch,
      codec,
      signal,
      async rasterise(svgDataUrl, _selector, max) {
        if (svgDataUrl) return draw({ svg: new TextDecoder().decode(parseDataUrl(svgDataUrl).bytes) }, max);
        // Inline svg: its markup, taken in the isolated world by the scanner's own id, drawn in the codec page.
        const inline = world ? await evaluateIn<{ markup: string; width: number; height: number } | null>(world, `window.__altscoutCli.svgMarkup(${JSON.stringify(input.id)})`) : null;
        if (!inline) throw new ImageSkip('not-found', 'The image is no longer on the page.');
        return draw({ svg: inline.markup, width: inline.width, height: inline.height }, max);
      },
      async readBlob(url) {
        if (!world) throw new Error('The frame that held this image is gone.');
        return evaluateIn<string>(world, `window.__altscoutCli.readBlob(${JSON.stringify(url)}, ${MAX_SOURCE_BYTES})`);
      },
      ...(env.localTarget ? { readLocalFile: readLocalImage } : {}),
    });
  };
}
