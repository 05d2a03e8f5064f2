import { CatalogSchema, type Catalog } from './schema';
import snapshotJson from './snapshot.json';

/**
 * The offline catalog shipped in the extension (tests/tools/make-snapshot.ts derives it from the
 * shared OpenRouter dump): used until the first successful fetch, so a fresh install with no
 * network still recommends models. Parsed once, lazily.
 */
let parsed: { catalog: Catalog; fetchedAt: number } | null = null;

export function offlineSnapshot(): { catalog: Catalog; fetchedAt: number } {
  if (!parsed) {
    const { kind, models, skipped, fetchedAt } = snapshotJson as unknown as Catalog & { fetchedAt: number };
    parsed = { catalog: CatalogSchema.parse({ kind, models, skipped }), fetchedAt };
  }
  return parsed;
}
