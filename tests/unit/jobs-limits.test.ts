import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BudgetGate, HostGate, retryDelay, type Clock } from '@/lib/jobs/limits';
import { StoredCaptionCache, cacheKey, MAX_CACHE_ENTRIES } from '@/lib/jobs/cache';
import { captionCacheItem } from '@/lib/storage';

beforeEach(() => fakeBrowser.reset());

/** A clock that only moves when something sleeps, so timing is exact and instant. */
function manualClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; } };
}

describe('retry timing', () => {
  it('honours Retry-After exactly (plus a little jitter) and backs off exponentially otherwise', () => {
    expect(retryDelay(1, 7000, () => 0)).toBe(7000);
    expect(retryDelay(1, 7000, () => 0.99)).toBeLessThan(7250);
    expect([1, 2, 3].map((a) => retryDelay(a, null, () => 1))).toEqual([1000, 2000, 4000]);
    expect(retryDelay(3, null, () => 0)).toBe(2000);
    expect(retryDelay(20, null, () => 1)).toBe(30_000);
  });
});

describe('per-host gate', () => {
  it('spaces starts to the host rate and makes every call wait out a block', async () => {
    const clock = manualClock();
    const gate = new HostGate(clock, 10);
    await gate.wait('api');
    await gate.wait('api');
    await gate.wait('other');
    expect(clock.slept).toEqual([100]);
    gate.block('api', clock.now() + 5000);
    await gate.wait('api');
    expect(clock.now()).toBe(5100);
  });
});

describe('budget gate', () => {
  it('runs one call until the first charge is known, then as many as still fit', async () => {
    let spent = 0;
    const gate = new BudgetGate(0.001, () => spent, null);
    expect(await gate.acquire()).toBe(true);
    let second = false;
    const waiting = gate.acquire().then((ok) => (second = ok));
    await Promise.resolve();
    expect(second).toBe(false);
    spent += 0.0004;
    gate.release(0.0004);
    await waiting;
    expect(second).toBe(true);
    // 0.0004 spent + 1 in flight × 0.0004: another would reach 0.0012 > 0.001.
    let third: boolean | null = null;
    const t = gate.acquire().then((ok) => (third = ok));
    spent += 0.0004;
    gate.release(0.0004);
    await t;
    expect(third).toBe(false);
  });

  it('uses a prior estimate for parallel calls, but never lets an overestimate block the job', async () => {
    let spent = 0;
    const cheap = new BudgetGate(1, () => spent, 0.1);
    for (let i = 0; i < 4; i++) expect(await cheap.acquire()).toBe(true);
    // A prior above the whole budget: one call still runs to measure the real cost.
    const dear = new BudgetGate(0.0001, () => spent, 0.0003);
    expect(await dear.acquire()).toBe(true);
    spent = 0.00002;
    dear.release(0.00002);
    // Measured 0.00002: 0.00002 + 4 × 0.00002 = 0.0001 fits exactly.
    for (let i = 0; i < 4; i++) expect(await dear.acquire()).toBe(true);
  });
});

describe('stored caption cache', () => {
  it('keeps entries across instances and coalesces concurrent writes', async () => {
    const cache = new StoredCaptionCache(captionCacheItem);
    const key = (i: number) => cacheKey({ imageHash: `h${i}`, modelId: 'm', language: 'EN', purpose: 'content', length: 'short', scope: 'https://a.example', context: '{}' });
    await Promise.all(Array.from({ length: 20 }, async (_, i) => cache.set(await key(i), { alt: `alt ${i}`, decorative: false, modelId: 'm', costUsd: 0.001, at: i })));
    const again = new StoredCaptionCache(captionCacheItem);
    expect((await again.get(await key(7)))?.alt).toBe('alt 7');
    expect(Object.keys(await captionCacheItem.getValue())).toHaveLength(20);
  });

  it('drops the oldest entries past the cap', async () => {
    const data = Object.fromEntries(Array.from({ length: MAX_CACHE_ENTRIES }, (_, i) => [`k${i}`, { alt: 'a', decorative: false, modelId: 'm', costUsd: 0, at: i + 1 }]));
    await captionCacheItem.setValue(data);
    const cache = new StoredCaptionCache(captionCacheItem);
    await cache.set('new', { alt: 'b', decorative: false, modelId: 'm', costUsd: 0, at: 10 ** 9 });
    const stored = await captionCacheItem.getValue();
    expect(Object.keys(stored)).toHaveLength(MAX_CACHE_ENTRIES);
    expect(stored.k0).toBeUndefined();
    expect(stored.new.alt).toBe('b');
  });

  it('starts empty from a corrupt cache instead of failing', async () => {
    await fakeBrowser.storage.local.set({ captionCache: { x: { alt: 5 } } });
    expect(await new StoredCaptionCache(captionCacheItem).get('x')).toBeUndefined();
  });
});
