import { z } from 'zod';
import { FindingSchema } from '../scan/schema';

/** Contract between the popup/report/context menu and the background job runner. */
export const JobItemInputSchema = FindingSchema.pick({
  id: true, frameId: true, selector: true, kind: true, status: true, alt: true, src: true, width: true, height: true, context: true,
});
export type JobItemInput = z.infer<typeof JobItemInputSchema>;

export const CaptionOptionsSchema = z.object({
  /** Empty: the page's language. */
  language: z.string().max(35).optional(),
  length: z.enum(['short', 'detailed']).optional(),
  /** Describe again even when a cached caption exists (costs money). */
  regenerate: z.boolean().optional(),
});

export const StartJobSchema = z.object({
  tabId: z.number().int().nonnegative(),
  pageUrl: z.string(),
  modelId: z.string().min(1),
  items: z.array(JobItemInputSchema).min(1).max(2000),
  options: CaptionOptionsSchema.default({}),
  /** Overrides the budget from settings for this job (USD). */
  budgetUsd: z.number().positive().max(1000).optional(),
});
export type StartJob = z.infer<typeof StartJobSchema>;

export const JobErrorSchema = z.object({
  /** bad-key, no-credit, rate-limited, model-gone, budget, network, ... */
  code: z.string(),
  /** A plain sentence with the next step. */
  message: z.string(),
  action: z.enum(['open-options', 'top-up', 'pick-model', 'retry', 'raise-budget']).optional(),
});

export const JobItemSchema = z.object({
  id: z.string(),
  frameId: z.number().int().nonnegative(),
  selector: z.string(),
  src: z.string().nullable(),
  oldAlt: z.string().nullable(),
  state: z.enum(['queued', 'running', 'done', 'failed', 'skipped', 'cancelled']),
  alt: z.string().optional(),
  /** Charts and diagrams may get a longer description besides the short alt. */
  longDescription: z.string().optional(),
  error: z.string().optional(),
  costUsd: z.number().nonnegative().default(0),
  cached: z.boolean().default(false),
  attempts: z.number().int().nonnegative().default(0),
  /** The model judged the image decorative: apply alt="" rather than a description. */
  decorative: z.boolean().optional(),
  /** Stable reason code when skipped or failed (not-found, too-large, undecodable, flagged, ...). */
  errorCode: z.string().optional(),
});
export type JobItem = z.infer<typeof JobItemSchema>;

export const JobSchema = z.object({
  id: z.string(),
  tabId: z.number().int().nonnegative(),
  pageUrl: z.string(),
  modelId: z.string(),
  state: z.enum(['running', 'paused', 'done', 'cancelled', 'failed']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  budgetUsd: z.number().nonnegative(),
  error: JobErrorSchema.nullable(),
  items: z.array(JobItemSchema),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Set while every call waits out a rate limit (epoch ms), so the popup can count down. */
  waitingUntil: z.number().nullable().optional(),
  /** The language the descriptions are written in (BCP 47). */
  language: z.string().optional(),
});
export type Job = z.infer<typeof JobSchema>;
