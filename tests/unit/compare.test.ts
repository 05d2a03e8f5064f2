import { describe, expect, it } from 'vitest';
import type { Finding, FindingDetails } from '@/lib/scan/schema';
import { chooseComparisonImages, comparableCount, contextKind, sizeBucket } from '@/lib/compare/images';
import {
  comparedText, comparisonChoices, comparisonCost, comparisonCostSentence, comparisonWinner, costAndLatency, measuredUsdPer1k, summaryLines,
} from '@/lib/compare/summary';
import type { Job, JobItem } from '@/lib/jobs/schema';

const f = (n: number, over: Partial<Finding> = {}): Finding => ({
  id: `0:d:${n}`, frameId: 0, selector: '', kind: 'img', status: 'missing', reasons: [], alt: null, src: `https://a.example/${n}.png`,
  width: 0, height: 0, context: { pageTitle: 'T', lang: 'en' }, ...over,
});
const d = (n: number, width: number, height: number, context: Partial<FindingDetails['context']> = {}): FindingDetails => ({
  id: `0:d:${n}`, width, height, context: { pageTitle: 'T', lang: 'en', ...context },
});

describe('chooseComparisonImages', () => {
  it('takes images missing alt first, then suspicious, then decorative, then ok; never hidden ones', () => {
    const findings = [
      f(1, { status: 'ok', alt: 'A cat' }),
      f(2, { status: 'decorative', alt: '' }),
      f(3, { status: 'ignored' }),
      f(4, { status: 'suspicious', alt: 'IMG_1.jpg' }),
      f(5),
    ];
    expect(chooseComparisonImages(findings, 5)).toEqual(['0:d:5', '0:d:4', '0:d:2', '0:d:1']);
    expect(chooseComparisonImages(findings, 2)).toEqual(['0:d:5', '0:d:4']);
    expect(comparableCount(findings)).toBe(4);
  });

  it('prefers sizes, settings and kinds not yet taken over page order', () => {
    const findings = [1, 2, 3, 4, 5, 6].map((n) => f(n));
    const details = new Map([
      [f(1).id, d(1, 600, 400)], // large, alone
      [f(2).id, d(2, 600, 400)], // same again
      [f(3).id, d(3, 600, 400, { linkText: 'Home', linkHref: '/' })], // large, in a link
      [f(4).id, d(4, 64, 64)], // small, alone
      [f(5).id, d(5, 300, 200, { figcaption: 'A chart' })], // medium, figure
      [f(6).id, d(6, 600, 400)],
    ]);
    // 1 first (page order); then 5 (medium + figure: two new), then 3 or 4 (one new each: 3 in page order)...
    const chosen = chooseComparisonImages(findings, 4, details);
    expect(chosen[0]).toBe(f(1).id);
    expect(chosen[1]).toBe(f(5).id);
    expect(new Set(chosen.slice(2))).toEqual(new Set([f(3).id, f(4).id]));
    // Without the details every image looks alike: page order.
    expect(chooseComparisonImages(findings, 3)).toEqual([f(1).id, f(2).id, f(3).id]);
  });

  it('takes the same picture once and never more than asked or than 20', () => {
    const findings = [f(1), f(2, { src: f(1).src }), f(3), f(4, { kind: 'svg', src: null }), f(5, { kind: 'svg', src: null })];
    expect(chooseComparisonImages(findings, 10)).toEqual([f(1).id, f(4).id, f(3).id, f(5).id]);
    const many = Array.from({ length: 40 }, (_, i) => f(i + 1));
    expect(chooseComparisonImages(many, 100)).toHaveLength(20);
    expect(chooseComparisonImages(many, 0)).toEqual([]);
  });

  it('buckets sizes and names contexts', () => {
    expect([sizeBucket(0, 0), sizeBucket(100, 100), sizeBucket(300, 200), sizeBucket(800, 600)]).toEqual(['unknown', 'small', 'medium', 'large']);
    expect(contextKind({ pageTitle: '', lang: '', buttonText: 'Go' })).toBe('button');
    expect(contextKind({ pageTitle: '', lang: '', heading: 'News', nearbyText: 'x' })).toBe('heading');
    expect(contextKind({ pageTitle: '', lang: '' })).toBe('alone');
  });
});

