import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '@/lib/catalog/parse';
import type { Catalog, Model } from '@/lib/catalog/schema';
import { summarise, type EvidenceSummary } from '@/lib/evidence';
import { rankModels, type RankOptions } from '@/lib/ranking/rank';
import { qualityNote } from '@/lib/ranking/explain';
import { RankingSchema, type RankedModel } from '@/lib/ranking/schema';

const SHARED = '../shared/data/openrouter-models-2026-08-19.json';
const NOW = Date.parse('2026-08-19T12:00:00Z');

const times = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);
const alwaysAccepted = (n: number) => summarise(times(n, { kind: 'accepted' as const }));
const alwaysEdited = (n: number, distance = 0.35) => summarise(times(n, { kind: 'edited' as const, distance }));

const m = (id: string, over: Partial<Model> = {}): Model => ({
  id, name: `Vendor: ${id.split('/')[1]}`, created: null, contextLength: null, input: ['text', 'image'], output: ['text'], tokenizer: 'Claude',
  pricing: { prompt: 1e-6, completion: 5e-6, image: 0, request: 0, internalReasoning: 0, imageOutput: 0, imageToken: 0, overrides: [] },
  parameters: [], reasoning: null, aaIndex: 40, arena: {}, aliasOf: null, expires: null, ...over,
});
const price = (usdPerMTokIn: number) => ({ ...m('x/x').pricing, prompt: usdPerMTokIn / 1e6, completion: (5 * usdPerMTokIn) / 1e6 });

/**
 * Eight paid models: a strong expensive one, a weaker cheap one, and fillers so the cheapest
 * quarter (Budget's pool) holds the two cheapest. No MMMU row matches these names: every
 * quality here is the AA index alone.
 */
const catalog: Catalog = {
  kind: 'openrouter',
  skipped: 0,
  models: [
    m('v/strong', { aaIndex: 60, pricing: price(15) }),
    m('v/cheap', { aaIndex: 45, pricing: price(0.1) }),
    m('v/cheaper', { aaIndex: 30, pricing: price(0.05) }),
    m('v/mid-a', { aaIndex: 50, pricing: price(3) }),
    m('v/mid-b', { aaIndex: 48, pricing: price(2) }),
    m('v/mid-c', { aaIndex: 40, pricing: price(1) }),
    m('v/mid-d', { aaIndex: 38, pricing: price(1.5) }),
    m('v/nobody', { aaIndex: null, pricing: price(0.5) }),
  ],
};
const rank = (evidence: Record<string, EvidenceSummary> = {}, over: Partial<RankOptions> = {}) =>
  rankModels(catalog, { task: 'captioning', now: NOW, evidence, runnersUp: 1, ...over });
const find = (r: { models: RankedModel[] }, id: string) => r.models.find((x) => x.id === id)!;

