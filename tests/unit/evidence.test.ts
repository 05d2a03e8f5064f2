import { describe, expect, it } from 'vitest';
import {
  addEvidence, blendQuality, comparisonVotes, editDistance, EvidenceStoreSchema, MAX_MODELS, MAX_REVIEWS_PER_MODEL, MAX_VOTES_PER_MODEL,
  MIN_EVIDENCE, PRIOR_WEIGHT, regenerationOutcome,
  reviewOutcomes, summarise, summariseEvidence, tallyComparison, withoutEvidence, type ComparisonChoice, type EvidenceStore, type ReviewOutcome,
} from '@/lib/evidence';
import type { Job, JobItem } from '@/lib/jobs/schema';
import { EMPTY_DRAFT, type ReviewDraft } from '@/lib/ui/review';

type Judgement = Pick<ReviewOutcome, 'kind' | 'distance'>;
const times = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);
const accepted = (n: number) => times<Judgement>(n, { kind: 'accepted' });
const edited = (n: number, distance: number) => times<Judgement>(n, { kind: 'edited', distance });
const q = (prior: number | null, reviews: Judgement[], votes: Array<{ kind: 'best' | 'tied' | 'lost' }> = []) =>
  blendQuality(prior, prior == null ? 'unrated' : 'general benchmark', summarise(reviews, votes));

describe('evidence model: the benchmark prior shrunk toward the user\'s judgements', () => {
  it('is the prior, from the benchmark, while there is no evidence', () => {
    expect(blendQuality(72, 'vision benchmark', undefined)).toEqual({ quality: 72, source: 'vision benchmark', weight: 0 });
    expect(blendQuality(null, 'unrated', summarise([]))).toEqual({ quality: null, source: 'unrated', weight: 0 });
  });

  it('ignores the first few judgements, lets the prior dominate a few more and the reviews dominate from 20 on', () => {
    for (let n = 1; n < MIN_EVIDENCE; n++) expect(q(60, times(n, { kind: 'rejected' })), `n = ${n}`).toEqual({ quality: 60, source: 'general benchmark', weight: 0 });
    const few = q(60, accepted(MIN_EVIDENCE));
    expect(few.quality).toBeGreaterThan(60);
    expect(few.weight).toBeLessThan(0.5);
    expect(few.source).toBe('general benchmark');
    expect(few.quality! - 60).toBeLessThan(40 - (few.quality! - 60)); // moved less than half way to 100
    const many = q(60, accepted(20));
    expect(many.weight).toBeGreaterThan(0.5);
    expect(many.source).toBe('your reviews');
    expect(many.quality! - 60).toBeGreaterThan(100 - many.quality!); // more than half way to 100
    // The weight grows with the count and nothing else.
    const weights = [5, 6, 10, 20, 40, 100].map((n) => q(60, accepted(n)).weight);
    expect(weights).toEqual([...weights].sort((a, b) => a - b));
    expect(q(60, edited(20, 0.5)).weight).toBe(many.weight);
  });

  it('scores each outcome: unedited over a small edit over a rewrite over a rejection or regeneration', () => {
    const by = (r: Judgement) => q(60, times(10, r)).quality!;
    expect(by({ kind: 'accepted' })).toBeGreaterThan(by({ kind: 'edited', distance: 0.1 }));
    expect(by({ kind: 'edited', distance: 0.1 })).toBeGreaterThan(by({ kind: 'edited', distance: 0.6 }));
    expect(by({ kind: 'edited', distance: 0.6 })).toBeGreaterThan(by({ kind: 'rejected' }));
    expect(by({ kind: 'rejected' })).toBe(by({ kind: 'regenerated' }));
    expect(by({ kind: 'rejected' })).toBeLessThan(60);
  });

  it('gives a model no benchmark rates a quality from evidence alone once there is enough of it', () => {
    expect(q(null, accepted(MIN_EVIDENCE - 1))).toEqual({ quality: null, source: 'unrated', weight: 0 });
    const enough = q(null, accepted(MIN_EVIDENCE));
    expect(enough.source).toBe('your reviews');
    expect(enough.quality).toBeGreaterThan(50);
    // Always accepted beats always edited, with nothing else to go on.
    expect(q(null, accepted(20)).quality!).toBeGreaterThan(q(null, edited(20, 0.4)).quality!);
    // Five accepted captions do not make an unknown model the best there is.
    expect(enough.quality!).toBeLessThan(80);
  });

  it('counts comparison votes: best over tied over not chosen, and names comparisons when they are most of the evidence', () => {
    const best = q(60, [], times(30, { kind: 'best' as const }));
    const tied = q(60, [], times(30, { kind: 'tied' as const }));
    const lost = q(60, [], times(30, { kind: 'lost' as const }));
    expect(best.quality!).toBeGreaterThan(tied.quality!);
    expect(tied.quality!).toBeGreaterThan(lost.quality!);
    expect(best.source).toBe('your comparisons');
    expect(q(60, accepted(20), times(5, { kind: 'best' as const })).source).toBe('your reviews');
  });

  it('changes the order of two models when the evidence says so, and not before enough of it', () => {
    // A benchmark-favoured model whose captions are always edited by a third, against one 15 points
    // lower whose captions are always accepted as written.
    const favoured = (n: number) => q(80, edited(n, 0.35)).quality!;
    const accepted_ = (n: number) => q(65, accepted(n)).quality!;
    expect(favoured(0)).toBeGreaterThan(accepted_(0));
    expect(favoured(1)).toBeGreaterThan(accepted_(1));
    expect(favoured(3)).toBeGreaterThan(accepted_(3));
    expect(favoured(20)).toBeLessThan(accepted_(20));
    // Once crossed, more of the same evidence keeps it crossed.
    const firstCrossed = Array.from({ length: 40 }, (_, n) => n).find((n) => favoured(n) < accepted_(n))!;
    expect(firstCrossed).toBeGreaterThanOrEqual(MIN_EVIDENCE);
    for (let n = firstCrossed; n < 60; n++) expect(favoured(n), `n = ${n}`).toBeLessThan(accepted_(n));
  });

  it('weighs the benchmark as PRIOR_WEIGHT reviews', () => {
    // Half the figure is the user's once they have made PRIOR_WEIGHT judgements.
    const half = q(40, accepted(PRIOR_WEIGHT));
    expect(half.weight).toBe(0.5);
    expect(half.quality).toBeCloseTo(70, 10);
  });

  it('summarises stored logs per model, leaving out empty ones', () => {
    const store: EvidenceStore = {
      'a/m': { reviews: [{ key: 'j/1', kind: 'accepted', at: 1 }, { key: 'j/2', kind: 'edited', distance: 0.5, at: 1 }], votes: [{ key: 'c/1', kind: 'best', at: 2 }] },
      'b/m': { reviews: [], votes: [] },
    };
    expect(summariseEvidence(store)).toEqual({
      'a/m': { reviews: 2, acceptedUnedited: 1, edited: 1, editedKept: 0.5, rejected: 0, regenerated: 0, comparisons: 1, won: 1, tied: 0, lost: 0 },
    });
  });
});

