import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { migrateJobsV1, readStoredJob, type JobRecord, type StoredJob } from './jobs/record';
import { sha256Text, type CaptionCacheData } from './jobs/cache';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from './settings/schema';
import { KEY_CHANNEL, KeyStore } from './settings/api-key';
import { CatalogSchema } from './catalog/schema';
import { ReviewDraftsSchema, type ReviewDrafts } from './jobs/review-draft';
import {
  EvidenceStoreSchema, EvidenceSummariesSchema, type EvidenceStore, type EvidenceSummaries, type EvidenceUpdate,
} from './evidence/schema';
import { addEvidence, withoutEvidence } from './evidence/store';
import { summariseEvidence } from './evidence/quality';
import { ComparisonsSchema, MAX_COMPARISONS, type Comparison } from './compare/schema';

/**
 * Every storage item AltScout keeps, in one place. Each item has a `version`; when a stored shape
 * changes, the version goes up and `migrations[n]` turns the previous version's value into the
 * new one the first time the item is read (jobs: v2, caption cache: v2). Values read back are
 * checked with zod: a corrupt value is reported and the fallback used, but the stored value is
 * left untouched so nothing a user saved is lost by a read.
 */

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

export interface ValidatedRead<T> {
  value: T;
  /** Set when the stored value failed validation and the fallback was used instead. */
  error?: string;
  /** What failed, as "field: message", for callers that word their own sentence. */
  problem?: string;
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
  const problem = `${issue?.path.join('.') || 'value'}: ${issue?.message}`;
  return { value: fallback, problem, error: `Your saved ${label} could not be read (${problem}); defaults are shown until you save again.` };
}

export const readSettings = () => readValidated(settingsItem, SettingsSchema, 'settings');

/** A settings change that was refused, with the sentence to show. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

let settingsWrites: Promise<unknown> = Promise.resolve();

/**
 * The only way settings are written: a patch of the fields that change, applied to what is stored
 * now. Writes run one after another (across the worker and every extension page when the browser
 * has Web Locks, else within this page), so two writers keep each other's fields. A stored value
 * that fails validation is never replaced by defaults: the patch must give every unreadable field
 * a value, else nothing is written and the error says which fields to fix.
 */
export function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  const locks = (globalThis.navigator as { locks?: { request<T>(name: string, run: () => Promise<T>): Promise<T> } } | undefined)?.locks;
  const write = settingsWrites
    .catch(() => undefined)
    .then(() => (locks ? locks.request('altscout-settings', () => applySettingsPatch(patch)) : applySettingsPatch(patch)));
  settingsWrites = write;
  return write;
}

async function applySettingsPatch(patch: Partial<Settings>): Promise<Settings> {
  const raw: unknown = await settingsItem.getValue();
  const stored = SettingsSchema.safeParse(raw);
  let base: unknown = raw;
  if (!stored.success) {
    const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
    const unreadable = isObject ? [...new Set(stored.error.issues.map((i) => String(i.path[0])))] : Object.keys(SettingsSchema.shape);
    const uncovered = unreadable.filter((field) => !(field in patch));
    if (uncovered.length) {
      const issue = stored.error.issues.find((i) => uncovered.includes(String(i.path[0]))) ?? stored.error.issues[0];
      const which = uncovered.length === 1 ? `setting ${uncovered[0]} is` : `settings ${uncovered.join(', ')} are`;
      throw new SettingsError(`Not saved: the saved ${which} not valid (${issue?.message}). Open AltScout's settings, fix it and save.`);
    }
    if (!isObject) base = {};
  }
  const next = SettingsSchema.safeParse({ ...(base as object), ...patch });
  if (!next.success) {
    const issue = next.error.issues[0];
    throw new SettingsError(`Not saved: ${issue?.path.join('.') || 'settings'}: ${issue?.message}.`);
  }
  await settingsItem.setValue(next.data);
  return next.data;
}

// ---- The API key ----

/**
 * Kept apart from settings, in the extension's own IndexedDB (lib/settings/api-key.ts), so no
 * message that returns settings can carry it and no content script can read it. Only the worker
 * and the options page call these.
 */
const keyStore = new KeyStore(() => globalThis.indexedDB);
/** Where earlier versions kept the key; moved into IndexedDB on first use, then removed. */
const LEGACY_KEY = 'local:apiKey' as const;

