import { existsSync, readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CATALOG_ALARM, registerCatalog } from '@/lib/background/catalog';
import { createCatalogService, LATENCY_LOOKUPS, REFRESH_AFTER_MS, RETRY_AFTER_MS } from '@/lib/background/catalog-service';
import { offlineSnapshot } from '@/lib/catalog/snapshot';
import { writeApiKey, catalogCacheItem, endpointLatencyItem, recordModelRun, settingsItem } from '@/lib/storage';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';

const SHARED = '../shared/data/openrouter-models-2026-08-19.json';
const fullText = existsSync(SHARED) ? readFileSync(SHARED, 'utf8') : JSON.stringify({ data: offlineSnapshotAsApi() });
const full = JSON.parse(fullText) as { data: Array<Record<string, any>> };
const BASE = DEFAULT_SETTINGS.apiBase;
const T0 = Date.parse('2026-09-01T08:00:00Z');

/** Only used when ../shared is absent: the snapshot in the API's shape is enough for these tests. */
function offlineSnapshotAsApi() {
  return offlineSnapshot().catalog.models.map((m) => ({
    id: m.id, name: m.name, architecture: { input_modalities: m.input, output_modalities: m.output, tokenizer: m.tokenizer },
    pricing: { prompt: String(m.pricing.prompt), completion: String(m.pricing.completion) },
  }));
}

/** A scripted network: answers by URL, records every request. */
function network() {
  const calls: Array<{ url: string; headers: Record<string, string> }> = [];
  let respond: (url: string) => Response | Promise<Response> = () => new Response(fullText);
  const fetch = async (url: string, init?: { headers?: Record<string, string> }) => {
    calls.push({ url, headers: init?.headers ?? {} });
    return respond(url);
  };
  return {
    fetch,
    calls,
    catalogCalls: () => calls.filter((c) => c.url.includes('/models?')),
    answer(fn: (url: string) => Response | Promise<Response>) {
      respond = fn;
    },
  };
}

let clock = T0;
const now = () => clock;
const noSleep = async () => {};

beforeEach(() => {
  fakeBrowser.reset();
  clock = T0;
});