describe('turning a review into outcomes', () => {
  const item = (id: string, over: Partial<JobItem> = {}): JobItem => ({
    id, frameId: 0, selector: `#${id}`, src: `https://example.com/${id}.jpg`, oldAlt: null, state: 'done', alt: 'A red bicycle leaning on a wall',
    costUsd: 0.0003, cached: false, attempts: 1, ...over,
  });
  const job = (items: JobItem[]): Pick<Job, 'id' | 'modelId' | 'items'> => ({ id: 'job-1', modelId: 'acme/vision', items });
  const draft = (over: Partial<ReviewDraft>): ReviewDraft => ({ ...EMPTY_DRAFT, ...over });

  it('measures edits as a normalised edit distance, whitespace runs counted once', () => {
    expect(editDistance('A red bicycle', 'A red bicycle')).toBe(0);
    expect(editDistance('A red bicycle ', '  A red  bicycle')).toBe(0);
    expect(editDistance('A red bicycle', 'A red bicycles')).toBeCloseTo(1 / 14, 10);
    expect(editDistance('abc', 'xyz')).toBe(1);
    expect(editDistance('', 'A cat')).toBe(1);
    expect(editDistance('', '')).toBe(0);
  });

  it('records accepted, edited (with distance) and rejected suggestions of the job\'s model, each keyed by job and item', () => {
    const items = [item('a'), item('b'), item('c'), item('d'), item('e')];
    const update = reviewOutcomes(job(items), draft({
      edits: { b: 'A red bicycle leaning on a brick wall', c: '  A red bicycle leaning on a wall ', e: 'A red bicycle leaning on a wall' },
      rejected: ['d'],
    }), 1000);
    expect(update.modelId).toBe('acme/vision');
    expect(update.reviews).toEqual([
      { key: 'job-1/a', kind: 'accepted', at: 1000 },
      { key: 'job-1/b', kind: 'edited', distance: editDistance('A red bicycle leaning on a wall', 'A red bicycle leaning on a brick wall'), at: 1000 },
      { key: 'job-1/c', kind: 'accepted', at: 1000 }, // whitespace only
      { key: 'job-1/d', kind: 'rejected', at: 1000 },
      { key: 'job-1/e', kind: 'accepted', at: 1000 }, // edited back to the suggestion
    ]);
    expect(update.reviews![1].distance).toBeGreaterThan(0);
  });

  it('says nothing about failed, pending or cached items', () => {
    const items = [
      item('failed', { state: 'failed', alt: undefined, error: 'Image too large' }),
      item('queued', { state: 'queued', alt: undefined }),
      item('rejected-failure', { state: 'failed', alt: undefined }),
      item('cached', { cached: true }),
      item('ok'),
    ];
    const update = reviewOutcomes(job(items), draft({ rejected: ['rejected-failure', 'cached'] }), 5);
    expect(update.reviews).toEqual([{ key: 'job-1/ok', kind: 'accepted', at: 5 }]);
  });

  it('records a regeneration of a finished suggestion, once per request, and not of a failed one', () => {
    const j = job([item('a'), item('b', { state: 'failed', alt: undefined })]);
    expect(regenerationOutcome(j, 'a', 7)).toEqual({ modelId: 'acme/vision', reviews: [{ key: 'job-1/a/regenerated/7', kind: 'regenerated', at: 7 }] });
    expect(regenerationOutcome(j, 'a', 8)!.reviews![0].key).not.toBe(regenerationOutcome(j, 'a', 7)!.reviews![0].key);
    expect(regenerationOutcome(j, 'b', 7)).toBeNull();
    expect(regenerationOutcome(j, 'gone', 7)).toBeNull();
  });
});

