import { z } from 'zod';
import { isSingleImageJob, JobSchema, type JobItem } from './schema';

/**
 * What is persisted per job (storage.session): the public Job, whose items identify each image
 * once (id, frame, selector, src or the hash of a data: URL, the alt it had), plus the settings
 * the job started with. What the page can give again (context, rendered size, data: bytes) is not
 * stored: a worker that restarts mid-job asks the page for it. The API key is never part of it.
 */
export const JobRunSettingsSchema = z.object({
  provider: z.enum(['openrouter', 'custom', 'on-device']),
  apiBase: z.string(),
  concurrency: z.number().int().min(1).max(16),
  markAiGenerated: z.boolean(),
  length: z.enum(['short', 'detailed']),
  /** The language the user chose ('' = the page's). */
  language: z.string().default(''),
  regenerate: z.boolean(),
});
export type JobRunSettings = z.infer<typeof JobRunSettingsSchema>;

export const JobRecordSchema = z.object({
  job: JobSchema,
  settings: JobRunSettingsSchema,
  /** Items the user asked to describe again: the cached caption is skipped for them once. */
  regenerateIds: z.array(z.string()).optional(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

/**
 * Room for every kept job, in bytes of the serialised records (UTF-8). storage.session holds
 * 10 MB for the whole extension; Chromium counts a stored string at its length but an object
 * several times its JSON size (1,000 job items: 198 kB as one string, 704 kB as objects), so each
 * record is stored as one JSON string (StoredJob) and older jobs give way to newer ones past this budget.
 */
export const JOBS_BUDGET_BYTES = 4 * 1024 * 1024;

/** A record as JSON, item fields at their default values left out (zod puts them back). */
export function serialiseRecord(record: JobRecord): string {
  const items = record.job.items.map((item) => {
    const { frameId, oldAlt, costUsd, cached, attempts, ...rest } = item;
    const out: Partial<JobItem> = rest;
    if (frameId) out.frameId = frameId;
    if (oldAlt != null) out.oldAlt = oldAlt;
    if (costUsd) out.costUsd = costUsd;
    if (cached) out.cached = cached;
    if (attempts) out.attempts = attempts;
    return out;
  });
  return JSON.stringify({ ...record, job: { ...record.job, items } });
}

/**
 * One job as stored: what a view needs to pick it (id, tab, age, whether it is the context menu's
 * one image) beside the record itself as JSON, so a view following one job parses only that one.
 */
export const StoredJobSchema = z.object({
  id: z.string(),
  tabId: z.number().int().nonnegative(),
  createdAt: z.number(),
  updatedAt: z.number(),
  single: z.boolean(),
  record: z.string(),
});
export type StoredJob = z.infer<typeof StoredJobSchema>;

export function storeRecord(record: JobRecord, text = serialiseRecord(record)): StoredJob {
  const { job } = record;
  return { id: job.id, tabId: job.tabId, createdAt: job.createdAt, updatedAt: job.updatedAt, single: isSingleImageJob(job), record: text };
}

export type ParsedRecord = { ok: true; record: JobRecord } | { ok: false; error: string };

/** A stored job (see StoredJobSchema) back to its record. */
export function readStoredJob(entry: unknown): ParsedRecord {
  const stored = StoredJobSchema.safeParse(entry);
  if (!stored.success) return { ok: false, error: `${stored.error.issues[0]?.path.join('.') || 'value'}: ${stored.error.issues[0]?.message}` };
  return parseRecord(stored.data.record);
}

export function parseRecord(text: unknown): ParsedRecord {
  let raw: unknown;
  try {
    raw = typeof text === 'string' ? JSON.parse(text) : text;
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const parsed = JobRecordSchema.safeParse(raw);
  if (parsed.success) return { ok: true, record: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, error: `${issue?.path.join('.') || 'value'}: ${issue?.message}` };
}

export const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

export interface Sized {
  record: JobRecord;
  stored: StoredJob;
  bytes: number;
}

/**
 * Which records to keep: newest first while they fit the budget. The newest job (the one the
 * user is looking at) and every running job are always kept, even past the budget.
 */
export function keepWithinBudget(
  records: JobRecord[],
  budgetBytes: number,
  serialise: (record: JobRecord) => { text: string; bytes: number } = (record) => {
    const text = serialiseRecord(record);
    return { text, bytes: utf8Bytes(text) };
  },
): { kept: Sized[]; dropped: JobRecord[] } {
  const sized = records
    .map((record) => {
      const { text, bytes } = serialise(record);
      return { record, stored: storeRecord(record, text), bytes };
    })
    .sort((a, b) => b.record.job.createdAt - a.record.job.createdAt);
  const newest = sized[0];
  const live = (s: Sized) => s === newest || s.record.job.state === 'running';
  let used = sized.filter(live).reduce((sum, s) => sum + s.bytes, 0);
  const kept: Sized[] = [];
  const dropped: JobRecord[] = [];
  for (const s of sized) {
    if (live(s)) kept.push(s);
    else if (used + s.bytes <= budgetBytes) {
      kept.push(s);
      used += s.bytes;
    } else dropped.push(s.record);
  }
  return { kept, dropped };
}

/**
 * Version 1 kept each job as an object with every input twice (in `job.items` and in `inputs`,
 * data: URLs in full) and the language in `options`. Version 2 keeps each job once, as a JSON
 * string beside a few fields to find it by, with data: URLs replaced by their hash.
 */
export async function migrateJobsV1(old: unknown, hash: (text: string) => Promise<string>): Promise<StoredJob[]> {
  if (!Array.isArray(old)) return [];
  const out: StoredJob[] = [];
  for (const entry of old as Array<Record<string, any>>) {
    const job = entry?.job;
    if (!job || !Array.isArray(job.items)) continue;
    const items = [];
    for (const item of job.items as Array<Record<string, any>>) {
      const { src, ...rest } = item;
      items.push(typeof src === 'string' && src.startsWith('data:') ? { ...rest, src: null, srcHash: await hash(src) } : item);
    }
    const settings = { ...entry.settings, language: entry.options?.language ?? '', length: entry.settings?.length ?? entry.options?.length ?? 'short' };
    const parsed = parseRecord({ job: { ...job, items }, settings, regenerateIds: entry.regenerateIds });
    if (parsed.ok) out.push(storeRecord(parsed.record));
  }
  return out;
}