describe('ranking with the user\'s reviews and comparisons', () => {
  it('starts from the benchmarks: the strong model is the Best pick, the cheap one the Budget pick', () => {
    const r = rank();
    expect(r.tiers.best.pick).toBe('v/strong');
    expect(r.tiers.budget.pick).toBe('v/cheap');
    expect(find(r, 'v/strong').quality!).toBeGreaterThan(find(r, 'v/cheap').quality!);
    expect(find(r, 'v/strong').evidence).toBeNull();
  });

  it('keeps the order on a couple of reviews, and follows them once there are enough', () => {
    const after = (n: number) => rank({ 'v/strong': alwaysEdited(n), 'v/cheap': alwaysAccepted(n) });
    for (const n of [1, 2, 3, 4, 5]) {
      const r = after(n);
      expect(find(r, 'v/strong').quality!, `n = ${n}`).toBeGreaterThan(find(r, 'v/cheap').quality!);
      expect(r.tiers.best.pick, `n = ${n}`).toBe('v/strong');
    }
    const r = after(20);
    expect(find(r, 'v/cheap').quality!).toBeGreaterThan(find(r, 'v/strong').quality!);
    // The tier picks follow: the always-accepted model is now the best there is.
    expect(r.tiers.best.pick).toBe('v/cheap');
    expect(r.tiers.best.pick).not.toBe('v/strong');
    expect(find(r, 'v/cheap').qualitySource).toBe('your reviews');
    expect(find(r, 'v/strong').qualitySource).toBe('your reviews');
  });

  it('says so in every model\'s reasons, in integers', () => {
    const r = rank({
      'v/strong': summarise([...times(3, { kind: 'accepted' as const }), { kind: 'edited', distance: 0.2 }, { kind: 'rejected' }, { kind: 'regenerated' }]),
      'v/cheap': summarise([], [...times(4, { kind: 'best' as const }), { kind: 'tied' }, { kind: 'lost' }]),
    });
    const strong = find(r, 'v/strong');
    expect(strong.reasons).toContain('your reviews: 3 of 6 accepted unedited');
    expect(strong.evidence).toMatchObject({ reviews: 6, acceptedUnedited: 3, edited: 1, rejected: 1, regenerated: 1, comparisons: 0 });
    const cheap = find(r, 'v/cheap');
    expect(cheap.reasons).toContain('won 4 of 6 comparisons');
    expect(cheap.reasons).toContain('tied 1 of 6 comparisons');
    expect(cheap.reasons.join()).not.toMatch(/your reviews/);
    expect(find(r, 'v/mid-a').reasons.join()).not.toMatch(/your reviews|comparisons/);
    for (const reason of [...strong.reasons, ...cheap.reasons].filter((x) => /reviews:|comparisons/.test(x))) {
      expect(reason).toMatch(/^(your reviews: \d+ of \d+ accepted unedited|won \d+ of \d+ comparisons|tied \d+ of \d+ comparisons)$/);
    }
    expect(() => RankingSchema.parse({ ...r, catalog: { source: 'live', fetchedAt: NOW, error: null, ranked: true, skipped: 0 } })).not.toThrow();
  });

  it('lets comparison votes move a model like reviews do', () => {
    const r = rank({ 'v/cheap': summarise([], times(25, { kind: 'best' as const })), 'v/strong': summarise([], times(25, { kind: 'lost' as const })) });
    expect(find(r, 'v/cheap').quality!).toBeGreaterThan(find(r, 'v/strong').quality!);
    expect(find(r, 'v/cheap').qualitySource).toBe('your comparisons');
    expect(r.tiers.best.pick).toBe('v/cheap');
  });

  it('rates a model no benchmark covers once the user has judged it enough, and not before', () => {
    const unrated = find(rank({ 'v/nobody': alwaysAccepted(4) }), 'v/nobody');
    expect(unrated).toMatchObject({ quality: null, qualitySource: 'unrated' });
    expect(unrated.reasons).toContain('unrated');
    expect(unrated.reasons).toContain('your reviews: 4 of 4 accepted unedited');
    const r = rank({ 'v/nobody': alwaysAccepted(30) });
    const rated = find(r, 'v/nobody');
    expect(rated.quality).not.toBeNull();
    expect(rated.qualitySource).toBe('your reviews');
    expect(rated.reasons).not.toContain('unrated');
    expect(rated.reasons[0]).toBe('no benchmark');
    // Rated models rank before unrated ones; it now competes with them.
    expect(rated.rank).toBeLessThan(catalog.models.length);
  });

  it('keeps evidence to the model it was recorded for, and out of image generation', () => {
    const gen: Catalog = { kind: 'openrouter', skipped: 0, models: [m('g/draw', { output: ['image'], arena: { image: 1200 } }), m('g/paint', { output: ['image'], arena: { image: 1150 } })] };
    const plain = rankModels(gen, { task: 'generation', now: NOW });
    const judged = rankModels(gen, { task: 'generation', now: NOW, evidence: { 'g/draw': summarise(times(40, { kind: 'rejected' as const })) } });
    expect(judged).toEqual(plain);
    expect(plain.models.every((x) => x.qualitySource === 'vision benchmark')).toBe(true);
    const r = rank({ 'v/strong': alwaysEdited(40) });
    expect(find(r, 'v/strong').evidence).not.toBeNull();
    expect(r.models.filter((x) => x.evidence != null).map((x) => x.id)).toEqual(['v/strong']);
  });
});

