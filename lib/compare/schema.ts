import { z } from 'zod';

/**
 * One comparison: the same images described by several models, and the user's pick for each
 * image. Kept in storage.session (lib/storage.ts `comparisonsItem`) beside the jobs it follows, so
 * closing the comparison tab and opening it again mid-run loses nothing. The descriptions, costs
 * and progress are the jobs' own (one job per model); this record only says which jobs belong
 * together and what the user chose.
 */

/** Comparisons kept per browser session (the oldest goes first). */
export const MAX_COMPARISONS = 10;
const MODEL_ID = z.string().min(1).max(200);

export const ComparisonImageSchema = z.object({
  /** The finding id (opaque, contract 1). */
  id: z.string().min(1).max(200),
  /** What the thumbnail shows; null for inline svg. data: URLs are left out (they can be megabytes). */
  src: z.string().max(4096).nullable(),
});
export type ComparisonImage = z.infer<typeof ComparisonImageSchema>;

export const ComparisonModelSchema = z.object({ id: MODEL_ID, name: z.string().max(200) });
export type ComparisonModel = z.infer<typeof ComparisonModelSchema>;

export const ComparisonSchema = z.object({
  id: z.string().min(1).max(100),
  tabId: z.number().int().nonnegative(),
  pageUrl: z.string().max(8192),
  createdAt: z.number(),
  images: z.array(ComparisonImageSchema).min(1).max(20),
  models: z.array(ComparisonModelSchema).min(2).max(12),
  /** Model id → the id of the job describing the images with it (absent when it could not start). */
  jobs: z.record(MODEL_ID, z.string()),
  /** Model id → why its job did not start. */
  failed: z.record(MODEL_ID, z.string().max(1000)).default({}),
  /** Image id → the model chosen as best, or 'all' for "All equally good". */
  choices: z.record(z.string(), z.string().max(200)).default({}),
  /** When the choices were last saved as votes; null while unsaved. */
  savedAt: z.number().nullable().default(null),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

export const ComparisonsSchema = z.array(ComparisonSchema).max(MAX_COMPARISONS);
