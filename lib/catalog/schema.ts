import { z } from 'zod';

/**
 * The part of OpenRouter's `GET /models` entry the ranking needs. Parsing is tolerant of drift:
 * unknown fields pass through unread, price strings become numbers, a missing price key is 0.
 * One bad entry never fails the catalog: `parseCatalog` skips it and counts it.
 */

/** A decimal USD string (or number) → number. Missing → 0. Anything else fails the entry. */
const price = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return 0;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `price "${v}" is not a number` });
      return z.NEVER;
    }
    return n;
  });

const PriceTableSchema = z.object({
  prompt: price,
  completion: price,
  image: price,
  request: price,
  internal_reasoning: price,
  image_output: price,
  image_token: price,
});

const OverrideSchema = PriceTableSchema.partial().extend({
  min_prompt_tokens: z.number().optional(),
});

export const PricingSchema = PriceTableSchema.extend({
  overrides: z.array(z.unknown()).optional().transform((list) =>
    (list ?? []).flatMap((o) => {
      const parsed = OverrideSchema.safeParse(o);
      return parsed.success ? [parsed.data] : [];
    }),
  ),
});
export type Pricing = z.infer<typeof PricingSchema>;

const ReasoningSchema = z
  .object({
    mandatory: z.boolean().optional(),
    default_enabled: z.boolean().optional(),
    supported_efforts: z.array(z.string()).optional(),
    default_effort: z.string().optional(),
  })
  .nullish()
  .catch(null);

const DesignArenaSchema = z.object({ category: z.string(), elo: z.number() });

const BenchmarksSchema = z
  .object({
    artificial_analysis: z
      .object({ intelligence_index: z.number().nullish() })
      .nullish()
      .catch(null),
    design_arena: z
      .array(z.unknown())
      .nullish()
      .transform((list) =>
        (list ?? []).flatMap((e) => {
          const parsed = DesignArenaSchema.safeParse(e);
          return parsed.success ? [parsed.data] : [];
        }),
      ),
  })
  .nullish()
  .catch(null);

const modalities = z.array(z.string()).catch([]);

export const CatalogModelSchema = z.object({
  id: z.string().min(1),
  name: z.string().catch(''),
  created: z.number().nullish().catch(null),
  context_length: z.number().nullish().catch(null),
  architecture: z
    .object({
      input_modalities: modalities.default(['text']),
      output_modalities: modalities.default(['text']),
      tokenizer: z.string().nullish().catch(null),
    })
    .default({ input_modalities: ['text'], output_modalities: ['text'], tokenizer: null })
    .catch({ input_modalities: ['text'], output_modalities: ['text'], tokenizer: null }),
  pricing: PricingSchema,
  supported_parameters: z.array(z.string()).nullish().catch(null),
  reasoning: ReasoningSchema,
  benchmarks: BenchmarksSchema,
  alias_target: z
    .object({ slug: z.string(), name: z.string().optional() })
    .nullish()
    .catch(null),
  expiration_date: z.string().nullish().catch(null),
});
export type CatalogModelInput = z.input<typeof CatalogModelSchema>;

/**
 * The reduced model the cache, the snapshot and the ranking share: what `CatalogModelSchema`
 * keeps, flattened so a stored copy is small and re-validates cheaply.
 */
export const ModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  created: z.number().nullable(),
  contextLength: z.number().nullable(),
  input: z.array(z.string()),
  output: z.array(z.string()),
  tokenizer: z.string().nullable(),
  pricing: z.object({
    prompt: z.number(),
    completion: z.number(),
    image: z.number(),
    request: z.number(),
    internalReasoning: z.number(),
    imageOutput: z.number(),
    imageToken: z.number(),
    overrides: z.array(z.object({ minPromptTokens: z.number().nullable(), prompt: z.number().nullable(), completion: z.number().nullable() })),
  }),
  parameters: z.array(z.string()),
  reasoning: z
    .object({ mandatory: z.boolean(), efforts: z.array(z.string()), defaultEffort: z.string().nullable() })
    .nullable(),
  /** Artificial Analysis intelligence index, as published. */
  aaIndex: z.number().nullable(),
  /** Design Arena elo per category (image, graphicdesign, logo, ...). */
  arena: z.record(z.string(), z.number()),
  aliasOf: z.string().nullable(),
  expires: z.string().nullable(),
});
export type Model = z.infer<typeof ModelSchema>;

export const CatalogSchema = z.object({
  /** openrouter: full entries; custom: an OpenAI-style server that lists ids only. */
  kind: z.enum(['openrouter', 'custom']),
  models: z.array(ModelSchema),
  /** Entries dropped as malformed or as sentinels (openrouter/auto's -1 prices). */
  skipped: z.number().int().nonnegative(),
});
export type Catalog = z.infer<typeof CatalogSchema>;
