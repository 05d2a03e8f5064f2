import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from './settings/schema';

/**
 * Every storage item AltScout keeps, in one place. Items are versioned; a migration takes the
 * previous version's value and returns the next one. Values read back are checked with zod: a
 * corrupt value is reported and the fallback used, but the stored value is left untouched so
 * nothing a user saved is lost by a read.
 */

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** Kept apart from settings so no message that returns settings can carry it by accident. */
export const apiKeyItem = storage.defineItem<string>('local:apiKey', { fallback: '', version: 1 });

export interface ValidatedRead<T> {
  value: T;
  /** Set when the stored value failed validation and the fallback was used instead. */
  error?: string;
}

export async function readValidated<T>(
  item: { getValue(): Promise<unknown>; fallback: unknown; key: string },
  schema: z.ZodType<T>,
): Promise<ValidatedRead<T>> {
  const raw = await item.getValue();
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data };
  const fallback = schema.parse(item.fallback);
  const issue = parsed.error.issues[0];
  return {
    value: fallback,
    error: `Stored ${item.key} is invalid (${issue?.path.join('.') || 'value'}: ${issue?.message}); using defaults until it is saved again.`,
  };
}

export const readSettings = () => readValidated(settingsItem, SettingsSchema);

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
