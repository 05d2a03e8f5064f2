import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setApiKey } from '../support/api-key';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import type { Ranking } from '../../lib/ranking/schema';

let browser: ExtensionBrowser;
let fake: FakeOpenRouter;
let page: Page;

/** Sends a protocol message the way the popup does (webext-core's envelope), from an extension page. */
async function send<T = Ranking>(type: string, data: unknown = {}): Promise<T> {
  return page.evaluate(
    async ([type, data]) => {
      const reply = await chrome.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() });
      if (reply?.err) throw new Error(reply.err.message);
      return reply.res;
    },
    [type, data] as const,
  );
}

async function setApiBase(apiBase: string) {
  await browser.worker.evaluate(async (apiBase) => {
    const { settings } = await chrome.storage.local.get('settings');
    await chrome.storage.local.set({ settings: { ...(settings ?? {}), apiBase } });
  }, apiBase);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

beforeAll(async () => {
  fake = await startFakeOpenRouter();
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
});
afterAll(async () => {
  await browser?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

describe('catalog and ranking in the real extension', () => {
  it('serves getRanking from the OpenRouter set as API base, without sending the key for the list', async () => {
    await setApiBase(fake.apiBase);
    const ranking = await send('refreshCatalog');
    expect(ranking.catalog).toMatchObject({ source: 'live', error: null, ranked: true, skipped: 5, modelCount: 409 });
    expect(Date.now() - ranking.catalog.fetchedAt!).toBeLessThan(60_000);
    for (const tier of ['free', 'budget', 'balanced', 'best'] as const) expect(ranking.tiers[tier].pick, tier).not.toBeNull();
    const list = fake.requests.filter((r) => r.path === '/api/v1/models');
    expect(list.length).toBeGreaterThanOrEqual(1);
    expect(list.every((r) => r.headers.authorization === undefined)).toBe(true);

    const again = await send('getRanking', { task: 'captioning' });
    expect(again.catalog.source).toBe('live');
    expect(again.tiers).toEqual(ranking.tiers);
    const best = again.models.find((m) => m.id === again.tiers.best.pick)!;
    expect(best.reasons.join(', ')).toMatch(/per 1,000 images/);

    const generation = await send('getRanking', { task: 'generation' });
    expect(generation.models.map((m) => m.id)).toContain('openai/gpt-5-image');
    const free = await send('getRanking', { task: 'captioning', tier: 'free' });
    expect(free.models.length).toBeGreaterThan(0);
    expect(free.models.every((m) => m.free)).toBe(true);
  });

  it('looks up endpoint latency with the key, only at the API base', async () => {
    await setApiKey(browser.worker, 'sk-or-v1-test');
    await send('refreshCatalog');
    await expect.poll(() => fake.requests.filter((r) => r.path.endsWith('/endpoints')).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const lookups = fake.requests.filter((r) => r.path.endsWith('/endpoints'));
    expect(lookups.every((r) => r.headers.authorization === 'Bearer sk-or-v1-test')).toBe(true);
    await expect
      .poll(async () => (await send('getRanking', { task: 'captioning' })).models.filter((m) => m.reasons.some((r) => r.includes('OpenRouter latency'))).length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
    await setApiKey(browser.worker, null);
    await browser.worker.evaluate(() => chrome.storage.local.remove('endpointLatency'));
  });

  it('recommends from the bundled snapshot when the API cannot be reached, and says so', async () => {
    await browser.worker.evaluate(() => chrome.storage.local.remove(['catalogCache', 'catalogState']));
    await setApiBase(`http://127.0.0.1:${await closedPort()}/api/v1`);
    const ranking = await send('getRanking', { task: 'captioning' });
    expect(ranking.catalog.source).toBe('snapshot');
    expect(new Date(ranking.catalog.fetchedAt!).toISOString().slice(0, 10)).toBe('2026-08-19');
    expect(ranking.catalog.error).toMatch(/Could not load the model list from 127\.0\.0\.1:\d+: it could not be reached\./);
    for (const tier of ['free', 'budget', 'balanced', 'best'] as const) expect(ranking.tiers[tier].pick, tier).not.toBeNull();
  });

  it('keeps the last good catalog when the server starts failing', async () => {
    await setApiBase(fake.apiBase);
    const good = await send('refreshCatalog');
    expect(good.catalog.source).toBe('live');
    await fake.close();
    const after = await send('refreshCatalog');
    expect(after.catalog.error).toMatch(/could not be reached/);
    expect(after.catalog.fetchedAt).toBe(good.catalog.fetchedAt);
    expect(after.tiers).toEqual(good.tiers);
    fake = await startFakeOpenRouter();
  });
});
