import { z } from 'zod';

/** Contract between the ranking (background, CLI) and its readers (popup, models page). */
export const TaskSchema = z.enum(['captioning', 'generation']);
export type Task = z.infer<typeof TaskSchema>;

export const TierSchema = z.enum(['free', 'budget', 'balanced', 'best']);
export type Tier = z.infer<typeof TierSchema>;
export const TIER_LABELS: Record<Tier, string> = {
  free: 'Free',
  budget: 'Budget',
  balanced: 'Balanced',
  best: 'Best quality',
};

/**
 * Where a quality figure comes from: a benchmark of image understanding (MMMU; Design Arena's
 * image elo for generation), a general benchmark only (the Artificial Analysis intelligence index,
 * mostly text reasoning and coding), the user's own reviews or comparisons once they outweigh the
 * benchmark (lib/evidence/quality.ts), or nothing yet.
 */
export const QualitySourceSchema = z.enum(['vision benchmark', 'general benchmark', 'your reviews', 'your comparisons', 'unrated']);
export type QualitySource = z.infer<typeof QualitySourceSchema>;

/** Where a latency figure comes from: the user's own runs, OpenRouter's endpoint stats, or an estimate from the request's size. */
export const LatencySourceSchema = z.enum(['your runs', 'OpenRouter', 'estimate']);
export type LatencySource = z.infer<typeof LatencySourceSchema>;

/** What the user's own judgements hold for a model (captioning only): counts, never the texts. */
export const ModelEvidenceSchema = z.object({
  /** Reviewed suggestions: accepted unedited + edited + rejected + regenerated. */
  reviews: z.number().int().nonnegative(),
  acceptedUnedited: z.number().int().nonnegative(),
  edited: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  regenerated: z.number().int().nonnegative(),
  /** Images compared with this model among the choices. */
  comparisons: z.number().int().nonnegative(),
  won: z.number().int().nonnegative(),
  tied: z.number().int().nonnegative(),
  /** Share of the quality figure that comes from these judgements, 0–1. */
  weight: z.number().min(0).max(1),
});
export type ModelEvidence = z.infer<typeof ModelEvidenceSchema>;

export const RankedModelSchema = z.object({
  rank: z.number().int().positive(),
  id: z.string(),
  name: z.string(),
  /** The tier whose pick or runner-up this model is, if any. */
  tier: TierSchema.nullable(),
  /** 0–100, null when no benchmark rates it and the user's judgements are too few ("unrated"). */
  quality: z.number().min(0).max(100).nullable(),
  /** Where most of `quality` comes from. Always set by rankModels. */
  qualitySource: QualitySourceSchema.optional(),
  /** The user's reviews and comparisons of this model; null when there are none. */
  evidence: ModelEvidenceSchema.nullable().optional(),
  usdPer1kImages: z.number().nonnegative().nullable(),
  costSource: z.enum(['estimate', 'measured', 'unknown']),
  /** Higher is faster, 0–100; null when nothing is known. */
  speed: z.number().min(0).max(100).nullable(),
  free: z.boolean(),
  reasons: z.array(z.string()),
  /** Composite 0–100 the default order uses (quality, price per image, speed); null when unranked. */
  score: z.number().nullable().optional(),
  /** Seconds for one request: the user's measured median, else OpenRouter's p50, else an estimate. */
  latencySeconds: z.number().nonnegative().nullable().optional(),
  /** Where `latencySeconds` comes from; null when nothing is known (a custom server's list). */
  latencySource: LatencySourceSchema.nullable().optional(),
  reasoning: z.enum(['none', 'optional', 'mandatory', 'unknown']).optional(),
  /** False for retired models, aliases, batch/router entries and second copies of a model. */
  recommended: z.boolean().optional(),
});
export type RankedModel = z.infer<typeof RankedModelSchema>;

export const TierPickSchema = z.object({ pick: z.string().nullable(), runnersUp: z.array(z.string()) });

export const CatalogStatusSchema = z.object({
  /** live: fetched this session; cache: stored earlier; snapshot: bundled offline copy; custom: a non-OpenRouter server's bare list. */
  source: z.enum(['live', 'cache', 'snapshot', 'custom']),
  fetchedAt: z.number().nullable(),
  /** The last refresh's error in a plain sentence, kept while the last good catalog is served. */
  error: z.string().nullable(),
  /** False for a server that lists ids only: the list is shown unranked. */
  ranked: z.boolean(),
  skipped: z.number().int().nonnegative(),
  /** True while a refresh runs behind the served ranking. */
  refreshing: z.boolean().optional(),
  /** Models in the catalog the ranking was built from. */
  modelCount: z.number().int().nonnegative().optional(),
});

export const RankingSchema = z.object({
  task: TaskSchema,
  models: z.array(RankedModelSchema),
  tiers: z.object({ free: TierPickSchema, budget: TierPickSchema, balanced: TierPickSchema, best: TierPickSchema }),
  catalog: CatalogStatusSchema,
});
export type Ranking = z.infer<typeof RankingSchema>;

export const GetRankingInputSchema = z.object({ task: TaskSchema.default('captioning'), tier: TierSchema.optional() }).strict();
