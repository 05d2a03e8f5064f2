import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './args';
import { blockMatcher } from './scan-pages';
import type { Robots } from './robots';

/** Which pages an audit visits: listed ones (arguments, files, stdin, sitemaps), a crawl, a shard of them. */

/** http(s) and file: URLs pass through; anything else must be a file that exists. */
export function toUrl(target: string): string {
  if (/^(https?|file):\/\//i.test(target)) {
    try {
      return new URL(target).href;
    } catch {
      throw new UsageError(`"${target}" is not a valid URL.`);
    }
  }
  const path = resolve(target);
  if (!existsSync(path)) throw new UsageError(`"${target}" is neither a URL (http://, https://, file://) nor a file that exists.`);
  return pathToFileURL(path).href;
}

/** A URL list file: one URL (or HTML file path) per line; blank lines and # comments skipped. */
export function parseUrlList(text: string, name: string): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    try {
      out.push(toUrl(line));
    } catch (error) {
      throw new UsageError(`${name} line ${i + 1}: ${(error as Error).message}`);
    }
  });
  return out;
}

export function unique(urls: string[]): string[] {
  return [...new Set(urls)];
}

export interface Shard {
  index: number;
  total: number;
}

export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total) throw new UsageError(`--shard takes i/n with 1 <= i <= n, e.g. 2/8 (got "${value}").`);
  return { index, total };
}

/**
 * Which shard a URL belongs to: a hash of the URL, so every machine puts a URL in the same shard
 * whatever order its list came in; shards are disjoint and together are the whole list.
 */
export function shardOf(url: string, total: number): number {
  const digest = createHash('sha256').update(url).digest();
  return (digest.readUInt32BE(0) % total) + 1;
}

export function inShard(urls: string[], shard: Shard | null): string[] {
  return shard ? urls.filter((u) => shardOf(u, shard.total) === shard.index) : urls;
}

export interface CrawlOptions {
  maxPages: number;
  maxDepth: number;
  include: string[];
  exclude: string[];
  robots: Robots;
}

/**
 * Breadth-first over same-origin links from the start pages: each page's links are offered as it
 * is scanned, and `take` hands out the next page, nearest first.
 */
export class Crawl {
  private readonly queue: Array<{ url: string; depth: number }> = [];
  private readonly seen = new Set<string>();
  private readonly origins = new Set<string>();
  private readonly included: (url: string) => boolean;
  private readonly excluded: (url: string) => boolean;
  /** Links left out because robots.txt disallows them. */
  robotsSkipped = 0;

  constructor(starts: string[], private readonly options: CrawlOptions) {
    this.included = options.include.length ? blockMatcher(options.include) : () => true;
    this.excluded = blockMatcher(options.exclude);
    for (const start of starts) {
      this.origins.add(new URL(start).origin);
      this.offer(start, 0, true);
    }
  }

  /** Where the start page ended up (http → https, a www redirect) counts as the same site. */
  addOrigin(url: string): void {
    try {
      const { origin } = new URL(url);
      if (origin !== 'null') this.origins.add(origin);
    } catch {
      // not a URL
    }
  }

  get found(): number {
    return this.seen.size;
  }

  take(): { url: string; depth: number } | undefined {
    return this.queue.shift();
  }

  offer(link: string, depth: number, start = false): void {
    if (this.seen.size >= this.options.maxPages || depth > this.options.maxDepth) return;
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      return;
    }
    url.hash = '';
    const href = url.href;
    if (this.seen.has(href) || !this.origins.has(url.origin)) return;
    if (!start && (!this.included(href) || this.excluded(href))) return;
    if (!this.options.robots.allows(href)) {
      this.robotsSkipped += 1;
      return;
    }
    this.seen.add(href);
    this.queue.push({ url: href, depth });
  }
}
