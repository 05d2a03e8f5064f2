import { z } from 'zod';
import { CaptionOptionsSchema, JobItemInputSchema, JobSchema } from './schema';

/**
 * What is persisted per job (storage.session): the public Job plus what is needed to resume it
 * after the worker restarts: each item's input (context, kind) and the settings it started with.
 * The API key is never part of it.
 */
export const JobRunSettingsSchema = z.object({
  provider: z.enum(['openrouter', 'custom', 'on-device']),
  apiBase: z.string(),
  concurrency: z.number().int().min(1).max(16),
  markAiGenerated: z.boolean(),
  length: z.enum(['short', 'detailed']),
  regenerate: z.boolean(),
});
export type JobRunSettings = z.infer<typeof JobRunSettingsSchema>;

export const JobRecordSchema = z.object({
  job: JobSchema,
  inputs: z.record(z.string(), JobItemInputSchema),
  settings: JobRunSettingsSchema,
  options: CaptionOptionsSchema.default({}),
  /** Items the user asked to describe again: the cached caption is skipped for them once. */
  regenerateIds: z.array(z.string()).optional(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

export const JobRecordsSchema = z.array(JobRecordSchema);

/** Older jobs are dropped beyond this so session storage (10 MB) never fills. */
export const MAX_KEPT_JOBS = 10;
