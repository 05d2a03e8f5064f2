import { z } from 'zod';
import { FindingSchema } from '../scan/schema';
import { JobErrorSchema } from '../caption/errors';

/** The most images one job takes (a whole large page); the record stays well inside storage.session. */
export const MAX_JOB_ITEMS = 10_000;

/** The item id of the context menu's one image, which has no finding id. */
export const SINGLE_IMAGE_ITEM_ID = 'context-menu-image';

/** A job the context menu started for one image; the popup leaves it to that window. */
export const isSingleImageJob = (job: { items: Array<{ id: string }> }) => job.items.length === 1 && job.items[0].id === SINGLE_IMAGE_ITEM_ID;

/** A data: URL from the context menu may be as large as an image AltScout reads (20 MB, base64). */
const MAX_SRC_CHARS = 28 * 1024 * 1024;

/** Which images: findings of the tab's last scan (merged ids, opaque), or the one image the context menu was opened on. */
export const JobTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('findings'), ids: z.array(z.string().min(1).max(200)).min(1).max(MAX_JOB_ITEMS) }).strict(),
  z.object({ kind: z.literal('image'), frameId: z.number().int().nonnegative(), src: z.string().min(1).max(MAX_SRC_CHARS) }).strict(),
]);
export type JobTarget = z.infer<typeof JobTargetSchema>;

/**
 * Starting a job (contract 2): only what the user chose. The worker reads the settings (language,
 * length, budget, provider, API base, concurrency, AI mark) and asks the page for each image's
 * details itself.
 */
export const StartJobSchema = z
  .object({
    tabId: z.number().int().nonnegative(),
    modelId: z.string().min(1).max(200),
    target: JobTargetSchema,
    /** Describe again even when a cached caption exists (costs money). */
    regenerate: z.boolean().optional(),
  })
  .strict();
export type StartJob = z.infer<typeof StartJobSchema>;

/**
 * What the worker needs to describe one image, read from the page when the job starts (and again
 * after a worker restart): the finding's verdict fields plus its selector, context and size.
 * Held in memory only; the job record keeps just what identifies the image (see JobItemSchema).
 */
export const JobItemInputSchema = FindingSchema.pick({
  id: true, frameId: true, selector: true, kind: true, status: true, alt: true, src: true, width: true, height: true, context: true,
}).extend({
  /** The address of the document showing the image when it is not the page itself (a frame): its origin scopes the caption cache. */
  frameUrl: z.string().optional(),
  /**
   * The finding id (lib/page/finding-id.ts) naming the document the image was found in, when the
   * item's own id is not one (the context menu's image): page reads (inline svg, blob:) go there.
   */
  finding: z.string().optional(),
});
export type JobItemInput = z.infer<typeof JobItemInputSchema>;

export const JobItemSchema = z.object({
  id: z.string(),
  frameId: z.number().int().nonnegative().default(0),
  selector: z.string(),
  /** The image's address; null for inline svg and for data: images, which are kept as `srcHash`. */
  src: z.string().nullable(),
  /**
   * For a data: image, the SHA-256 (hex) of its URL instead of the URL itself, which can be megabytes:
   * after a worker restart the image is read from the page again and must hash the same.
   */
  srcHash: z.string().optional(),
  /** The alt the image had when the job started (null: none). */
  oldAlt: z.string().nullable().default(null),
  state: z.enum(['queued', 'running', 'done', 'failed', 'skipped', 'cancelled']),
  alt: z.string().optional(),
  /** Charts and diagrams may get a longer description besides the short alt. */
  longDescription: z.string().optional(),
  error: z.string().optional(),
  costUsd: z.number().nonnegative().default(0),
  /** How long the model took to answer this item (ms); absent for a cached description. */
  latencyMs: z.number().nonnegative().optional(),
  cached: z.boolean().default(false),
  attempts: z.number().int().nonnegative().default(0),
  /** The model judged the image decorative: apply alt="" rather than a description. */
  decorative: z.boolean().optional(),
  /** Stable reason code when skipped or failed (not-found, page-changed, too-large, undecodable, flagged, ...). */
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
