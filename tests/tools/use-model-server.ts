import type { Worker } from 'playwright-core';

/**
 * Points the extension at a model server (the fake OpenRouter in tests and in `npm start`) with
 * a key, the way a user would in the options page, and empties the caption cache so a scenario
 * pays for its own captions.
 */
export async function useModelServer(worker: Worker, apiBase: string, extra: Record<string, unknown> = {}): Promise<void> {
  await worker.evaluate(
    async ({ apiBase, extra }) => {
      await chrome.storage.local.set({
        settings: { provider: 'openrouter', apiBase, language: '', length: 'short', markAiGenerated: false, budgetUsd: 1, concurrency: 4, modelId: null, ...extra },
        apiKey: 'sk-or-v1-test',
      });
      await chrome.storage.local.remove('captionCache');
    },
    { apiBase, extra },
  );
}