describe('turning comparison choices into votes', () => {
  const choices: ComparisonChoice[] = [
    { key: 'run/1', models: ['a', 'b', 'c'], best: 'a' },
    { key: 'run/2', models: ['a', 'b', 'c'], best: 'all' },
    { key: 'run/3', models: ['a', 'b', 'c'], best: 'b' },
    { key: 'run/4', models: ['a', 'b', 'c'], best: null }, // not answered
    { key: 'run/5', models: ['a', 'b'], best: 'a' }, // c had no text for this image
    { key: 'run/6', models: ['a', 'b'], best: 'z' }, // names a model not shown: ignored
  ];

  it('gives every shown model one vote per answered image', () => {
    const votes = Object.fromEntries(comparisonVotes(choices, 9).map((u) => [u.modelId, u.votes!.map((v) => `${v.key}:${v.kind}`)]));
    expect(votes).toEqual({
      a: ['run/1:best', 'run/2:tied', 'run/3:lost', 'run/5:best'],
      b: ['run/1:lost', 'run/2:tied', 'run/3:best', 'run/5:lost'],
      c: ['run/1:lost', 'run/2:tied', 'run/3:lost'],
    });
  });

  it('tallies the choices for the summary, winner first', () => {
    expect(tallyComparison(choices)).toEqual([
      { modelId: 'a', shown: 4, best: 2, tied: 1 },
      { modelId: 'b', shown: 4, best: 1, tied: 1 },
      { modelId: 'c', shown: 3, best: 0, tied: 1 },
    ]);
  });
});

