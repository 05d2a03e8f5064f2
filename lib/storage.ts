import { storage } from 'wxt/utils/storage';
import type { z } from 'zod';
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
