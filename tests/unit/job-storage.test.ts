import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { captionCacheItem, jobsItem, parseJobs, readJobs } from '@/lib/storage';
import { cacheKey, cacheScope, sha256Text } from '@/lib/jobs/cache';
import { keepWithinBudget, migrateJobsV1, parseRecord, serialiseRecord, storeRecord, type JobRecord, type StoredJob } from '@/lib/jobs/record';

beforeEach(() => fakeBrowser.reset());

/** A job as version 1 stored it: every input twice (items and `inputs`), data: URLs in full, the language in `options`. */
const RED = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const V1_RECORD = {
  job: {
    id: 'job-1', tabId: 3, pageUrl: 'https://shop.example/', modelId: 'google/gemini-2.5-flash', state: 'running', done: 1, total: 2,
    costUsd: 0.00002, budgetUsd: 1, error: null, createdAt: 1000, updatedAt: 2000, waitingUntil: null, language: 'fr',
    items: [
      { id: '0:e1', frameId: 0, selector: '#hero', src: 'https://shop.example/hero.jpg', oldAlt: null, state: 'done', alt: 'Une chaise', costUsd: 0.00002, cached: false, attempts: 1 },
      { id: '0:e2', frameId: 0, selector: '#dot', src: RED, oldAlt: 'IMG_2231.jpg', state: 'queued', costUsd: 0, cached: false, attempts: 0 },
    ],
  },
  inputs: {
    '0:e1': { id: '0:e1', frameId: 0, selector: '#hero', kind: 'img', status: 'missing', alt: null, src: 'https://shop.example/hero.jpg', width: 300, height: 200, context: { pageTitle: 'Shop', lang: 'fr' } },
    '0:e2': { id: '0:e2', frameId: 0, selector: '#dot', kind: 'img', status: 'suspicious', alt: 'IMG_2231.jpg', src: RED, width: 1, height: 1, context: { pageTitle: 'Shop', lang: 'fr' } },
  },
  settings: { provider: 'openrouter', apiBase: 'https://openrouter.ai/api/v1', concurrency: 4, markAiGenerated: false, length: 'short', regenerate: false },
  options: { language: 'fr', length: 'short' },
  regenerateIds: ['0:e1'],
};

/** The same job as a version 2 record (what the runner keeps in memory). */
function v2(job: Partial<typeof V1_RECORD.job> = {}): JobRecord {
  const parsed = parseRecord({ ...V1_RECORD, settings: { ...V1_RECORD.settings, language: 'fr' }, job: { ...V1_RECORD.job, ...job } });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.record;
}

