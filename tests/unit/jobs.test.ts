// @vitest-environment node
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { colourName, solidPng, toHex } from '../support/image-colour';
import { nodeCodec } from '../support/node-codec';
import { describeImage } from '@/lib/caption/openai';
import { prepareImage, readImageSource } from '@/lib/image';
import { JobRunner, type RunnerDeps } from '@/lib/jobs/runner';
import { MemoryCaptionCache, sha256Hex } from '@/lib/jobs/cache';
import { realClock } from '@/lib/jobs/limits';
import type { JobRecord } from '@/lib/jobs/record';
import type { Job, JobItemInput, StartJob } from '@/lib/jobs/schema';

const MODEL = 'test/vision-mini';
let fake: FakeOpenRouter;
let images: Server;
let imageBase = '';

beforeAll(async () => {
  fake = await startFakeOpenRouter({ catalog: { data: [{ id: MODEL, name: 'Mini' }] } });
  // /c/<hex>.png is a solid swatch of that colour; /same/<n>.png are identical bytes at different URLs.
  images = createServer((req, res) => {
    const m = /^\/c\/([0-9a-f]{6})(?:-\d+)?\.png$/.exec(req.url ?? '');
    if (!m) return void res.writeHead(404).end();
    const n = parseInt(m[1], 16);
    res.writeHead(200, { 'content-type': 'image/png' }).end(solidPng(16, 12, [n >> 16, (n >> 8) & 255, n & 255]));
  });
  await new Promise<void>((ok) => images.listen(0, '127.0.0.1', ok));
  imageBase = `http://127.0.0.1:${(images.address() as { port: number }).port}`;
});
afterAll(async () => {
  await fake.close();
  await new Promise<void>((ok) => images.close(() => ok()));
});
beforeEach(() => fake.reset());

const hex = (rgb: [number, number, number]) => toHex(rgb).slice(1);
const captionFor = (rgb: [number, number, number]) => `A ${colourName(rgb)} swatch (${toHex(rgb)})`;
/** 50 visibly different colours. */
const palette = (n: number): Array<[number, number, number]> =>
  Array.from({ length: n }, (_, i) => [(i * 53) % 256, (i * 97 + 40) % 256, (i * 151 + 80) % 256]);

function item(id: string, src: string | null, extra: Partial<JobItemInput> = {}): JobItemInput {
  return { id, frameId: 0, selector: `#${id}`, kind: 'img', status: 'missing', alt: null, src, width: 16, height: 12, context: { pageTitle: 'Swatches', lang: 'en' }, ...extra };
}

class MemoryStore {
  saved: JobRecord[] = [];
  writes = 0;
  async load() { return structuredClone(this.saved); }
  async save(records: JobRecord[]) { this.writes++; this.saved = structuredClone(records); }
}

interface Harness { runner: JobRunner; store: MemoryStore; cache: MemoryCaptionCache; runs: Array<[string, number]> }

function harness(over: Partial<RunnerDeps> & { store?: MemoryStore; cache?: MemoryCaptionCache; apiKey?: string } = {}): Harness {
  const store = over.store ?? new MemoryStore();
  const cache = over.cache ?? new MemoryCaptionCache();
  const runs: Array<[string, number]> = [];
  let n = 0;
  const runner = new JobRunner({
    clock: realClock,
    random: () => 0.5,
    newId: () => `job-${++n}-${Math.random().toString(36).slice(2, 6)}`,
    store,
    cache,
    hash: sha256Hex,
    apiHost: () => new URL(fake.apiBase).host,
    loadImage: async (input, _record, signal) => prepareImage(await readImageSource(input.src, { fetch, signal, pageUrl: `${imageBase}/` }), nodeCodec),
    describe: ({ prompt, image, record, signal }) =>
      describeImage({ apiBase: fake.apiBase, apiKey: over.apiKey ?? 'sk-or-v1-test', modelId: record.job.modelId, prompt, imageDataUrl: image.dataUrl, signal, openRouter: true }),
    recordRun: async (model, cost) => void runs.push([model, cost]),
    ...over,
  });
  return { runner, store, cache, runs };
}

const SETTINGS = { provider: 'openrouter' as const, apiBase: 'http://127.0.0.1/api/v1', concurrency: 4, markAiGenerated: false, length: 'short' as const, regenerate: false, budgetUsd: 1, language: '' };
const start = (h: Harness, items: JobItemInput[], extra: Partial<StartJob> = {}, settings: Partial<typeof SETTINGS> = {}) =>
  h.runner.start({ tabId: 7, pageUrl: 'https://site.example/', modelId: MODEL, items, options: {}, ...extra }, { ...SETTINGS, ...settings });