describe('catalog service: stale-while-revalidate', () => {
  it('on a fresh install with no network, recommends from the bundled snapshot and records the error', async () => {
    const net = network();
    net.answer(() => Promise.reject(new TypeError('Failed to fetch')));
    const service = createCatalogService({ fetch: net.fetch, now, sleep: noSleep });
    const first = await service.getRanking({ task: 'captioning' });
    expect(first.catalog).toMatchObject({ source: 'snapshot', fetchedAt: offlineSnapshot().fetchedAt, ranked: true, refreshing: true });
    for (const tier of ['free', 'budget', 'balanced', 'best'] as const) expect(first.tiers[tier].pick, tier).not.toBeNull();
    await service.idle();
    const second = await service.getRanking({ task: 'captioning' });
    expect(second.catalog.source).toBe('snapshot');
    expect(second.catalog.error).toBe('Could not load the model list from openrouter.ai: it could not be reached.');
    // No retry on every popup open after a failure…
    expect(second.catalog.refreshing).toBe(false);
    expect(net.catalogCalls()).toHaveLength(1);
    // …but one after a few minutes.
    clock += RETRY_AFTER_MS + 1;
    await service.getRanking({ task: 'captioning' });
    await service.idle();
    expect(net.catalogCalls()).toHaveLength(2);
  });

  it('serves the stored catalog at once and refreshes it behind the answer when stale', async () => {
    const net = network();
    const service = createCatalogService({ fetch: net.fetch, now, sleep: noSleep });
    await service.refresh();
    expect(net.catalogCalls().map((c) => c.url)).toEqual([`${BASE}/models?output_modalities=all`]);

    // A new worker (the MV3 worker slept) reads the stored copy: no fetch while it is fresh.
    clock += 60_000;
    const fresh = createCatalogService({ fetch: net.fetch, now, sleep: noSleep });
    const cached = await fresh.getRanking({ task: 'captioning' });
    expect(cached.catalog).toMatchObject({ source: 'cache', fetchedAt: T0, error: null, refreshing: false });
    expect(net.catalogCalls()).toHaveLength(1);

    // Stale: answered from the old copy while the refresh runs behind it, with new prices.
    clock = T0 + REFRESH_AFTER_MS + 1;
    const cheaper = structuredClone(full);
    const maverick = cheaper.data.find((m) => m.id === 'meta-llama/llama-4-maverick')!;
    maverick.pricing = { prompt: '0.0000001', completion: '0.0000004' };
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    net.answer(async () => {
      await gate;
      return new Response(JSON.stringify(cheaper));
    });
    const stale = await fresh.getRanking({ task: 'captioning' });
    expect(stale.catalog).toMatchObject({ source: 'cache', fetchedAt: T0, refreshing: true });
    const oldPrice = stale.models.find((m) => m.id === 'meta-llama/llama-4-maverick')!.usdPer1kImages!;
    release();
    await fresh.idle();
    const renewed = await fresh.getRanking({ task: 'captioning' });
    expect(renewed.catalog).toMatchObject({ source: 'live', fetchedAt: T0 + REFRESH_AFTER_MS + 1, error: null });
    expect(renewed.models.find((m) => m.id === 'meta-llama/llama-4-maverick')!.usdPer1kImages!).toBeCloseTo(oldPrice / 2, 10);
  });

  it.each([
    ['an empty list', () => new Response('{"data":[]}'), /empty/],
    ['wrong types', () => new Response('{"data":{"models":true}}'), /no "data" array/],
    ['10 MB of junk', () => new Response('#'.repeat(10 * 1024 * 1024)), /not valid JSON/],
    ['a server error', () => new Response('{"error":{"code":502}}', { status: 502 }), /answered 502/],
  ])('keeps the last good ranking when a refresh returns %s, and says why', async (_label, bad, message) => {
    const net = network();
    const service = createCatalogService({ fetch: net.fetch, now, sleep: noSleep });
    const good = await service.refreshCatalog();
    expect(good.catalog).toMatchObject({ source: 'live', error: null });
    net.answer(bad);
    clock += 3_600_000;
    const after = await service.refreshCatalog();
    expect(after.catalog.error).toMatch(message);
    expect(after.catalog.fetchedAt).toBe(T0);
    expect(after.models.map((m) => m.id)).toEqual(good.models.map((m) => m.id));
    expect(after.tiers).toEqual(good.tiers);
    expect((await catalogCacheItem.getValue())!.fetchedAt).toBe(T0);
  });

  it('fetches before answering when the API base changed, and lists a bare server unranked', async () => {
    const net = network();
    const service = createCatalogService({ fetch: net.fetch, now, sleep: noSleep });
    await service.refresh();
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, apiBase: 'http://localhost:11434/v1' });
    net.answer((url) =>
      url.startsWith('http://localhost:11434/v1/')
        ? new Response(JSON.stringify({ object: 'list', data: [{ id: 'llava:13b', object: 'model' }, { id: 'gemma3:4b', object: 'model' }] }))
        : new Response('', { status: 500 }),
    );
    const ranking = await service.getRanking({ task: 'captioning' });
    expect(net.calls.at(-1)!.url).toBe('http://localhost:11434/v1/models?output_modalities=all');
    expect(ranking.catalog).toMatchObject({ source: 'custom', ranked: false, error: null });
    expect(ranking.models.map((m) => m.id)).toEqual(['llava:13b', 'gemma3:4b']);
  });

  it('does not serve one server\'s models for another that cannot be reached', async () => {
    const net = network();
    const service = createCatalogService({ fetch: net.fetch, now, sleep: noSleep });
    await service.refresh();
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, apiBase: 'https://proxy.example/api/v1' });
    net.answer(() => Promise.reject(new TypeError('Failed to fetch')));
    const ranking = await service.getRanking({ task: 'captioning' });
    expect(ranking.catalog).toMatchObject({ source: 'snapshot', error: 'Could not load the model list from proxy.example: it could not be reached.' });
    // Back on the first server, its stored catalog is good again.
    await settingsItem.setValue({ ...DEFAULT_SETTINGS });
    net.answer(() => new Response(fullText));
    expect((await service.getRanking({ task: 'captioning' })).catalog).toMatchObject({ source: 'live', error: null });
  });

  it('ranks with what the user\'s runs measured', async () => {
    const service = createCatalogService({ fetch: network().fetch, now, sleep: noSleep });
    await service.refresh();
    await recordModelRun('openai/gpt-5.6-luna', 0.0009, 2000);
    await recordModelRun('openai/gpt-5.6-luna', 0.0011, 4000);
    const luna = (await service.getRanking({ task: 'captioning' })).models.find((m) => m.id === 'openai/gpt-5.6-luna')!;
    expect(luna.costSource).toBe('measured');
    expect(luna.usdPer1kImages).toBeCloseTo(1, 10);
    expect(luna.latencySeconds).toBe(3);
  });

  it('answers for one tier when asked', async () => {
    const service = createCatalogService({ fetch: network().fetch, now, sleep: noSleep });
    const all = await service.refreshCatalog();
    const budget = await service.getRanking({ task: 'captioning', tier: 'budget' });
    expect(budget.models.map((m) => m.id)).toEqual([all.tiers.budget.pick, ...all.tiers.budget.runnersUp]);
  });
});

