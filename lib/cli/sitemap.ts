import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/**
 * sitemap.xml (urlset) and sitemap indexes (sitemapindex, followed to their sitemaps), plain or
 * gzipped, from a URL or a local file. The protocol caps a sitemap at 50,000 URLs and 50 MB.
 */
export class SitemapError extends Error {}

const MAX_BYTES = 50 * 1024 * 1024;
const MAX_SITEMAPS = 1000;

export interface SitemapRead {
  urls: string[];
  sitemaps: number;
}

export async function readSitemap(source: string, options: { fetcher?: typeof fetch; limit?: number } = {}): Promise<SitemapRead> {
  const fetcher = options.fetcher ?? fetch;
  const limit = options.limit ?? Infinity;
  const urls: string[] = [];
  const seen = new Set<string>();
  const queue = [source];
  let sitemaps = 0;
  while (queue.length && urls.length < limit) {
    const location = queue.shift()!;
    if (seen.has(location)) continue;
    seen.add(location);
    if (++sitemaps > MAX_SITEMAPS) throw new SitemapError(`${source} leads to more than ${MAX_SITEMAPS} sitemaps.`);
    const xml = await load(location, fetcher);
    const root = /<\s*(?:[\w-]+:)?(urlset|sitemapindex)\b/i.exec(xml)?.[1]?.toLowerCase();
    if (!root) throw new SitemapError(`${location} is not a sitemap (no <urlset> or <sitemapindex>).`);
    const locs = [...xml.matchAll(/<\s*(?:[\w-]+:)?loc\s*>([\s\S]*?)<\s*\/\s*(?:[\w-]+:)?loc\s*>/gi)].map((m) => xmlText(m[1]));
    for (const loc of locs) {
      let absolute: string;
      try {
        absolute = new URL(loc, /^https?:/i.test(location) ? location : undefined).href;
      } catch {
        continue; // a sitemap entry that is not a URL
      }
      if (root === 'sitemapindex') queue.push(absolute);
      else if (/^https?:/i.test(absolute) && urls.length < limit) urls.push(absolute);
    }
  }
  return { urls, sitemaps };
}

async function load(location: string, fetcher: typeof fetch): Promise<string> {
  let bytes: Buffer;
  if (/^https?:\/\//i.test(location)) {
    let res: Response;
    try {
      res = await fetcher(location, { redirect: 'follow', signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new SitemapError(`Could not read the sitemap ${location}: ${(error as Error).message}.`);
    }
    if (!res.ok) throw new SitemapError(`The sitemap ${location} answered HTTP ${res.status}.`);
    bytes = Buffer.from(await res.arrayBuffer());
  } else {
    const path = location.startsWith('file:') ? fileURLToPath(location) : location;
    bytes = await readFile(path).catch(() => {
      throw new SitemapError(`Cannot read the sitemap file ${path}.`);
    });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_BYTES });
    } catch {
      throw new SitemapError(`${location} is not a readable gzipped sitemap.`);
    }
  }
  if (bytes.length > MAX_BYTES) throw new SitemapError(`${location} is over the sitemap limit of 50 MB.`);
  return bytes.toString('utf8');
}

function xmlText(raw: string): string {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(raw);
  if (cdata) return cdata[1].trim();
  return raw
    .trim()
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}
