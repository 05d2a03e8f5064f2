import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '@/lib/catalog/parse';
import type { Catalog, Model } from '@/lib/catalog/schema';
import { buildMmmuIndex, matchMmmu, nameKey } from '@/lib/ranking/mmmu';
import mmmuTable from '@/lib/ranking/mmmu.json';
import { baseId } from '@/lib/ranking/quality';
import { onlyTier, rankModels, type RankResult } from '@/lib/ranking/rank';
import { RankingSchema, type RankedModel } from '@/lib/ranking/schema';

const SHARED = '../shared/data/openrouter-models-2026-08-19.json';
const raw = existsSync(SHARED) ? (JSON.parse(readFileSync(SHARED, 'utf8')) as { data: Array<Record<string, any>> }) : null;
const NOW = Date.parse('2026-08-19T12:00:00Z');

// The public "top picks" lists the issue names; each must be a candidate of its task.
const CAPTIONING_PICKS = ['meta-llama/llama-4-maverick', 'qwen/qwen3.7-plus', 'google/gemini-3.1-flash-lite', 'google/gemini-2.5-flash', 'openai/gpt-5.4-mini', 'anthropic/claude-haiku-4.5'];
const GENERATION_PICKS = ['openai/gpt-5-image', 'google/gemini-2.5-flash-image', 'openai/gpt-5-image-mini', 'google/gemini-3-pro-image-preview', 'google/gemini-3.1-flash-image-preview'];

const status = { source: 'live' as const, fetchedAt: NOW, error: null, ranked: true, skipped: 0 };
const tierIds = (r: RankResult) => Object.values(r.tiers).flatMap((t) => [t.pick, ...t.runnersUp]).filter(Boolean) as string[];