describe('endpoint latency lookups', () => {
  const endpoints = (p50: number | null) =>
    new Response(JSON.stringify({ data: { id: 'x', endpoints: [{ name: 'A', latency_last_30m: p50 == null ? null : { p50 } }, { name: 'B', latency_last_30m: p50 == null ? null : { p50: p50 * 2 } }] } }));

  it('without a key: none', async () => {
    const net = network();
    const service = createCatalogService({ fetch: net.fetch, now, sleep: noSleep });
    await service.refresh();
    expect(net.calls.filter((c) => c.url.includes('/endpoints'))).toHaveLength(0);
  });

  it('with a key: the top few candidates, key sent only to the API base, fastest provider kept', async () => {
    const net = network();
    const sleeps: number[] = [];
    net.answer((url) => (url.endsWith('/endpoints') ? endpoints(0.8) : new Response(fullText)));
    await writeApiKey('sk-or-v1-secret');
    const service = createCatalogService({ fetch: net.fetch, now, sleep: async (ms) => void sleeps.push(ms) });
    await service.refresh();
    const lookups = net.calls.filter((c) => c.url.endsWith('/endpoints'));
    expect(lookups).toHaveLength(LATENCY_LOOKUPS);
    expect(sleeps).toHaveLength(LATENCY_LOOKUPS - 1);
    for (const c of net.calls) {
      expect(c.url.startsWith(`${BASE}/`)).toBe(true);
      expect(c.headers.authorization ?? null).toBe(c.url.endsWith('/endpoints') ? 'Bearer sk-or-v1-secret' : null);
    }
    const stored = await endpointLatencyItem.getValue();
    expect(Object.values(stored).map((l) => l.seconds)).toEqual(Array(LATENCY_LOOKUPS).fill(0.8));
    const ranked = await service.getRanking({ task: 'captioning' });
    const looked = ranked.models.find((m) => m.id === Object.keys(stored)[0])!;
    expect(looked.reasons.join()).toMatch(/OpenRouter latency/);

    // Fresh figures are not fetched again on the next refresh.
    await service.refresh();
    expect(net.calls.filter((c) => c.url.endsWith('/endpoints')).length).toBe(2 * LATENCY_LOOKUPS);
  });
});

describe('registerCatalog', () => {
  it('answers getRanking and refreshCatalog, schedules a ~12 h alarm and refreshes on install and on alarm', async () => {
    const net = network();
    const service = createCatalogService({ fetch: net.fetch, now, sleep: noSleep });
    registerCatalog(service);
    await new Promise((ok) => setTimeout(ok, 0));
    const alarm = await fakeBrowser.alarms.get(CATALOG_ALARM);
    expect(alarm?.periodInMinutes).toBe(720);

    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as never);
    await service.idle();
    expect(net.catalogCalls()).toHaveLength(1);

    await fakeBrowser.alarms.onAlarm.trigger({ name: 'someone-else', scheduledTime: 0 });
    await service.idle();
    expect(net.catalogCalls()).toHaveLength(1);
    await fakeBrowser.alarms.onAlarm.trigger({ name: CATALOG_ALARM, scheduledTime: 0 });
    await service.idle();
    expect(net.catalogCalls()).toHaveLength(2);
  });
});