async function moveLegacyKey(): Promise<void> {
  const legacy = await storage.getItem<unknown>(LEGACY_KEY);
  // A stored non-string was never a usable key: it is left as it is rather than lost.
  if (typeof legacy !== 'string') return;
  await keyStore.writeIfAbsent(legacy);
  await storage.removeItem(LEGACY_KEY, { removeMeta: true });
}

export async function readApiKey(): Promise<string> {
  await moveLegacyKey();
  return (await keyStore.read()) ?? '';
}

const keyListeners = new Set<() => void>();

export async function writeApiKey(key: string): Promise<void> {
  await moveLegacyKey();
  await keyStore.write(key);
  for (const listener of [...keyListeners]) listener();
  try {
    const channel = new BroadcastChannel(KEY_CHANNEL);
    channel.postMessage('changed');
    channel.close();
  } catch {
    // No channel: other pages see the new key when they next read it.
  }
}

/** Calls back when the key changes, here or in another extension page or the worker (never with the key: read it if needed). */
export function watchApiKey(callback: () => void): () => void {
  keyListeners.add(callback);
  let channel: BroadcastChannel | null = null;
  try {
    channel = new BroadcastChannel(KEY_CHANNEL);
    channel.onmessage = () => callback();
  } catch {
    channel = null;
  }
  return () => {
    keyListeners.delete(callback);
    channel?.close();
  };
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
export const jobsItem = storage.defineItem<StoredJob[]>('session:jobs', {
  fallback: [],
  version: 2,
  // v1 kept objects with every input twice; v2 keeps each job once, its record as one JSON string (lib/jobs/record.ts).
  migrations: { 2: (old: unknown) => migrateJobsV1(old, sha256Text) },
});

/** The stored jobs, newest first; a record that fails validation is left out and reported. */
export function parseJobs(raw: unknown): ValidatedRead<JobRecord[]> {
  if (!Array.isArray(raw)) return { value: [], error: 'Your saved caption jobs could not be read (value: expected a list); none are shown.' };
  const value: JobRecord[] = [];
  let error: string | undefined;
  for (const entry of raw) {
    const parsed = readStoredJob(entry);
    if (parsed.ok) value.push(parsed.record);
    else error ??= `One of your saved caption jobs could not be read (${parsed.error}); it is left out.`;
  }
  return error ? { value, error } : { value };
}

export const readJobs = async () => parseJobs(await jobsItem.getValue());

/** Calls back with every stored job whenever one changes (storage change events, no polling). */
export const watchJobs = (callback: (jobs: ValidatedRead<JobRecord[]>) => void) => jobsItem.watch((next) => callback(parseJobs(next)));

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

/**
 * Finished captions by one hash of image + model + language + purpose + length + site + quoted
 * page context (lib/jobs/cache.ts), so describing again costs nothing unless asked.
 */
export const captionCacheItem = storage.defineItem<CaptionCacheData>('local:captionCache', {
  fallback: {},
  version: 2,
  // v1 keys left out the page context and site: no v1 entry can be matched to a v2 key, so they go.
  migrations: { 2: () => ({}) },
});

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

/**
 * Comparisons of models on the user's own images (lib/compare/schema.ts): which jobs belong to
 * one comparison and what the user chose for each image. Session storage, like the jobs they
 * follow. Written only through `changeComparisons`, one write after another (a Web Lock across
 * AltScout's pages where the browser has them), so two comparison tabs keep each other's runs.
 */
export const comparisonsItem = storage.defineItem<Comparison[]>('session:comparisons', { fallback: [], version: 1 });
export const readComparisons = () => readValidated(comparisonsItem, ComparisonsSchema, 'comparisons');

let comparisonWrites: Promise<unknown> = Promise.resolve();

/** Read, change, write: `change` gets the stored comparisons and returns the new list (the newest MAX_COMPARISONS are kept). */
export function changeComparisons(change: (runs: Comparison[]) => Comparison[]): Promise<Comparison[]> {
  const write = async (): Promise<Comparison[]> => {
    const { value } = await readComparisons();
    const next = ComparisonsSchema.parse(change(value).slice(-MAX_COMPARISONS));
    await comparisonsItem.setValue(next);
    return next;
  };
  const locks = (globalThis.navigator as { locks?: { request<T>(name: string, run: () => Promise<T>): Promise<T> } } | undefined)?.locks;
  const next = comparisonWrites.catch(() => undefined).then(() => (locks ? locks.request('altscout-comparisons', write) : write()));
  comparisonWrites = next;
  return next;
}
