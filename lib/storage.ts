import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { JobRecordsSchema, type JobRecord } from './jobs/record';
import type { CaptionCacheData } from './jobs/cache';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from './settings/schema';
import { CatalogSchema } from './catalog/schema';
import type { ReviewDrafts } from './ui/review';

/**
 * Every storage item AltScout keeps, in one place. Items are versioned; a migration takes the
 * previous version's value and returns the next one. Values read back are checked with zod: a
 * corrupt value is reported and the fallback used, but the stored value is left untouched so
 * nothing a user saved is lost by a read.
 */

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** Kept apart from settings so no message that returns settings can carry it by accident. */
export const apiKeyItem = storage.defineItem<string>('local:apiKey', { fallback: '', version: 1 });

export interface ValidatedRead<T> {
  value: T;
  /** Set when the stored value failed validation and the fallback was used instead. */
  error?: string;
}

export async function readValidated<T>(
  item: { getValue(): Promise<unknown>; fallback: unknown; key: string },
  schema: z.ZodType<T>,
): Promise<ValidatedRead<T>> {
  const raw = await item.getValue();
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data };
  const fallback = schema.parse(item.fallback);
  const issue = parsed.error.issues[0];
  return {
    value: fallback,
    error: `Stored ${item.key} is invalid (${issue?.path.join('.') || 'value'}: ${issue?.message}); using defaults until it is saved again.`,
  };
}

export const readSettings = () => readValidated(settingsItem, SettingsSchema);

/**
 * What real runs measured per model: the ranking prefers these to its estimates. Written by the
 * job runner, read by the ranking. Latencies keep the last 50 runs.
 */
export const ModelStatsSchema = z.record(
  z.string(),
  z.object({
    runs: z.number().int().nonnegative(),
    totalCostUsd: z.number().nonnegative(),
    latenciesMs: z.array(z.number().nonnegative()).max(50),
  }),
);
export type ModelStats = z.infer<typeof ModelStatsSchema>;
export const modelStatsItem = storage.defineItem<ModelStats>('local:modelStats', { fallback: {}, version: 1 });

export async function recordModelRun(modelId: string, costUsd: number, latencyMs: number): Promise<void> {
  const { value: stats } = await readValidated(modelStatsItem, ModelStatsSchema);
  const prev = stats[modelId] ?? { runs: 0, totalCostUsd: 0, latenciesMs: [] };
  await modelStatsItem.setValue({
    ...stats,
    [modelId]: {
      runs: prev.runs + 1,
      totalCostUsd: prev.totalCostUsd + costUsd,
      latenciesMs: [...prev.latenciesMs, latencyMs].slice(-50),
    },
  });
}

/**
 * The user's edits and rejections per job, so closing the popup or opening the full report
 * loses none. Session storage: drafts belong to this browser session, like the jobs they edit.
 */
export const reviewDraftsItem = storage.defineItem<ReviewDrafts>('session:reviewDrafts', { fallback: {}, version: 1 });

/**
 * The last good model catalog, reduced to what the ranking reads, with where and when it was
 * fetched. Replaced only by another good fetch: a failed refresh records its error in
 * catalogStateItem and leaves this untouched.
 */
export const CatalogCacheSchema = z
  .object({ apiBase: z.string(), fetchedAt: z.number(), catalog: CatalogSchema })
  .nullable();
export type CatalogCache = z.infer<typeof CatalogCacheSchema>;
export const catalogCacheItem = storage.defineItem<CatalogCache>('local:catalogCache', { fallback: null, version: 1 });

/** The last refresh attempt: when, against which base URL, and its error (null when it worked). */
export const CatalogStateSchema = z.object({
  attemptedAt: z.number().nullable(),
  apiBase: z.string().nullable(),
  error: z.string().nullable(),
});
export type CatalogState = z.infer<typeof CatalogStateSchema>;
export const catalogStateItem = storage.defineItem<CatalogState>('local:catalogState', {
  fallback: { attemptedAt: null, apiBase: null, error: null },
  version: 1,
});

/** OpenRouter's p50 seconds to first token per model, looked up for the top candidates when a key is set. */
export const EndpointLatencySchema = z.record(z.string(), z.object({ seconds: z.number().nonnegative(), at: z.number() }));
export type EndpointLatency = z.infer<typeof EndpointLatencySchema>;
export const endpointLatencyItem = storage.defineItem<EndpointLatency>('local:endpointLatency', { fallback: {}, version: 1 });

/**
 * Caption jobs (queue, finished items, cost so far) live in storage.session: they survive the MV3
 * worker being stopped mid-job but not a browser restart. Extension pages may `watch()` this
 * item for progress; content scripts cannot read session storage.
 */
export const jobsItem = storage.defineItem<JobRecord[]>('session:jobs', { fallback: [], version: 1 });
export const readJobs = () => readValidated(jobsItem, JobRecordsSchema);

/** Finished captions by image hash + model + language + purpose + length, so regenerating costs nothing unless asked. */
export const captionCacheItem = storage.defineItem<CaptionCacheData>('local:captionCache', { fallback: {}, version: 1 });