const finish = async (h: Harness, job: Job) => h.runner.settled(job.id);

describe('caption jobs against the fake OpenRouter', () => {
  it('gives 50 concurrent images each the caption of its own content, never more than 4 calls at once', async () => {
    fake.setLatency(150);
    const colours = palette(50);
    const h = harness();
    const job = await finish(h, await start(h, colours.map((c, i) => item(`i${i}`, `${imageBase}/c/${hex(c)}.png`))));
    fake.setLatency(0);
    expect(job.state).toBe('done');
    expect(job.done).toBe(50);
    colours.forEach((c, i) => expect(job.items[i].alt, `item ${i}`).toBe(captionFor(c)));
    expect(fake.peakConcurrency()).toBe(4);
    expect(job.costUsd).toBeCloseTo(50 * 0.00002, 10);
    expect(h.runs).toHaveLength(50);
    // What the popup reads comes from storage, not memory.
    expect(h.store.saved[0].job.done).toBe(50);
  });

  it('describes the same image bytes once, whatever URL serves them', async () => {
    const h = harness();
    const red = hex([220, 30, 30]);
    const items = [item('a', `${imageBase}/c/${red}.png`), item('b', `${imageBase}/c/${red}.png`), item('c', `${imageBase}/c/${red}-2.png`), item('d', `${imageBase}/c/${hex([30, 60, 220])}.png`)];
    const job = await finish(h, await start(h, items));
    expect(fake.completions()).toHaveLength(2);
    expect(job.items.map((i) => i.alt)).toEqual([captionFor([220, 30, 30]), captionFor([220, 30, 30]), captionFor([220, 30, 30]), captionFor([30, 60, 220])]);
    expect(job.items.filter((i) => i.cached)).toHaveLength(2);
    expect(job.costUsd).toBeCloseTo(2 * 0.00002, 10);
  });

  it('serves a second run from the cache for free, and pays again only when asked to regenerate', async () => {
    const h = harness();
    const items = palette(3).map((c, i) => item(`i${i}`, `${imageBase}/c/${hex(c)}.png`));
    await finish(h, await start(h, items));
    const again = await finish(h, await start(h, items));
    expect(fake.completions()).toHaveLength(3);
    expect(again.items.every((i) => i.cached && i.costUsd === 0 && i.state === 'done')).toBe(true);
    expect(again.costUsd).toBe(0);
    // A different language is a different description.
    await finish(h, await start(h, items, { options: { language: 'fr' } }));
    expect(fake.completions()).toHaveLength(6);
    const fresh = await finish(h, await start(h, items, { options: { regenerate: true } }));
    expect(fake.completions()).toHaveLength(9);
    expect(fresh.items.every((i) => !i.cached)).toBe(true);
  });

  it('waits as long as Retry-After says on 429, tells the user, then finishes', async () => {
    const h = harness();
    fake.fail({ kind: 'rate-limit', retryAfterSeconds: 1 }, 1);
    const seen: Array<string | null> = [];
    const job = await start(h, [item('a', `${imageBase}/c/${hex([240, 220, 40])}.png`)]);
    const poll = setInterval(async () => seen.push((await h.runner.get(job.id))?.error?.message ?? null), 100);
    const done = await finish(h, job);
    clearInterval(poll);
    const chats = fake.requests.filter((r) => r.path === '/api/v1/chat/completions');
    expect(chats).toHaveLength(2);
    expect(chats[1].at - chats[0].at).toBeGreaterThanOrEqual(1000);
    expect(chats[1].at - chats[0].at).toBeLessThan(2500);
    expect(seen.some((m) => /waiting 1 s/.test(m ?? ''))).toBe(true);
    expect(done).toMatchObject({ state: 'done', error: null });
    expect(done.items[0].alt).toBe(captionFor([240, 220, 40]));
  });

  it('retries a 5xx with backoff and gives up on the item after the last try', async () => {
    const h = harness({ random: () => 0 });
    fake.fail({ kind: 'status', status: 503 }, 1);
    const ok = await finish(h, await start(h, [item('a', `${imageBase}/c/${hex([1, 2, 3])}.png`)]));
    expect(ok.items[0].state).toBe('done');
    fake.fail({ kind: 'status', status: 500 });
    const failed = await finish(h, await start(h, [item('b', `${imageBase}/c/${hex([4, 5, 6])}.png`)]));
    fake.clearFailures();
    expect(failed.items[0]).toMatchObject({ state: 'failed', errorCode: 'provider-error' });
    expect(failed.items[0].error).toMatch(/Gave up after 4 tries/);
  }, 30_000);

  for (const [status, code, action] of [[401, 'bad-key', 'open-options'], [402, 'no-credit', 'top-up']] as const) {
    it(`stops the whole job on ${status} with a plain next step, without retrying`, async () => {
      const h = harness();
      fake.fail({ kind: 'status', status });
      const job = await finish(h, await start(h, palette(12).map((c, i) => item(`i${i}`, `${imageBase}/c/${hex(c)}.png`))));
      fake.clearFailures();
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code, action });
      expect(job.items.every((i) => i.state === 'cancelled')).toBe(true);
      // At most the calls already in flight when the first answer came back.
      expect(fake.requests.filter((r) => r.path === '/api/v1/chat/completions').length).toBeLessThanOrEqual(4);
    });
  }

  it('holds the budget cap, counting calls in flight, and pauses with the next step', async () => {
    fake.setLatency(30);
    const h = harness();
    const job = await finish(h, await start(h, palette(20).map((c, i) => item(`i${i}`, `${imageBase}/c/${hex(c)}.png`)), { budgetUsd: 0.0001 }));
    fake.setLatency(0);
    expect(job.state).toBe('paused');
    expect(job.error).toMatchObject({ code: 'budget', action: 'raise-budget' });
    expect(job.costUsd).toBeLessThanOrEqual(0.0001 + 1e-12);
    expect(fake.completions()).toHaveLength(5);
    expect(job.items.filter((i) => i.state === 'done')).toHaveLength(5);
    expect(job.items.filter((i) => i.state === 'queued')).toHaveLength(15);
  });

  it('after a restart, resumes from storage and loses no finished caption', async () => {
    const store = new MemoryStore();
    const cache = new MemoryCaptionCache();
    const colours = palette(10);
    let calls = 0;
    // The first worker "dies" after 4 answers: its later calls never return.
    const first = harness({
      store, cache,
      describe: async ({ prompt, image, record, signal }) => {
        if (++calls > 4) return new Promise<never>(() => undefined);
        return describeImage({ apiBase: fake.apiBase, apiKey: 'sk-or-v1-test', modelId: record.job.modelId, prompt, imageDataUrl: image.dataUrl, signal });
      },
    });
    const job = await start(first, colours.map((c, i) => item(`i${i}`, `${imageBase}/c/${hex(c)}.png`)));
    await expect.poll(() => store.saved[0]?.job.done, { timeout: 5000 }).toBe(4);
    const before = store.saved[0].job.items.filter((i) => i.state === 'done').map((i) => [i.id, i.alt]);

    const second = harness({ store, cache });
    expect(await second.runner.resumeAll()).toBe(1);
    const resumed = await second.runner.settled(job.id);
    expect(resumed.state).toBe('done');
    colours.forEach((c, i) => expect(resumed.items[i].alt).toBe(captionFor(c)));
    for (const [id, alt] of before) expect(resumed.items.find((i) => i.id === id)?.alt).toBe(alt);
    // Finished items were not described again.
    expect(fake.completions()).toHaveLength(10);
  });

  it('cancels at once: queued items stop and no more calls go out', async () => {
    fake.setLatency(200);
    const h = harness();
    const job = await start(h, palette(12).map((c, i) => item(`i${i}`, `${imageBase}/c/${hex(c)}.png`)));
    await expect.poll(() => fake.requests.length).toBeGreaterThan(0);
    const cancelled = await h.runner.cancel(job.id);
    await h.runner.settled(job.id);
    fake.setLatency(0);
    const sent = fake.requests.length;
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.items.every((i) => i.state === 'cancelled' || i.state === 'done')).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests.length).toBe(sent);
    expect(sent).toBeLessThanOrEqual(4);
  });

  it('skips images it cannot read and fails refusals, and a retried item can still succeed', async () => {
    const refusing = harness({
      describe: async () => ({ text: "I'm sorry, I can't help with that.", costUsd: 0.00001, promptTokens: 1, completionTokens: 1, latencyMs: 1 }),
    });
    const job = await finish(refusing, await start(refusing, [item('gone', `${imageBase}/missing.png`), item('r', `${imageBase}/c/${hex([9, 9, 9])}.png`)]));
    expect(job.state).toBe('done');
    expect(job.items[0]).toMatchObject({ state: 'skipped', errorCode: 'not-found' });
    expect(job.items[0].error).toMatch(/HTTP 404/);
    expect(job.items[1]).toMatchObject({ state: 'failed', errorCode: 'unusable-answer' });
    expect(job.items[1].alt).toBeUndefined();
    // Money spent on a refusal is still counted.
    expect(job.costUsd).toBeCloseTo(0.00001, 10);
  });

  it('retryItem runs one failed item again', async () => {
    const h = harness();
    fake.fail({ kind: 'status', status: 403 }, 1);
    const job = await finish(h, await start(h, [item('a', `${imageBase}/c/${hex([30, 170, 60])}.png`)]));
    expect(job.items[0]).toMatchObject({ state: 'failed', errorCode: 'flagged' });
    await h.runner.retryItem(job.id, 'a');
    const again = await h.runner.settled(job.id);
    expect(again.items[0]).toMatchObject({ state: 'done', alt: captionFor([30, 170, 60]) });
    expect(again.state).toBe('done');
  });

  it('regenerates one done item: bypasses its cached caption, pays for a new one and replaces the cache', async () => {
    const h = harness();
    const blue = [30, 60, 220] as [number, number, number];
    const items = [item('a', `${imageBase}/c/${hex(blue)}.png`), item('b', `${imageBase}/c/${hex([200, 200, 20])}.png`)];
    const job = await finish(h, await start(h, items));
    expect(job.items[0].alt).toBe(captionFor(blue));
    fake.setAnswer((caption) => `${caption} (second look)`);
    // A plain retry of a done item reads the cache: same text, nothing paid.
    await h.runner.retryItem(job.id, 'a');
    const retried = await h.runner.settled(job.id);
    expect(retried.items[0]).toMatchObject({ alt: captionFor(blue), cached: true, costUsd: 0 });
    expect(fake.completions()).toHaveLength(2);

    await h.runner.retryItem(job.id, 'a', { regenerate: true });
    const regenerated = await h.runner.settled(job.id);
    expect(regenerated.items[0]).toMatchObject({ state: 'done', alt: `${captionFor(blue)} (second look)`, cached: false });
    expect(regenerated.items[0].costUsd).toBeCloseTo(0.00002, 10);
    expect(regenerated.costUsd).toBeCloseTo(3 * 0.00002, 10);
    expect(fake.completions()).toHaveLength(3);
    // Only that item was described again, and the request does not linger on the record.
    expect(regenerated.items[1].alt).toBe(captionFor([200, 200, 20]));
    expect(h.store.saved[0].regenerateIds).toEqual([]);
    // The new caption replaced the cached one: a later job gets it for free.
    const later = await finish(h, await start(h, [items[0]]));
    expect(later.items[0]).toMatchObject({ alt: `${captionFor(blue)} (second look)`, cached: true, costUsd: 0 });
    expect(fake.completions()).toHaveLength(3);
  });

  it('a regenerate request survives a worker restart', async () => {
    const store = new MemoryStore();
    const cache = new MemoryCaptionCache();
    const first = harness({ store, cache });
    const red = [220, 30, 30] as [number, number, number];
    const job = await finish(first, await start(first, [item('a', `${imageBase}/c/${hex(red)}.png`)]));
    fake.setAnswer((caption) => `${caption} v2`);
    // The first worker stops before the queued regeneration runs: its calls never return.
    const dying = harness({ store, cache, describe: () => new Promise<never>(() => undefined) });
    await dying.runner.retryItem(job.id, 'a', { regenerate: true });
    await expect.poll(() => store.saved[0]?.job.items[0].state).toBe('running');
    const second = harness({ store, cache });
    expect(await second.runner.resumeAll()).toBe(1);
    const resumed = await second.runner.settled(job.id);
    expect(resumed.items[0]).toMatchObject({ state: 'done', alt: `${captionFor(red)} v2`, cached: false });
  });

  it('marks descriptions as AI-generated only when the setting is on, and finds the latest job per tab', async () => {
    const h = harness();
    const first = await finish(h, await start(h, [item('a', `${imageBase}/c/${hex([10, 10, 10])}.png`)], {}, { markAiGenerated: true }));
    expect(first.items[0].alt).toMatch(/\(AI-generated\)$/);
    const second = await start(h, [item('b', `${imageBase}/c/${hex([10, 10, 10])}.png`)], { tabId: 7 });
    expect((await h.runner.latestForTab(7))?.id).toBe(second.id);
    expect(await h.runner.latestForTab(99)).toBeNull();
    await finish(h, second);
  });
});
