import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { JobRecordsSchema, type JobRecord } from './jobs/record';
import type { CaptionCacheData } from './jobs/cache';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from './settings/schema';
import { CatalogSchema } from './catalog/schema';
import { ReviewDraftsSchema, type ReviewDrafts } from './ui/review';
import {
  EvidenceStoreSchema, EvidenceSummariesSchema, type EvidenceStore, type EvidenceSummaries, type EvidenceUpdate,
} from './evidence/schema';
import { addEvidence, withoutEvidence } from './evidence/store';
import { summariseEvidence } from './evidence/quality';

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
/** Only the worker and the options page call this; a stored non-string reads as no key. */
export const readApiKey = async (): Promise<string> => (await readValidated(apiKeyItem, z.string(), 'API key')).value;

export interface ValidatedRead<T> {
  value: T;
  /** Set when the stored value failed validation and the fallback was used instead. */
  error?: string;
}

/**
 * `label` names the item for people ("settings", "caption jobs"): the error is shown in the UI
 * as a plain sentence, never with the storage key.
 */
export async function readValidated<T>(
  item: { getValue(): Promise<unknown>; fallback: unknown },
  schema: z.ZodType<T>,
  label = 'AltScout data',
): Promise<ValidatedRead<T>> {
  const raw = await item.getValue();
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data };
  const fallback = schema.parse(item.fallback);
  const issue = parsed.error.issues[0];
  return {
    value: fallback,
    error: `Your saved ${label} could not be read (${issue?.path.join('.') || 'value'}: ${issue?.message}); defaults are shown until you save again.`,
  };
}

export const readSettings = () => readValidated(settingsItem, SettingsSchema, 'settings');

let settingsWrites: Promise<unknown> = Promise.resolve();

/**
 * The one way to write settings. `patch` is merged over what is stored at the moment of writing
 * (not over what a page read when it opened), checked, and written; writes run one after another,
 * across AltScout's pages too (a Web Lock where the browser has them). Fields the patch leaves out
 * keep their stored value: if one of those fails validation the write is refused with the reason,
 * so a stored value is never silently replaced by a default.
 */
export function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  const write = async (): Promise<Settings> => {
    const stored: unknown = await settingsItem.getValue();
    const base = stored != null && typeof stored === 'object' ? stored : {};
    const parsed = SettingsSchema.safeParse({ ...base, ...patch });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'settings';
      throw new Error(
        issue && String(issue.path[0]) in patch
          ? `Not saved: ${field}: ${issue.message}.`
          : `Not saved: the saved setting ${field} is not valid (${issue?.message}). Open AltScout's settings, fix it and save.`,
      );
    }
    await settingsItem.setValue(parsed.data);
    return parsed.data;
  };
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  const next = settingsWrites.then(async (): Promise<Settings> => (locks ? ((await locks.request('altscout-settings', write)) as Settings) : write()));
  settingsWrites = next.catch(() => undefined);
  return next;
}

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
/** Drafts that fail validation read as none: the review then shows the job's own captions. */
export const readReviewDrafts = async (): Promise<ReviewDrafts> =>
  (await readValidated(reviewDraftsItem, ReviewDraftsSchema, 'review edits')).value;

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
export const readJobs = () => readValidated(jobsItem, JobRecordsSchema, 'caption jobs');

/**
 * Tabs whose page shows highlights now (tab id -> true), so a reopened popup says "Hide
 * highlights". Written by the background when highlighting succeeds, cleared when the tab loads
 * a new page (the overlay goes with the old document) or closes.
 */
export const HighlightedTabsSchema = z.record(z.string(), z.boolean());
export const highlightedTabsItem = storage.defineItem<Record<string, boolean>>('session:highlightedTabs', { fallback: {}, version: 1 });

export async function isTabHighlighted(tabId: number): Promise<boolean> {
  return (await readValidated(highlightedTabsItem, HighlightedTabsSchema)).value[tabId] === true;
}

let highlightWrites: Promise<void> = Promise.resolve();

/** Read, change, write, one call after another: tabs closing together must not undo each other's change. */
export function setTabHighlighted(tabId: number, on: boolean): Promise<void> {
  const write = highlightWrites.then(async () => {
    const { value } = await readValidated(highlightedTabsItem, HighlightedTabsSchema);
    if ((value[tabId] === true) === on) return;
    const { [tabId]: _dropped, ...rest } = value;
    await highlightedTabsItem.setValue(on ? { ...rest, [tabId]: true } : rest);
  });
  highlightWrites = write.catch(() => undefined);
  return write;
}

/** Finished captions by image hash + model + language + purpose + length, so regenerating costs nothing unless asked. */
export const captionCacheItem = storage.defineItem<CaptionCacheData>('local:captionCache', { fallback: {}, version: 1 });

/**
 * What the user's reviews and comparisons said about each captioning model (lib/evidence): kept
 * on this device only, bounded (the latest records per model, a cap on models). Written through
 * `recordEvidence`, emptied by `clearEvidence`. The ranking reads only the per-model counts in
 * evidenceSummaryItem, written in the same storage call as the log.
 */
export const evidenceItem = storage.defineItem<EvidenceStore>('local:evidence', { fallback: {}, version: 1 });
export const evidenceSummaryItem = storage.defineItem<EvidenceSummaries>('local:evidenceSummary', { fallback: {}, version: 1 });
export const readEvidence = () => readValidated(evidenceItem, EvidenceStoreSchema, 'review history');

/** Counts per model for the ranking; rebuilt from the log (without writing) if the counts cannot be read. */
export async function readEvidenceSummary(): Promise<EvidenceSummaries> {
  const { value, error } = await readValidated(evidenceSummaryItem, EvidenceSummariesSchema, 'review counts');
  return error ? summariseEvidence((await readEvidence()).value) : value;
}

let evidenceWrites: Promise<unknown> = Promise.resolve();

/** One evidence write after another, so two saves in a row both count. */
function serialEvidence<T>(write: () => Promise<T>): Promise<T> {
  const next = evidenceWrites.then(write);
  evidenceWrites = next.catch(() => undefined);
  return next;
}

/** Read, change, write; a stored value that fails validation is left as it is rather than replaced. */
const changeEvidence = (change: (store: EvidenceStore) => EvidenceStore): Promise<{ error?: string }> =>
  serialEvidence(async () => {
    const { value, error } = await readEvidence();
    if (error) return { error };
    const next = change(value);
    await storage.setItems([{ item: evidenceItem, value: next }, { item: evidenceSummaryItem, value: summariseEvidence(next) }]);
    return {};
  });

/** Adds review outcomes or comparison votes (from lib/evidence reviewOutcomes, regenerationOutcome, comparisonVotes). */
export function recordEvidence(updates: EvidenceUpdate | Array<EvidenceUpdate | null> | null): Promise<{ error?: string }> {
  const list = (Array.isArray(updates) ? updates : [updates]).filter((u): u is EvidenceUpdate => u != null);
  return changeEvidence((store) => addEvidence(store, list));
}

/** Forgets one model's reviews and votes, or everyone's; clearing everything also clears an unreadable value. */
export function clearEvidence(modelId?: string): Promise<{ error?: string }> {
  if (modelId != null) return changeEvidence((store) => withoutEvidence(store, modelId));
  return serialEvidence(async () => {
    await storage.removeItems([evidenceItem, evidenceSummaryItem]);
    return {};
  });
}
