import { z } from 'zod';

/**
 * Finished captions by image content, so the same picture (wherever it is served from) with the
 * same model, language, purpose, length and page context, on the same site, is paid for once.
 * Kept in storage.local.
 */
export const CacheEntrySchema = z.object({
  alt: z.string(),
  longDescription: z.string().optional(),
  decorative: z.boolean().default(false),
  modelId: z.string(),
  costUsd: z.number().nonnegative(),
  at: z.number(),
});
export type CacheEntry = z.infer<typeof CacheEntrySchema>;
export const CaptionCacheSchema = z.record(z.string(), CacheEntrySchema);
export type CaptionCacheData = z.infer<typeof CaptionCacheSchema>;

export const MAX_CACHE_ENTRIES = 3000;

export interface CacheKeyParts {
  /** SHA-256 of the image's bytes: the same picture wherever it is served from. */
  imageHash: string;
  modelId: string;
  language: string;
  purpose: string;
  length: string;
  /**
   * Where the page text came from (the origin of the document showing the image, see
   * `cacheScope`): a caption steered by one site's text is never served on another site.
   */
  scope: string;
  /** The page context exactly as quoted to the model (title, heading, nearby text, link...). */
  context: string;
}

/**
 * The cache key: one SHA-256 over every part, so the same picture with other page context, or on
 * another site, is described again, and storage.local holds no origins or page text in its keys.
 */
export async function cacheKey(p: CacheKeyParts, hash: (bytes: Uint8Array) => Promise<string> = sha256Hex): Promise<string> {
  const parts = [p.imageHash, p.modelId, p.language.toLowerCase(), p.purpose, p.length, p.scope, p.context];
  return hash(new TextEncoder().encode(JSON.stringify(parts)));
}

/**
 * The origin that scopes cached captions for an image: the origin of the document showing it,
 * else the page's; for pages without one (file:, about:srcdoc) the page's address.
 */
export function cacheScope(frameUrl: string | undefined, pageUrl: string): string {
  for (const url of [frameUrl, pageUrl]) {
    if (!url) continue;
    try {
      const origin = new URL(url).origin;
      if (origin !== 'null') return origin;
    } catch {
      // not a URL: try the next one
    }
  }
  try {
    const page = new URL(pageUrl);
    page.hash = '';
    page.search = '';
    return page.href;
  } catch {
    return pageUrl;
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 (hex) of a text's UTF-8 bytes, e.g. a data: URL kept as its hash. */
export const sha256Text = (text: string) => sha256Hex(new TextEncoder().encode(text));

export interface CaptionCache {
  get(key: string): Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry): Promise<void>;
}

/**
 * A cache over one stored record. Reads go to storage each time (it may be cleared from
 * elsewhere); writes are batched so 50 finishing captions make a few writes, not 50 racing ones.
 */
export class StoredCaptionCache implements CaptionCache {
  private pending = new Map<string, CacheEntry>();
  private writing: Promise<void> | null = null;

  /** The stored cache as last read, for lookups; dropped whenever storage says the item changed. */
  private snapshot: Promise<CaptionCacheData> | null = null;

  /**
   * With `watch`, lookups read storage (and check all of it with zod) once per change rather than
   * once per image, which counts for a job of thousands of images against a full cache.
   */
  constructor(private item: { getValue(): Promise<unknown>; setValue(v: CaptionCacheData): Promise<void>; watch?(callback: () => void): unknown }) {
    item.watch?.(() => {
      this.snapshot = null;
    });
  }

  private async load(): Promise<CaptionCacheData> {
    const parsed = CaptionCacheSchema.safeParse((await this.item.getValue()) ?? {});
    // A corrupt cache only costs money to rebuild, so start empty instead of failing the job.
    return parsed.success ? parsed.data : {};
  }

  async get(key: string) {
    const pending = this.pending.get(key);
    if (pending) return pending;
    if (!this.item.watch) return (await this.load())[key];
    const snapshot = (this.snapshot ??= this.load());
    snapshot.catch(() => {
      if (this.snapshot === snapshot) this.snapshot = null;
    });
    return (await snapshot)[key];
  }

  /** Rejects when storage refuses the write; the entries of that write are then given up (a cache miss later, nothing more). */
  async set(key: string, entry: CacheEntry) {
    this.pending.set(key, entry);
    this.writing ??= (async () => {
      try {
        while (this.pending.size > 0) {
          const batch = new Map(this.pending);
          try {
            // Writes start from what is stored now, not from the lookup snapshot.
            const data = await this.load();
            for (const [k, v] of batch) data[k] = v;
            const keys = Object.keys(data);
            if (keys.length > MAX_CACHE_ENTRIES) {
              for (const old of keys.sort((a, b) => data[a].at - data[b].at).slice(0, keys.length - MAX_CACHE_ENTRIES)) delete data[old];
            }
            await this.item.setValue(data);
            // Lookups see what was just written, before storage's change event arrives.
            if (this.item.watch) this.snapshot = Promise.resolve(data);
          } finally {
            for (const [k, v] of batch) if (this.pending.get(k) === v) this.pending.delete(k);
          }
        }
      } finally {
        this.writing = null;
      }
    })();
    await this.writing;
  }
}

export class MemoryCaptionCache implements CaptionCache {
  readonly data = new Map<string, CacheEntry>();
  async get(key: string) { return this.data.get(key); }
  async set(key: string, entry: CacheEntry) { this.data.set(key, entry); }
}
