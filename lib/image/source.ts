import { imageAccess, type ImageAccess } from './fetch-policy';
import { ImageSkip, isImageSkip } from './skip';

/** Bigger than any photo a page should serve; larger files are skipped before they are read whole. */
export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

export interface ImageBytes {
  bytes: Uint8Array;
  /** The declared or sniffed MIME type, e.g. image/png; '' when unknown. */
  type: string;
}

export interface SourceDeps {
  fetch: typeof fetch;
  /**
   * The page the image was found on (its top-level URL). It decides, through `imageAccess`,
   * whether the user's cookies go along and whether local-network hosts may be read at all;
   * null is judged as a public page.
   */
  pageUrl: string | null;
  /** blob: URLs only resolve inside the page that made them: the content script reads them. */
  readBlob?: (url: string) => Promise<string>;
  maxBytes?: number;
  signal?: AbortSignal;
}

const describeSize = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Parses a data: URL (base64 or percent-encoded) into bytes. */
export function parseDataUrl(url: string, maxBytes = MAX_SOURCE_BYTES): ImageBytes {
  const match = /^data:([^,]*?),(.*)$/s.exec(url);
  if (!match) throw new ImageSkip('undecodable', 'The image is a malformed data: URL.');
  const meta = match[1].split(';');
  const type = (meta[0] || 'text/plain').toLowerCase();
  const base64 = meta.includes('base64');
  // base64 expands by 4/3, so the encoded length tells the size before decoding.
  const approx = base64 ? Math.floor((match[2].length * 3) / 4) : match[2].length;
  if (approx > maxBytes) throw new ImageSkip('too-large', `The image is ${describeSize(approx)}, over the ${describeSize(maxBytes)} limit.`);
  try {
    const bytes = base64 ? base64ToBytes(match[2]) : new TextEncoder().encode(decodeURIComponent(match[2]));
    return { bytes, type: sniffType(bytes) || type };
  } catch {
    throw new ImageSkip('undecodable', 'The image is a malformed data: URL.');
  }
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) bin += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(bin);
}

/** Servers often send images as application/octet-stream; the first bytes say what they are. */
export function sniffType(bytes: Uint8Array): string {
  const b = bytes;
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(4, 12) === 'ftypavif' || ascii(4, 12) === 'ftypavis') return 'image/avif';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'image/bmp';
  if (b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0) return 'image/x-icon';
  const head = new TextDecoder().decode(b.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')) || (head.startsWith('<!doctype svg'))) return 'image/svg+xml';
  return '';
}

/** Reads an image's bytes in the worker: http(s) with the extension's host access, data:, or blob: through the page. */
export async function readImageSource(src: string | null, deps: SourceDeps): Promise<ImageBytes> {
  const maxBytes = deps.maxBytes ?? MAX_SOURCE_BYTES;
  if (!src) throw new ImageSkip('no-source', 'This image has no file AltScout can read (it may be a CSS background).');
  if (src.startsWith('data:')) return parseDataUrl(src, maxBytes);
  if (src.startsWith('blob:')) {
    if (!deps.readBlob) throw new ImageSkip('unsupported-scheme', 'This image lives only inside the page and cannot be read here.');
    let dataUrl: string;
    try {
      dataUrl = await deps.readBlob(src);
    } catch {
      throw new ImageSkip('not-found', 'The page no longer holds this image (its blob: URL was released). Reload the page and scan again.');
    }
    return parseDataUrl(dataUrl, maxBytes);
  }
  const access = imageAccess(deps.pageUrl, src);
  if (!access.allowed) throw new ImageSkip(access.code, access.reason);
  const { url } = access;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ImageSkip('unsupported-scheme', `AltScout cannot read ${url.protocol} images.`);
  }
  const res = await fetchAllowed(access, deps);
  if (res.status === 404 || res.status === 410) throw new ImageSkip('not-found', `The image is gone from ${url.host} (HTTP ${res.status}).`);
  if (!res.ok) throw new ImageSkip('http-error', `${url.host} refused the image (HTTP ${res.status}).`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new ImageSkip('too-large', `The image is ${describeSize(declared)}, over the ${describeSize(maxBytes)} limit.`);
  }
  const bytes = await readCapped(res, maxBytes);
  const header = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  return { bytes, type: sniffType(bytes) || header };
}

/** Redirects followed before giving up, as browsers do (20) but tighter: an image needs one or two. */
export const MAX_REDIRECTS = 10;
const ACCEPT = 'image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8';

/**
 * Fetches an allowed image, judging every redirect by the same policy: a redirect must not carry
 * the user's cookies to another site, nor lead to a local-network host the page may not reach.
 * Where the runtime shows the redirect (Node), each hop is checked before it is requested.
 * Browsers hide a redirect's target from `redirect: 'manual'`; then the request is made again
 * without cookies, following redirects, and refused if it ended somewhere the page may not read.
 */
async function fetchAllowed(first: Extract<ImageAccess, { allowed: true }>, deps: SourceDeps): Promise<Response> {
  const request = async (url: URL, credentials: RequestCredentials, redirect: RequestRedirect) => {
    try {
      return await deps.fetch(url.href, { credentials, redirect, signal: deps.signal, headers: { accept: ACCEPT } });
    } catch (e) {
      // A transport that judges the address it connects to (the command line's) refuses with its reason.
      if (deps.signal?.aborted || isImageSkip(e)) throw e;
      throw new ImageSkip('network', `The image could not be downloaded from ${url.host}: the network request failed.`);
    }
  };
  const refuse = async (res: Response, reason: string): Promise<never> => {
    await res.body?.cancel().catch(() => undefined);
    throw new ImageSkip('refused', `The image address redirects elsewhere. ${reason}`);
  };
  let access = first;
  for (let hop = 0; ; hop++) {
    const res = await request(access.url, access.credentials, 'manual');
    if (res.type === 'opaqueredirect') {
      const followed = await request(access.url, 'omit', 'follow');
      const end = imageAccess(deps.pageUrl, followed.url || access.url.href);
      if (!end.allowed) return refuse(followed, end.reason);
      return followed;
    }
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (location === null) return res;
    if (hop >= MAX_REDIRECTS) {
      await res.body?.cancel().catch(() => undefined);
      throw new ImageSkip('http-error', `${access.url.host} redirected the image more than ${MAX_REDIRECTS} times.`);
    }
    let target: string;
    try {
      target = new URL(location, access.url).href;
    } catch {
      return refuse(res, 'Its new address is not a valid URL.');
    }
    const next = imageAccess(deps.pageUrl, target);
    if (!next.allowed) return refuse(res, next.reason);
    if (next.url.protocol !== 'http:' && next.url.protocol !== 'https:') return refuse(res, `AltScout follows redirects only to http and https addresses, not ${next.url.protocol}.`);
    await res.body?.cancel().catch(() => undefined);
    access = next;
  }
}

/** Reads a body but stops at the cap, for servers that send no (or a wrong) content-length. */
async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ImageSkip('too-large', `The image is over the ${describeSize(maxBytes)} limit.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}
