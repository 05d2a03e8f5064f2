import { z } from 'zod';

export const DEFAULT_API_BASE = 'https://openrouter.ai/api/v1';

/** Plain http is allowed only for a model server on this machine (Ollama, LM Studio, vLLM). */
export function checkApiBase(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full address such as https://openrouter.ai/api/v1.';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return null;
  return 'Use https, or http only for localhost, 127.0.0.1 or [::1].';
}

export const ApiBaseSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/\/+$/, ''))
  .superRefine((s, ctx) => {
    const problem = checkApiBase(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Sites with a model of their own; past this the popup says to forget one first. */
export const MAX_SITE_MODELS = 500;

export const SettingsSchema = z.object({
  provider: z.enum(['openrouter', 'custom', 'on-device']).default('openrouter'),
  apiBase: ApiBaseSchema.default(DEFAULT_API_BASE),
  /** Empty means: use the page's language. */
  language: z.string().trim().max(35).default(''),
  length: z.enum(['short', 'detailed']).default('short'),
  markAiGenerated: z.boolean().default(false),
  budgetUsd: z.number().positive().max(1000).default(1),
  concurrency: z.number().int().min(1).max(16).default(4),
  modelId: z.string().nullable().default(null),
  /** Per site (origin, e.g. "https://example.com") the model remembered for it, over `modelId` there (lib/settings/site-model.ts). */
  siteModels: z
    .record(z.string().min(1).max(300), z.string().min(1).max(200))
    .refine((sites) => Object.keys(sites).length <= MAX_SITE_MODELS, { message: `at most ${MAX_SITE_MODELS} sites` })
    .default({}),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});