const item = (id: string, over: Partial<JobItem> = {}): JobItem => ({
  id, frameId: 0, selector: '', src: null, oldAlt: null, state: 'done', alt: `text ${id}`, costUsd: 0.00025, cached: false, attempts: 1, ...over,
});
const job = (modelId: string, items: JobItem[]): Job => ({
  id: `job-${modelId}`, tabId: 1, pageUrl: 'https://a.example/', modelId, state: 'done', done: items.length, total: items.length,
  costUsd: 0, budgetUsd: 1, error: null, items, createdAt: 1, updatedAt: 1,
});

describe('comparison cost and summary', () => {
  const models = [
    { id: 'a', name: 'Luna', free: false, usdPer1kImages: 0.25 },
    { id: 'b', name: 'Sol', free: false, usdPer1kImages: 6 },
    { id: 'c', name: 'Gemma', free: true, usdPer1kImages: 0 },
  ];

  it('adds up every model for every image before running', () => {
    expect(comparisonCost(models, 5).usd).toBeCloseTo((0.25 + 6) * 5 / 1000);
    expect(comparisonCostSentence(models, 5)).toBe('5 images × 3 models = 15 descriptions: about $0.03 in all (descriptions AltScout already has cost nothing).');
    expect(comparisonCostSentence([...models, { id: 'd', name: 'X', free: false, usdPer1kImages: null }], 1)).toContain('plus one model with no published price');
    expect(comparisonCostSentence([models[2]], 2)).toContain(': free');
  });

  it('says per model how often it was chosen or tied, at its measured cost per 1,000 images', () => {
    const run = { id: 'r', images: [1, 2, 3, 4, 5].map((n) => ({ id: `i${n}`, src: null })), models: [{ id: 'a', name: 'GPT-5.6 Luna' }, { id: 'b', name: 'GPT-5.6 Sol' }] };
    const choices = comparisonChoices({ ...run, choices: { i1: 'a', i2: 'a', i3: 'all', i4: 'a', i5: 'b' } });
    expect(choices[0]).toEqual({ key: 'r/i1', models: ['a', 'b'], best: 'a' });
    const jobs = { a: job('a', [item('i1'), item('i2', { cached: true, costUsd: 0 })]), b: job('b', [item('i1', { costUsd: 0.006 })]) };
    const lines = summaryLines(choices, run.models, (m) => measuredUsdPer1k(jobs[m as 'a' | 'b']));
    expect(lines.map((l) => l.sentence)).toEqual([
      'GPT-5.6 Luna: best or tied on 4 of 5 at $0.25 per 1,000 images',
      'GPT-5.6 Sol: best or tied on 2 of 5 at $6.00 per 1,000 images',
    ]);
    expect(comparisonWinner(lines)).toBe('a');
    // Unanswered images do not count; a tie at the top names no winner.
    const even = summaryLines(comparisonChoices({ ...run, choices: { i1: 'a', i2: 'b' } }), run.models, () => null);
    expect(even.map((l) => l.sentence)).toEqual(['GPT-5.6 Luna: best or tied on 1 of 2, price unknown', 'GPT-5.6 Sol: best or tied on 1 of 2, price unknown']);
    expect(comparisonWinner(even)).toBeNull();
  });

  it('measures cost from the paid descriptions, else falls back to the ranking', () => {
    expect(measuredUsdPer1k(job('a', [item('x', { cached: true, costUsd: 0 })]), { free: false, usdPer1kImages: 0.3 })).toBe(0.3);
    expect(measuredUsdPer1k(null, { free: true, usdPer1kImages: 0 })).toBe(0);
    expect(measuredUsdPer1k(job('a', [item('x', { costUsd: 0.001 }), item('y', { costUsd: 0.003 })]))).toBeCloseTo(2);
  });

  it("shows each text's cost and latency, and says when it cost nothing", () => {
    const j = job('a', [item('x', { latencyMs: 1234 }), item('y', { cached: true, costUsd: 0 }), item('z', { state: 'running', alt: undefined })]);
    expect(costAndLatency(comparedText('a', j, 'x'))).toBe('$0.00025 · 1.2 s');
    expect(costAndLatency(comparedText('a', j, 'y'))).toBe('described before: no charge');
    expect(costAndLatency(comparedText('a', j, 'z'))).toBe('waiting…');
    expect(comparedText('a', null, 'x').state).toBe('not started');
  });
});
