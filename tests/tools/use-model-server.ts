import type { Worker } from 'playwright-core';
import { SettingsSchema, type Settings } from '../../lib/settings/schema';

/**
 * Points a running AltScout at a model server with a key, as a user would on the options page:
 * `npm start` points its demo at the local stand-in for OpenRouter, and the e2e suite at its fake
 * one. The settings are checked with AltScout's own schema before they are written, and the
 * caption cache is emptied so each scenario pays for its own captions.
 */
export async function useModelServer(worker: Worker, apiBase: string, extra: Partial<Settings> = {}): Promise<void> {
  const settings = SettingsSchema.parse({ provider: 'openrouter', apiBase, ...extra });
  await worker.evaluate(
    async ({ settings }) => {
      // The storage keys of `settingsItem` and `apiKeyItem` (lib/storage.ts).
      await chrome.storage.local.set({ settings, apiKey: 'sk-or-v1-test' });
      await chrome.storage.local.remove('captionCache');
    },
    { settings },
  );
}
