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

export const RankedModelSchema = z.object({
  rank: z.number().int().positive(),
  id: z.string(),
  name: z.string(),
  /** The tier whose pick or runner-up this model is, if any. */
  tier: TierSchema.nullable(),
  /** 0–100, null when no benchmark rates it ("unrated"). */
  quality: z.number().min(0).max(100).nullable(),
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