describe('stored jobs, version 2', () => {
  it('migrates version 1 records: each input once, data: URLs as their hash, the language with the settings', async () => {
    await fakeBrowser.storage.session.set({ jobs: [V1_RECORD], jobs$: { v: 1 } });
    await jobsItem.migrate();
    const stored = (await fakeBrowser.storage.session.get('jobs')).jobs as StoredJob[];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: 'job-1', tabId: 3, createdAt: 1000, updatedAt: 2000, single: false });
    expect(stored[0].record).not.toContain('data:image');
    expect(stored[0].record).not.toContain('"inputs"');
    expect((await fakeBrowser.storage.session.get('jobs$')).jobs$).toEqual({ v: 2 });

    const { value, error } = await readJobs();
    expect(error).toBeUndefined();
    expect(value[0].settings).toEqual({ ...V1_RECORD.settings, language: 'fr' });
    expect(value[0].regenerateIds).toEqual(['0:e1']);
    expect(value[0].job.items.map((i) => [i.id, i.src, i.srcHash ?? null, i.oldAlt, i.state, i.alt ?? null])).toEqual([
      ['0:e1', 'https://shop.example/hero.jpg', null, null, 'done', 'Une chaise'],
      ['0:e2', null, await sha256Text(RED), 'IMG_2231.jpg', 'queued', null],
    ]);
  });

  it('drops a version 1 record it cannot make sense of, and anything that is not a list', async () => {
    expect(await migrateJobsV1([{ job: 'broken' }, V1_RECORD], sha256Text)).toHaveLength(1);
    expect(await migrateJobsV1({ not: 'a list' }, sha256Text)).toEqual([]);
  });

  it('reports a corrupt record and keeps the readable ones', () => {
    const read = parseJobs([storeRecord(v2()), { ...storeRecord(v2()), record: '{"job":"broken"}' }, 'not a stored job']);
    expect(read.value.map((r) => r.job.id)).toEqual(['job-1']);
    expect(read.error).toMatch(/^One of your saved caption jobs could not be read \(job: .+\); it is left out\.$/);
    expect(parseJobs('nonsense').error).toBe('Your saved caption jobs could not be read (value: expected a list); none are shown.');
  });

  it('leaves out item fields at their defaults and gets them back when read', () => {
    const record = v2();
    const text = serialiseRecord(record);
    expect(text).not.toMatch(/"cached":false|"attempts":0|"frameId":0|"oldAlt":null/);
    expect((parseRecord(text) as { record: JobRecord }).record).toEqual(record);
  });

  it('keeps the newest records that fit the budget, and the newest and running ones whatever their size', () => {
    const make = (id: string, createdAt: number, state: 'running' | 'done', selector = '#x') => v2({ id, createdAt, state, items: [{ ...V1_RECORD.job.items[0], selector }] });
    const size = (r: JobRecord) => new TextEncoder().encode(serialiseRecord(r)).length;
    const jobs = [make('old', 1, 'done'), make('mid', 2, 'done'), make('new', 3, 'done')];
    const { kept, dropped } = keepWithinBudget(jobs, size(jobs[1]) + size(jobs[2]));
    expect(kept.map((k) => k.record.job.id)).toEqual(['new', 'mid']);
    expect(dropped.map((r) => r.job.id)).toEqual(['old']);
    const running = make('running-old', 0, 'running', 'x'.repeat(5000));
    expect(keepWithinBudget([...jobs, running], 100).kept.map((k) => k.record.job.id)).toEqual(['new', 'running-old']);
  });
});

describe('caption cache, version 2', () => {
  it('clears version 1 entries, whose keys left out the page context and site', async () => {
    await fakeBrowser.storage.local.set({
      captionCache: { 'abc123|google/gemini-2.5-flash|en|content|short': { alt: 'A chair', decorative: false, modelId: 'google/gemini-2.5-flash', costUsd: 0.0001, at: 5 } },
      captionCache$: { v: 1 },
    });
    await captionCacheItem.migrate();
    expect(await captionCacheItem.getValue()).toEqual({});
    expect((await fakeBrowser.storage.local.get('captionCache$')).captionCache$).toEqual({ v: 2 });
  });

  const parts = { imageHash: 'abc', modelId: 'm', language: 'en', purpose: 'content', length: 'short', scope: 'https://shop.example', context: '{"page title":"Chairs"}' };

  it('keys by image, model, language, purpose, length, site and quoted context, as one opaque hash', async () => {
    const key = await cacheKey(parts);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await cacheKey({ ...parts, language: 'EN' })).toBe(key);
    for (const change of [{ scope: 'https://other.example' }, { context: '{"page title":"Bargains"}' }, { imageHash: 'abd' }, { modelId: 'n' }, { length: 'detailed' }, { purpose: 'link' }]) {
      expect(await cacheKey({ ...parts, ...change }), JSON.stringify(change)).not.toBe(key);
    }
  });

  it('scopes by the origin of the document showing the image, else the page', () => {
    expect(cacheScope('https://ads.example/slot?id=3', 'https://shop.example/chairs')).toBe('https://ads.example');
    expect(cacheScope(undefined, 'https://shop.example/chairs?page=2')).toBe('https://shop.example');
    expect(cacheScope('about:srcdoc', 'https://shop.example/chairs')).toBe('https://shop.example');
    expect(cacheScope('about:blank', 'file:///home/me/page.html?x=1#top')).toBe('file:///home/me/page.html');
  });
});
