import { z } from 'zod';

/**
 * Finished captions by image content, so the same picture (wherever it is served from) with the
 * same model, language, purpose and length is paid for once. Kept in storage.local.
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
  imageHash: string;
  modelId: string;
  language: string;
  purpose: string;
  length: string;
}

export const cacheKey = (p: CacheKeyParts) => [p.imageHash, p.modelId, p.language.toLowerCase(), p.purpose, p.length].join('|');

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

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

  constructor(private item: { getValue(): Promise<unknown>; setValue(v: CaptionCacheData): Promise<void> }) {}

  private async read(): Promise<CaptionCacheData> {
    const parsed = CaptionCacheSchema.safeParse((await this.item.getValue()) ?? {});
    // A corrupt cache only costs money to rebuild, so start empty instead of failing the job.
    return parsed.success ? parsed.data : {};
  }

  async get(key: string) {
    return this.pending.get(key) ?? (await this.read())[key];
  }

  async set(key: string, entry: CacheEntry) {
    this.pending.set(key, entry);
    this.writing ??= (async () => {
      try {
        while (this.pending.size > 0) {
          const batch = new Map(this.pending);
          const data = await this.read();
          for (const [k, v] of batch) data[k] = v;
          const keys = Object.keys(data);
          if (keys.length > MAX_CACHE_ENTRIES) {
            for (const old of keys.sort((a, b) => data[a].at - data[b].at).slice(0, keys.length - MAX_CACHE_ENTRIES)) delete data[old];
          }
          await this.item.setValue(data);
          for (const [k, v] of batch) if (this.pending.get(k) === v) this.pending.delete(k);
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
