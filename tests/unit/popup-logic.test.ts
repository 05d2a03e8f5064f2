import { describe, expect, it } from 'vitest';
import { costSentence, shortName } from '@/lib/ui/cost';
import { age, pricePer1k } from '@/lib/ui/format';
import { formatUsd } from '@/lib/money';
import { isStale, nextInTier, resolveModel, sortModels, STALE_AFTER_MS } from '@/lib/ui/models';
import { applyPlan, decisionFor, decorativeNote, reviewReducer, withDraft, EMPTY_DRAFT } from '@/lib/ui/review';
import type { Kind } from '@/lib/scan/schema';
import { includedFindings, DEFAULT_INCLUSION, toJobItems } from '@/lib/ui/selection';
import { JobItemInputSchema } from '@/lib/jobs/schema';
import { latestJob, selectJob } from '@/lib/ui/follow-job';
import { siteName } from '@/lib/ui/sites';
import { FINDINGS, MODELS, RANKING, doneItem, job, jobItem, recordOf } from './popup-fixtures';

describe('cost sentence', () => {
  it('reads the way the issue shows it', () => {
    expect(costSentence(23, { name: 'Gemini 3.1 Flash Lite', free: false, usdPer1kImages: 0.17 })).toBe('Describe 23 images with Gemini 3.1 Flash Lite — about $0.0039');
  });
  it('handles one image, free models and unknown prices', () => {
    expect(costSentence(1, { name: 'X', free: false, usdPer1kImages: 2 })).toBe('Describe 1 image with X — about $0.002');
    expect(costSentence(5, { name: 'Y', free: true, usdPer1kImages: 0 })).toBe('Describe 5 images with Y — free');
    expect(costSentence(5, { name: 'Z', free: false, usdPer1kImages: null })).toBe('Describe 5 images with Z — cost unknown');
    expect(costSentence(1200, { name: 'Big', free: false, usdPer1kImages: 12.5 })).toBe('Describe 1,200 images with Big — about $15.00');
  });
  it('formats money without exponents or fake zeros', () => {
    expect(formatUsd(0.0000002)).toBe('under $0.0001');
    expect(formatUsd(0.00039)).toBe('$0.00039');
    expect(formatUsd(0.043)).toBe('$0.04');
    expect(formatUsd(1234.4)).toBe('$1,234.40');
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(Number.NaN)).toBe('unknown');
    expect(pricePer1k(MODELS.budget)).toBe('$0.17 per 1,000 images');
    expect(pricePer1k(MODELS.free)).toBe('free');
  });
  it('drops the vendor prefix from model names', () => {
    expect(shortName('Google: Gemini 3.1 Flash Lite')).toBe('Gemini 3.1 Flash Lite');
    expect(shortName('local-model')).toBe('local-model');
  });
  it('says ages coarsely', () => {
    expect(age(0, 30_000)).toBe('just now');
    expect(age(0, 5 * 60_000)).toBe('5 minutes ago');
    expect(age(0, 3 * 3600_000)).toBe('3 hours ago');
    expect(age(0, 3 * 86400_000)).toBe('3 days ago');
  });
});

describe('model choice', () => {
  it('keeps the remembered model, else falls back to the budget pick, else the next tier', () => {
    expect(resolveModel(RANKING, MODELS.other.id)?.id).toBe(MODELS.other.id);
    expect(resolveModel(RANKING, 'gone/model')?.id).toBe(MODELS.budget.id);
    const noBudget = { ...RANKING, tiers: { ...RANKING.tiers, budget: { pick: null, runnersUp: [] } } };
    expect(resolveModel(noBudget, null)?.id).toBe(MODELS.balanced.id);
    expect(resolveModel({ ...RANKING, models: [] }, null)).toBeNull();
  });
  it('replaces a model that is gone with the next one in its tier, never itself', () => {
    const tiers = { ...RANKING.tiers, budget: { pick: MODELS.budget.id, runnersUp: [MODELS.other.id] } };
    const ranking = { ...RANKING, tiers };
    expect(nextInTier(ranking, MODELS.budget.id)).toEqual({ model: MODELS.other, tier: 'budget' });
    const lastInTier = nextInTier(ranking, MODELS.other.id);
    expect(lastInTier?.model.id).not.toBe(MODELS.other.id);
    expect(lastInTier?.tier).toBeNull();
    expect(nextInTier({ ...ranking, models: [MODELS.budget] }, MODELS.budget.id)).toBeNull();
  });
  it('sorts with unknown values last in both directions', () => {
    const byQualityDown = sortModels(RANKING.models, 'quality', 'descending').map((m) => m.id);
    expect(byQualityDown.at(-1)).toBe(MODELS.other.id);
    expect(byQualityDown[0]).toBe(MODELS.best.id);
    const byQualityUp = sortModels(RANKING.models, 'quality', 'ascending').map((m) => m.id);
    expect(byQualityUp.at(-1)).toBe(MODELS.other.id);
    expect(byQualityUp[0]).toBe(MODELS.free.id);
  });
  it('flags the bundled list and day-old caches as stale', () => {
    const catalog = RANKING.catalog;
    expect(isStale({ ...catalog, source: 'snapshot' }, 0)).toBe(true);
    expect(isStale({ ...catalog, fetchedAt: 0 }, STALE_AFTER_MS + 1)).toBe(true);
    expect(isStale({ ...catalog, fetchedAt: 0 }, 1000)).toBe(false);
  });
});