describe('stored evidence: bounded, keyed, clearable', () => {
  const review = (key: string, at: number, kind: ReviewOutcome['kind'] = 'accepted'): ReviewOutcome => ({ key, kind, at });

  it('replaces a judgement saved again under the same key instead of counting it twice', () => {
    let store = addEvidence({}, [{ modelId: 'm', reviews: [review('j/1', 1), review('j/2', 1)] }]);
    store = addEvidence(store, [{ modelId: 'm', reviews: [review('j/1', 2, 'rejected')] }]);
    expect(store.m.reviews.map((r) => `${r.key}:${r.kind}`)).toEqual(['j/2:accepted', 'j/1:rejected']);
    const votes = comparisonVotes([{ key: 'run/1', models: ['m', 'n'], best: 'm' }], 3);
    store = addEvidence(addEvidence(store, votes), comparisonVotes([{ key: 'run/1', models: ['m', 'n'], best: 'n' }], 4));
    expect(store.m.votes).toEqual([{ key: 'run/1', kind: 'lost', at: 4 }]);
    expect(store.n.votes).toEqual([{ key: 'run/1', kind: 'best', at: 4 }]);
  });

  it('keeps the latest records per model and the models judged most recently', () => {
    const limits = { reviews: 3, votes: 2, models: 2 };
    let store: EvidenceStore = {};
    for (let i = 0; i < 10; i++) store = addEvidence(store, [{ modelId: 'old', reviews: [review(`j/${i}`, i)] }], limits);
    expect(store.old.reviews.map((r) => r.key)).toEqual(['j/7', 'j/8', 'j/9']);
    store = addEvidence(store, [{ modelId: 'mid', reviews: [review('k/1', 20)] }], limits);
    store = addEvidence(store, [{ modelId: 'new', votes: [{ key: 'c/1', kind: 'tied', at: 30 }] }], limits);
    expect(Object.keys(store).sort()).toEqual(['mid', 'new']);
  });

  it('stays within what the schema accepts at the default limits', () => {
    let store: EvidenceStore = {};
    for (let m = 0; m < MAX_MODELS + 10; m++) {
      store = addEvidence(store, [{
        modelId: `vendor/model-${m}`,
        reviews: Array.from({ length: MAX_REVIEWS_PER_MODEL + 20 }, (_, i) => ({
          key: `${crypto.randomUUID()}/12:a8f3k2q9:${1000 + i}/regenerated/${Date.now()}`, kind: 'edited' as const, distance: 0.123456789, at: Date.now() + m * 1000 + i,
        })),
        votes: Array.from({ length: MAX_VOTES_PER_MODEL + 20 }, (_, i) => ({ key: `${crypto.randomUUID()}/${i}`, kind: 'tied' as const, at: Date.now() + m * 1000 + i })),
      }]);
    }
    expect(EvidenceStoreSchema.safeParse(store).success).toBe(true);
    expect(Object.keys(store)).toHaveLength(MAX_MODELS);
    expect(store[`vendor/model-${MAX_MODELS + 9}`].reviews).toHaveLength(MAX_REVIEWS_PER_MODEL);
    expect(store[`vendor/model-${MAX_MODELS + 9}`].votes).toHaveLength(MAX_VOTES_PER_MODEL);
    expect(store['vendor/model-0']).toBeUndefined();
    // What storage.local holds at the caps, with the longest keys the helpers make.
    expect(JSON.stringify(store).length).toBeLessThan(1_000_000);
  });

  it('forgets one model or all', () => {
    const store = addEvidence({}, [{ modelId: 'a', reviews: [review('j/1', 1)] }, { modelId: 'b', reviews: [review('j/2', 1)] }]);
    expect(Object.keys(withoutEvidence(store, 'a'))).toEqual(['b']);
    expect(withoutEvidence(store)).toEqual({});
    expect(Object.keys(store)).toEqual(['a', 'b']); // pure
  });

  it('rejects stored values that break its bounds or shapes', () => {
    expect(EvidenceStoreSchema.safeParse({ m: { reviews: [{ key: 'k', kind: 'loved', at: 1 }], votes: [] } }).success).toBe(false);
    expect(EvidenceStoreSchema.safeParse({ m: { reviews: [{ key: 'k', kind: 'edited', distance: 3, at: 1 }], votes: [] } }).success).toBe(false);
    expect(EvidenceStoreSchema.safeParse({ m: { reviews: times(MAX_REVIEWS_PER_MODEL + 1, review('k', 1)), votes: [] } }).success).toBe(false);
    expect(EvidenceStoreSchema.safeParse(Object.fromEntries(times(MAX_MODELS + 1, 0).map((_, i) => [`m${i}`, { reviews: [], votes: [] }]))).success).toBe(false);
  });
});
