import type { Worker } from 'playwright-core';
import { SettingsSchema, type Settings } from '../../lib/settings/schema';
import { setApiKey } from '../support/api-key';

/**
 * Points a running AltScout at a model server with a key, as a user would on the options page:
 * `npm start` points its demo at the local stand-in for OpenRouter, and the e2e suite at its fake
 * one. The settings are checked with AltScout's own schema before they are written, and the
 * caption cache is emptied so each scenario pays for its own captions.
 */
export async function useModelServer(worker: Worker, apiBase: string, extra: Partial<Settings> = {}): Promise<void> {
  await worker.evaluate(writeModelServer, modelServerSettings(apiBase, extra));
  // The key goes where the extension keeps it: its own IndexedDB (lib/settings/api-key.ts).
  await setApiKey(worker, TEST_KEY);
}

export const TEST_KEY = 'sk-or-v1-test';

/** The settings `useModelServer` writes, checked with AltScout's own schema. */
export function modelServerSettings(apiBase: string, extra: Partial<Settings> = {}): { settings: Settings } {
  return { settings: SettingsSchema.parse({ provider: 'openrouter', apiBase, ...extra }) };
}

/**
 * Writes them, inside the extension (the worker, or an extension page in the shared e2e driver,
 * tests/support/scenario.ts). Sent as source text: it closes over nothing.
 */
export async function writeModelServer({ settings }: { settings: Settings }): Promise<void> {
  // The storage key of `settingsItem` (lib/storage.ts); the API key is written apart (tests/support/api-key.ts).
  await chrome.storage.local.set({ settings });
  await chrome.storage.local.remove('captionCache');
}