describe('where quality and latency come from', () => {
  it('names the source of every figure and tells the popup what to say about a general benchmark', () => {
    const r = rank({ 'v/mid-a': alwaysAccepted(8), 'v/mid-b': alwaysAccepted(30), 'v/mid-c': alwaysAccepted(2), 'v/mid-d': summarise([], times(2, { kind: 'best' as const })) });
    expect(find(r, 'v/strong').qualitySource).toBe('general benchmark');
    expect(qualityNote(find(r, 'v/strong'))).toBe('quality from a general benchmark; compare on your images to check');
    expect(qualityNote(find(r, 'v/mid-a'))).toBe('quality from a general benchmark and your 8 reviews; compare on your images to check');
    // Judgements too few to count yet are not claimed as a source.
    expect(qualityNote(find(r, 'v/mid-c'))).toBe('quality from a general benchmark; compare on your images to check');
    expect(find(r, 'v/mid-c').reasons).toContain('your reviews: 2 of 2 accepted unedited');
    expect(find(r, 'v/mid-d').reasons).toContain('won 2 of 2 comparisons');
    expect(find(r, 'v/mid-d').evidence).toMatchObject({ comparisons: 2, won: 2, weight: 0 });
    expect(qualityNote(find(rank({ 'v/nobody': summarise([], times(3, { kind: 'tied' as const })) }), 'v/nobody'))).toBe('unrated until 5 of your reviews or comparisons (3 so far)');
    expect(qualityNote(find(r, 'v/mid-b'))).toBe('quality from your reviews: 30 of 30 accepted unedited');
    expect(qualityNote(find(r, 'v/nobody'))).toBe('unrated; compare on your images to check');
    expect(r.models.every((x) => x.qualitySource != null && x.latencySource != null)).toBe(true);
  });

  it('uses the user\'s runs from three on, then OpenRouter\'s stats, then an estimate, naming each', () => {
    const id = 'v/mid-a';
    const latency = (runs: number[], endpoint?: number) =>
      find(rank({}, { stats: runs.length ? { [id]: { runs: runs.length, totalCostUsd: 0.001, latenciesMs: runs } } : {}, endpointLatency: endpoint == null ? {} : { [id]: endpoint } }), id);
    const estimate = latency([]);
    expect(estimate.latencySource).toBe('estimate');
    expect(estimate.reasons).toContain('~1.9 s (estimate)');
    const openRouter = latency([], 0.4);
    expect(openRouter).toMatchObject({ latencySource: 'OpenRouter', latencySeconds: 1.07 });
    // One slow run (a retry, a cold start) does not outweigh OpenRouter's p50 ...
    expect(latency([12_000], 0.4)).toMatchObject({ latencySource: 'OpenRouter', latencySeconds: 1.07 });
    // ... but is better than nothing, and three runs of the user's own are the best figure there is.
    expect(latency([12_000])).toMatchObject({ latencySource: 'your runs', latencySeconds: 12 });
    expect(latency([12_000])).toHaveProperty('reasons', expect.arrayContaining(['median 12 s over your run']));
    const own = latency([800, 900, 5000], 0.4);
    expect(own).toMatchObject({ latencySource: 'your runs', latencySeconds: 0.9 });
    expect(own.reasons).toContain('median 0.9 s over your 3 runs');
    expect(own.speed!).toBeGreaterThan(openRouter.speed!);
  });
});

describe.runIf(existsSync(SHARED))('on the real catalog', () => {
  const real = parseCatalog(JSON.parse(readFileSync(SHARED, 'utf8')));
  const plain = rankModels(real, { task: 'captioning', now: NOW });
  const byId = new Map(plain.models.map((x) => [x.id, x]));

  it('marks the models scored by the general index alone, and the tier picks that rest on it', () => {
    const recommended = plain.models.filter((x) => x.recommended);
    expect(new Set(recommended.map((x) => x.qualitySource))).toEqual(new Set(['vision benchmark', 'general benchmark', 'unrated']));
    expect(byId.get('meta-llama/llama-4-maverick')!.qualitySource).toBe('vision benchmark');
    expect(byId.get('openai/gpt-5.6-luna')!.qualitySource).toBe('general benchmark');
    // A model without its own scores takes its donor's source along with its figure.
    expect(byId.get('~openai/gpt-latest')!.qualitySource).toBe(byId.get('openai/gpt-5.6-sol')!.qualitySource);
    for (const x of plain.models) {
      const reasons = x.reasons.join(', ');
      if (x.qualitySource === 'general benchmark') expect(reasons, x.id).toMatch(/AA index/), expect(reasons, x.id).not.toMatch(/MMMU/);
      if (x.qualitySource === 'vision benchmark') expect(reasons, x.id).toMatch(/MMMU/);
      if (x.qualitySource === 'unrated') expect(x.quality, x.id).toBeNull();
    }
    const best = byId.get(plain.tiers.best.pick!)!;
    expect(best.qualitySource).toBe('general benchmark');
    expect(qualityNote(best)).toMatch(/general benchmark; compare on your images to check$/);
  });

  it('moves the $0.25 Budget pick above the $6 Best pick when the user keeps editing the expensive one\'s captions', () => {
    const best = plain.tiers.best.pick!;
    const budget = plain.tiers.budget.pick!;
    expect(byId.get(best)!.usdPer1kImages!).toBeGreaterThan(10 * byId.get(budget)!.usdPer1kImages!);
    const after = (n: number) => rankModels(real, { task: 'captioning', now: NOW, evidence: { [best]: alwaysEdited(n), [budget]: alwaysAccepted(n) } });
    expect(after(2).tiers.best.pick).toBe(best);
    const r = after(25);
    expect(r.tiers.best.pick).toBe(budget);
    const cheap = r.models.find((x) => x.id === budget)!;
    expect(cheap.reasons).toContain('your reviews: 25 of 25 accepted unedited');
    expect(r.models.find((x) => x.id === best)!.reasons).toContain('your reviews: 0 of 25 accepted unedited');
  });
});