describe('selection', () => {
  it('takes missing images by default and produces valid job items', () => {
    const chosen = includedFindings(FINDINGS, DEFAULT_INCLUSION);
    expect(chosen.map((f) => f.id)).toEqual(['0:menu:f1', '0:menu:f2', '0:menu:f4']);
    const items = toJobItems(chosen);
    for (const item of items) expect(JobItemInputSchema.strict().parse(item)).toEqual(item);
    expect(includedFindings(FINDINGS, { missing: false, suspicious: true, decorative: true }).map((f) => f.id)).toEqual(['0:menu:f3', '0:menu:f5']);
  });
});

describe('review state', () => {
  it('edits, rejects, un-rejects and forgets', () => {
    let s = reviewReducer(EMPTY_DRAFT, { type: 'edit', id: 'a', text: 'x' }, 5);
    s = reviewReducer(s, { type: 'toggleReject', id: 'b' }, 6);
    expect(s).toEqual({ edits: { a: 'x' }, rejected: ['b'], updatedAt: 6 });
    s = reviewReducer(s, { type: 'toggleReject', id: 'b' }, 7);
    expect(s.rejected).toEqual([]);
    s = reviewReducer(s, { type: 'forget', id: 'a' }, 8);
    expect(s.edits).toEqual({});
  });
  it('keeps what the user did before the stored draft arrived, on top of it; another job starts empty', () => {
    const stored = { edits: { a: 'stored a', b: 'stored b' }, rejected: ['c'], updatedAt: 3 };
    let s = reviewReducer(EMPTY_DRAFT, { type: 'edit', id: 'b', text: '' }, 9);
    s = reviewReducer(s, { type: 'load', draft: stored });
    expect(s).toEqual({ edits: { a: 'stored a', b: '' }, rejected: ['c'], updatedAt: 9 });
    // Loaded with nothing done yet: the stored draft as it is.
    expect(reviewReducer(EMPTY_DRAFT, { type: 'load', draft: stored })).toEqual(stored);
    expect(reviewReducer(s, { type: 'reset' })).toEqual(EMPTY_DRAFT);
  });
  it('calls an edit that matches the suggestion "accepted", and unfinished items "pending"', () => {
    const item = doneItem(FINDINGS[0]);
    expect(decisionFor(item, { ...EMPTY_DRAFT, edits: { '0:menu:f1': item.alt! } })).toBe('accepted');
    expect(decisionFor(item, { ...EMPTY_DRAFT, edits: { '0:menu:f1': 'other' } })).toBe('edited');
    expect(decisionFor(jobItem(FINDINGS[0], { state: 'running' }), EMPTY_DRAFT)).toBe('pending');
  });
  it('plans apply items from accepted and edited results only', () => {
    const j = job([doneItem(FINDINGS[0]), doneItem(FINDINGS[2]), jobItem(FINDINGS[1], { state: 'failed' }), doneItem(FINDINGS[3])]);
    const plan = applyPlan(j, { edits: { '0:menu:f4': '   ' }, rejected: [], updatedAt: 1 });
    expect(plan.items.map((i) => [i.id, i.overwrite])).toEqual([['0:menu:f1', false], ['0:menu:f3', true]]);
    expect(plan.blank).toEqual(['0:menu:f4']);
    const marked = applyPlan(j, EMPTY_DRAFT, true);
    expect(marked.items[0]).toMatchObject({ model: j.modelId, generatedAt: j.updatedAt });
    expect(plan.items[0]).not.toHaveProperty('model');
  });
  it('applies an accepted decorative verdict as empty text on images and refuses it, with the reason, where a name is required', () => {
    const kinds: Record<string, Kind> = { '0:menu:f1': 'img', '0:menu:f2': 'svg', '0:menu:f3': 'img', '0:menu:f4': 'role-img' };
    const decorative = (f: (typeof FINDINGS)[number]) => jobItem(f, { state: 'done', alt: '', decorative: true });
    const j = job([decorative(FINDINGS[0]), decorative(FINDINGS[1]), decorative(FINDINGS[2]), decorative(FINDINGS[3]), decorative(FINDINGS[4])]);
    // f3 (human alt, included on purpose) may be overwritten; f4 got a typed description; f5 was rejected.
    const plan = applyPlan(j, { edits: { '0:menu:f4': 'Company logo' }, rejected: ['0:menu:f5'], updatedAt: 1 }, false, (id) => kinds[id]);
    expect(plan.items).toEqual([
      { id: '0:menu:f1', src: 'https://shop.example/img/1.png', text: '', overwrite: false, decorative: true },
      { id: '0:menu:f3', src: 'https://shop.example/img/3.png', text: '', overwrite: true, decorative: true },
      { id: '0:menu:f4', src: 'https://shop.example/img/4.png', text: 'Company logo', overwrite: false },
    ]);
    expect(plan.refused).toEqual([{ id: '0:menu:f2', reason: expect.stringMatching(/^An SVG image must have a name/) }]);
    expect(plan.blank).toEqual([]);
    // Without kinds the page decides (and refuses non-images itself); an emptied normal suggestion stays "blank".
    const unknown = applyPlan(job([decorative(FINDINGS[1]), doneItem(FINDINGS[0])]), { edits: { '0:menu:f1': '' }, rejected: [], updatedAt: 1 });
    expect(unknown.items.map((i) => i.id)).toEqual(['0:menu:f2']);
    expect(unknown.blank).toEqual(['0:menu:f1']);
    expect(decorativeNote('img')).toMatch(/alt=""/);
    expect(decorativeNote('area')).toMatch(/image-map link \(area\) must have a name/);
  });
  it('keeps only the most recent drafts', () => {
    let drafts = {};
    for (let i = 0; i < 25; i++) drafts = withDraft(drafts, `job-${i}`, { ...EMPTY_DRAFT, updatedAt: i });
    expect(Object.keys(drafts)).toHaveLength(20);
    expect(drafts).not.toHaveProperty('job-0');
    expect(drafts).toHaveProperty('job-24');
  });
});