describe.runIf(raw)('ranking the real shared catalog', () => {
  const catalog = parseCatalog(raw!);
  const captioning = rankModels(catalog, { task: 'captioning', now: NOW });
  const generation = rankModels(catalog, { task: 'generation', now: NOW });
  const byId = new Map(captioning.models.map((m) => [m.id, m]));

  it('takes exactly the models with image in and text out, minus sentinels, as captioning candidates', () => {
    const expected = raw!.data
      .filter((m) => m.architecture.input_modalities.includes('image') && m.architecture.output_modalities.includes('text'))
      .filter((m) => !Object.values(m.pricing).includes('-1'))
      .map((m) => m.id)
      .sort();
    expect(expected).toHaveLength(243); // 245 in the snapshot, 2 of them openrouter/auto sentinels
    expect(captioning.models.map((m) => m.id).sort()).toEqual(expected);
  });

  it('takes the image-output models as generation candidates', () => {
    const expected = raw!.data.filter((m) => m.architecture.output_modalities.includes('image') && m.pricing.prompt !== '-1').map((m) => m.id).sort();
    expect(generation.models.map((m) => m.id).sort()).toEqual(expected);
    expect(generation.models).toHaveLength(9);
  });

  it('keeps the public top picks as candidates of their task', () => {
    for (const id of CAPTIONING_PICKS) expect(byId.has(id), id).toBe(true);
    for (const id of GENERATION_PICKS) expect(generation.models.some((m) => m.id === id), id).toBe(true);
  });

  it('fills every captioning tier with a pick and runners-up, and the generation tiers it can', () => {
    for (const [tier, t] of Object.entries(captioning.tiers)) {
      expect(t.pick, tier).not.toBeNull();
      expect(t.runnersUp.length, tier).toBe(3);
    }
    expect(generation.tiers.free.pick).toBeNull(); // no free image model exists
    for (const tier of ['budget', 'balanced', 'best'] as const) expect(generation.tiers[tier].pick, tier).not.toBeNull();
  });

  it('never puts a free model in a paid tier, nor a paid one in Free', () => {
    for (const r of [captioning, generation]) {
      const byIdR = new Map(r.models.map((m) => [m.id, m]));
      for (const [tier, t] of Object.entries(r.tiers)) {
        for (const id of [t.pick, ...t.runnersUp].filter(Boolean) as string[]) {
          const m = byIdR.get(id)!;
          expect(m.free, `${id} in ${tier}`).toBe(tier === 'free');
          expect(m.id.endsWith(':free') && tier !== 'free', id).toBe(false);
          expect(m.tier).toBe(tier);
        }
      }
    }
  });

  it('recommends each model once across the tiers', () => {
    const ids = tierIds(captioning);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('orders by the tier definitions: Best by quality, Budget among the cheapest paid models', () => {
    const best = byId.get(captioning.tiers.best.pick!)!;
    const paidRated = captioning.models.filter((m) => m.recommended && !m.free && m.quality != null);
    expect(best.quality).toBe(Math.max(...paidRated.map((m) => m.quality!)));
    const budget = byId.get(captioning.tiers.budget.pick!)!;
    const paidCosts = captioning.models.filter((m) => m.recommended && !m.free).map((m) => m.usdPer1kImages!).sort((a, b) => a - b);
    expect(budget.usdPer1kImages!).toBeLessThanOrEqual(paidCosts[Math.ceil(paidCosts.length / 4) - 1]);
    expect(budget.usdPer1kImages!).toBeLessThan(best.usdPer1kImages! / 5);
  });

  it('has no ties among the top 15 unless their inputs are equal', () => {
    const top = captioning.models.slice(0, 15);
    for (let i = 1; i < top.length; i++) {
      const [a, b] = [top[i - 1], top[i]];
      expect(a.score!, `${a.id} vs ${b.id}`).toBeGreaterThanOrEqual(b.score!);
      if (a.score === b.score) expect([a.quality, a.usdPer1kImages, a.latencySeconds]).toEqual([b.quality, b.usdPer1kImages, b.latencySeconds]);
    }
    expect(new Set(top.map((m) => m.score)).size).toBe(15);
    expect(new Set(top.map((m) => m.quality)).size).toBeGreaterThan(10);
  });

  it('explains every model: quality or unrated, price per 1,000 images, reasoning', () => {
    for (const m of captioning.models) {
      const text = m.reasons.join(', ');
      expect(text, m.id).toMatch(/AA index|MMMU|unrated/);
      expect(text, m.id).toMatch(/per 1,000 images|free/);
      expect(text, m.id).toMatch(/no reasoning|reasoning off|mandatory reasoning/);
    }
    expect(byId.get('meta-llama/llama-4-maverick')!.reasons).toEqual(['AA index 14.5', 'MMMU 73.4', '$0.31 per 1,000 images', 'no reasoning', '~1.9 s (estimate)']);
  });

  it('ranks unrated models after rated ones and marks them, without dropping them', () => {
    const recommended = captioning.models.filter((m) => m.recommended);
    const firstUnrated = recommended.findIndex((m) => m.quality == null);
    expect(firstUnrated).toBeGreaterThan(0);
    expect(recommended.slice(firstUnrated).every((m) => m.quality == null && m.reasons.includes('unrated'))).toBe(true);
  });

  it('resolves ~…-latest aliases to their target scores and does not recommend them', () => {
    const alias = byId.get('~openai/gpt-latest')!;
    const target = byId.get('openai/gpt-5.6-sol')!;
    expect(alias.quality).toBe(target.quality);
    expect(alias.reasons).toContain('scores of openai/gpt-5.6-sol');
    expect(alias.recommended).toBe(false);
    expect(alias.tier).toBeNull();
  });

  it('lets an unrated variant borrow its base model\'s scores, saying so', () => {
    const lite = byId.get('google/gemini-3.1-flash-lite')!;
    expect(lite.quality).toBe(byId.get('google/gemini-3.1-flash-lite-preview')!.quality);
    expect(lite.reasons).toContain('scores of google/gemini-3.1-flash-lite-preview');
  });

  it('does not recommend the same model twice (alias, dated, preview, batch copies)', () => {
    const recommended = captioning.models.filter((m) => m.recommended);
    const keys = recommended.map((m) => `${baseId(m.id)}${m.free ? ':free' : ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(recommended.some((m) => m.id.startsWith('~') || m.id.endsWith(':batch') || m.id.startsWith('openrouter/'))).toBe(false);
  });

  it('retires models by the injected clock', () => {
    const id = 'nvidia/nemotron-nano-12b-v2-vl:free';
    const before = rankModels(catalog, { task: 'captioning', now: Date.parse('2026-08-20') }).models.find((m) => m.id === id)!;
    const after = rankModels(catalog, { task: 'captioning', now: Date.parse('2026-08-25') }).models.find((m) => m.id === id)!;
    expect(before.recommended).toBe(true);
    expect(before.reasons).toContain('retires on 2026-08-24');
    expect(after.recommended).toBe(false);
    expect(after.reasons).toContain('retired on 2026-08-24');
    expect(after.tier).toBeNull();
  });

  it('prefers measured cost and the median measured latency over its estimates', () => {
    const id = 'meta-llama/llama-4-maverick';
    const measured = rankModels(catalog, {
      task: 'captioning',
      now: NOW,
      stats: { [id]: { runs: 4, totalCostUsd: 0.004, latenciesMs: [900, 1100, 30000, 1000] } },
    }).models.find((m) => m.id === id)!;
    expect(measured.costSource).toBe('measured');
    expect(measured.usdPer1kImages).toBeCloseTo(1.0, 10);
    expect(measured.latencySeconds).toBe(1.05);
    expect(measured.reasons).toContain('measured $1.00 per 1,000 images');
    expect(measured.reasons).toContain('median 1.1 s over your 4 runs');
    expect(byId.get(id)!.costSource).toBe('estimate');
  });

  it('uses OpenRouter endpoint latency when it has one, and slower means lower speed', () => {
    const id = 'openai/gpt-5.6-luna';
    const fast = rankModels(catalog, { task: 'captioning', now: NOW, endpointLatency: { [id]: 0.3 } }).models.find((m) => m.id === id)!;
    const slow = rankModels(catalog, { task: 'captioning', now: NOW, endpointLatency: { [id]: 9 } }).models.find((m) => m.id === id)!;
    expect(fast.speed!).toBeGreaterThan(slow.speed!);
    expect(fast.score!).toBeGreaterThan(slow.score!);
    expect(slow.reasons.join()).toMatch(/OpenRouter latency/);
  });

  it('penalises mandatory reasoning in speed', () => {
    const mandatory = captioning.models.filter((m) => m.reasoning === 'mandatory' && m.costSource === 'estimate');
    const none = captioning.models.filter((m) => m.reasoning !== 'mandatory');
    expect(Math.max(...mandatory.map((m) => m.speed!))).toBeLessThan(Math.min(...none.map((m) => m.speed!)));
  });

  it('is pure: the same inputs give the same ranking, and the catalog is not changed', () => {
    const before = JSON.stringify(catalog);
    expect(rankModels(catalog, { task: 'captioning', now: NOW })).toEqual(captioning);
    expect(JSON.stringify(catalog)).toBe(before);
  });

  it('produces output the message schema accepts, and a tier filter keeps its order', () => {
    const ranking = RankingSchema.parse({ ...captioning, catalog: status });
    const free = onlyTier(ranking, 'free');
    expect(free.models.map((m) => m.id)).toEqual([ranking.tiers.free.pick, ...ranking.tiers.free.runnersUp]);
    expect(free.models.every((m: RankedModel) => m.free)).toBe(true);
  });

  it('ranks generation by image elo', () => {
    const rated = generation.models.filter((m) => m.quality != null && m.recommended);
    expect(rated[0].reasons[0]).toMatch(/^image elo \d+$/);
    const best = generation.models.find((m) => m.id === generation.tiers.best.pick)!;
    expect(best.quality).toBe(Math.max(...rated.map((m) => m.quality!)));
  });
});

describe('small catalogs', () => {
  const m = (id: string, over: Partial<Model> = {}): Model => ({
    id, name: id, created: null, contextLength: null, input: ['text', 'image'], output: ['text'], tokenizer: 'Claude',
    pricing: { prompt: 1e-6, completion: 5e-6, image: 0, request: 0, internalReasoning: 0, imageOutput: 0, imageToken: 0, overrides: [] },
    parameters: [], reasoning: null, aaIndex: 40, arena: {}, aliasOf: null, expires: null, ...over,
  });

  it('ties only models whose inputs are equal, ordered by id', () => {
    const catalog: Catalog = { kind: 'openrouter', skipped: 0, models: [m('b/twin'), m('a/twin'), m('c/other', { aaIndex: 41 })] };
    const r = rankModels(catalog, { task: 'captioning', now: NOW });
    expect(r.models.map((x) => x.id)).toEqual(['c/other', 'a/twin', 'b/twin']);
    expect(r.models[1].score).toBe(r.models[2].score);
  });

  it('lists a custom server\'s ids unranked', () => {
    const r = rankModels({ kind: 'custom', skipped: 0, models: [m('llava:13b', { aaIndex: null, input: [], output: [] })] }, { task: 'captioning', now: NOW });
    expect(r.models[0]).toMatchObject({ id: 'llava:13b', quality: null, usdPer1kImages: null, costSource: 'unknown', tier: null });
    expect(r.tiers.best.pick).toBeNull();
  });
});

describe('MMMU name matching', () => {
  const index = buildMmmuIndex(mmmuTable.rows);
  const score = (name: string) => matchMmmu(index, name)?.name ?? null;

  it.each([
    ['Meta: Llama 4 Maverick', 'Llama 4 Maverick'],
    ['Google: Gemma 3 27B', 'Gemma 3-27B'],
    ['Google: Gemini 2.5 Pro', 'Gemini 2.5 Pro 05-06'],
    ['Google: Gemini 3.1 Pro Preview', 'Gemini 3.1 Pro Thinking (High)'],
    ['Anthropic: Claude Sonnet 4.6', 'Claude Sonnet 4.6 w/o tools'],
    ['Anthropic: Claude Sonnet 4.6 (batch)', 'Claude Sonnet 4.6 w/o tools'],
    ['OpenAI: GPT-4o-mini', 'GPT-4o mini'],
    ['OpenAI: o4 Mini', 'o4-mini'],
    ['OpenAI: GPT-5', 'GPT-5 w/o thinking'],
    ['Qwen: Qwen2.5 VL 72B Instruct', 'Qwen2.5-VL 72B'],
    ['Qwen: Qwen3 VL 235B A22B Instruct', 'Qwen3-VL 235B-A22B'],
    ['Amazon: Nova Pro 1.0', 'Nova Pro'],
  ])('matches %s to "%s"', (catalogName, leaderboardName) => {
    expect(score(catalogName)).toBe(leaderboardName);
  });

  it.each(['Google: Gemini 3.7 Flash', 'Meta: Llama Guard 4 12B', 'Google: Gemini 2.5 Flash Lite', 'OpenAI: GPT-5 Mini', 'Anthropic: Claude Opus 5', 'Mistral: Mistral Large 3 2512'])(
    'does not match %s to a different model',
    (name) => {
      expect(score(name)).toBeNull();
    },
  );

  it('keys ignore vendor, dates and punctuation but keep sizes and versions', () => {
    expect(nameKey('OpenAI: GPT-4o (2024-11-20)')).toBe('gpt 4o');
    expect(nameKey('Gemma 3-4B')).not.toBe(nameKey('Gemma 3-12B'));
    expect(nameKey('GPT‑4.5')).toBe('gpt 4.5');
  });

  it('puts MMMU-Pro-only rows on the MMMU scale', () => {
    const opus46 = mmmuTable.rows.find((r) => r.name === 'Claude Opus 4.6 w/o tools')!;
    const { slope, intercept } = mmmuTable.proToMmmu;
    expect(opus46.score).toBeCloseTo(intercept + slope * 73.9, 1);
    expect(mmmuTable.rows.find((r) => r.name === 'GPT-5.1')!.score).toBe(85.4); // validation score kept as is
  });
});