describe('following a job from storage', () => {
  const record = (j: ReturnType<typeof job>) => recordOf(j);
  const a = job([doneItem(FINDINGS[0])], { id: 'a', createdAt: 1 });
  const b = job([doneItem(FINDINGS[1])], { id: 'b', createdAt: 2 });
  const menu = job([{ ...doneItem(FINDINGS[2]), id: 'context-menu-image' }], { id: 'menu', createdAt: 3 });
  const elsewhere = job([doneItem(FINDINGS[3])], { id: 'elsewhere', tabId: 99, createdAt: 4 });

  it('picks a job by id, or the latest of a tab leaving context-menu jobs to their window', () => {
    const records = [record(a), record(menu), record(b), record(elsewhere)];
    expect(selectJob(records, { id: 'a' })?.id).toBe('a');
    expect(selectJob(records, { id: 'menu' })?.id).toBe('menu');
    expect(selectJob(records, { id: null })).toBeNull();
    expect(selectJob(records, { tabId: a.tabId })?.id).toBe('b');
    expect(selectJob(records, { tabId: 99 })?.id).toBe('elsewhere');
    expect(selectJob(records, { tabId: 5 })).toBeNull();
  });

  it('reads nothing from a value that is not a list of records, and skips a record that fails the job schema', () => {
    expect(selectJob(undefined, { tabId: a.tabId })).toBeNull();
    expect(selectJob({ job: a }, { tabId: a.tabId })).toBeNull();
    const broken = { ...record(b), record: JSON.stringify({ ...JSON.parse(record(b).record), job: { ...b, state: 'exploded' } }) };
    expect(selectJob([record(a), broken], { tabId: a.tabId })?.id).toBe('a');
  });

  it('shows an action\'s answer until its storage change arrives, never an older one', () => {
    const cancelled = { ...b, state: 'cancelled' as const, updatedAt: b.updatedAt + 1 };
    expect(latestJob(b, cancelled, { tabId: b.tabId })).toBe(cancelled);
    expect(latestJob(cancelled, b, { tabId: b.tabId })).toBe(cancelled);
    expect(latestJob(null, b, { tabId: b.tabId })).toBe(b);
    // A newer job of the tab wins over an older answer; another tab's answer is not this view's.
    expect(latestJob(b, a, { tabId: b.tabId })).toBe(b);
    expect(latestJob(a, b, { tabId: a.tabId })).toBe(b);
    expect(latestJob(null, elsewhere, { tabId: a.tabId })).toBeNull();
    expect(latestJob(null, a, { id: 'b' })).toBeNull();
  });
});

describe('site names', () => {
  it('reads match patterns the way people name sites', () => {
    expect(siteName('https://shop.example/*')).toBe('shop.example');
    expect(siteName('http://intranet.local/*')).toBe('intranet.local (http)');
    expect(siteName('*://*.example.com/*')).toBe('example.com and its subdomains');
    expect(siteName('<all_urls>')).toBe('All sites');
    expect(siteName('https://*/*')).toBe('All sites (https)');
    expect(siteName('file:///*')).toBe('Files on this computer');
    expect(siteName('not a pattern')).toBe('not a pattern');
  });
});
