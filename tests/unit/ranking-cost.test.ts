import { describe, expect, it } from 'vitest';
import type { Model } from '@/lib/catalog/schema';
import { costPerRequest, estimateUsdPerRequest, isFree, requestTokens } from '@/lib/ranking/cost';
import { formatUsd } from '@/lib/money';
import { DEFAULT_IMAGE_TOKENS, imageFamily, imageTokens } from '@/lib/ranking/image-tokens';
import { CAPTION_REQUEST, mandatoryReasoningTokens } from '@/lib/ranking/profiles';

const model = (id: string, tokenizer: string | null, over: Partial<Model> = {}): Model => ({
  id, name: id, created: null, contextLength: null, input: ['text', 'image'], output: ['text'], tokenizer,
  pricing: { prompt: 2e-7, completion: 8e-7, image: 0, request: 0, internalReasoning: 0, imageOutput: 0, imageToken: 0, overrides: [] },
  parameters: [], reasoning: null, aaIndex: null, arena: {}, aliasOf: null, expires: null, ...over,
});
const SENT = CAPTION_REQUEST.image; // 768 × 576

describe('image tokens by family (768 × 576, the size the pipeline sends)', () => {
  it.each([
    // id, tokenizer, family, tokens, how
    ['openai/gpt-4o', 'GPT', 'openai-tiles', 765, '85 + 170 × (2 × 2 tiles of 512)'],
    ['openai/gpt-4.1', 'GPT', 'openai-tiles', 765, '85 + 170 × 4'],
    ['openai/gpt-5.4', 'GPT', 'openai-tiles', 630, '70 + 140 × 4'],
    ['openai/o3', 'GPT', 'openai-tiles', 675, '75 + 150 × 4'],
    ['openai/gpt-4o-mini', 'GPT', 'openai-tiles', 25501, '2833 + 5667 × 4'],
    ['openai/gpt-4.1-mini', 'GPT', 'openai-patches', 700, '24 × 18 patches of 32 px × 1.62'],
    ['openai/gpt-5-nano', 'GPT', 'openai-patches', 1063, '432 × 2.46'],
    ['openai/o4-mini', 'GPT', 'openai-patches', 744, '432 × 1.72'],
    ['anthropic/claude-sonnet-4.5', 'Claude', 'claude', 590, '768 × 576 / 750'],
    ['google/gemini-2.5-flash', 'Gemini', 'gemini', 258, 'one 768 px tile'],
    ['google/gemini-3.7-flash', 'Gemini', 'gemini-3', 1120, 'media_resolution high'],
    ['google/gemma-3-27b-it', 'Gemini', 'gemma-3', 256, 'fixed 896² input'],
    ['qwen/qwen2.5-vl-72b-instruct', 'Qwen', 'qwen2.5-vl', 569, '27 × 21 patches of 28 px + 2'],
    ['qwen/qwen3-vl-8b-instruct', 'Qwen3', 'qwen3-vl', 434, '24 × 18 patches of 32 px + 2'],
    ['meta-llama/llama-4-maverick', 'Llama4', 'llama-4', 1008, '(3 × 2 tiles of 336 + 1 global) × 144'],
    ['mistralai/mistral-small-3.2-24b-instruct', 'Mistral', 'mistral', 609, '28 × 21 patches + 21 row breaks'],
    ['x-ai/grok-4.3', 'Grok', 'grok', 1025, '2 × 2 tiles of 448 × 256 + 1'],
    ['amazon/nova-pro-v1', 'Nova', 'nova', 590, '768 × 576 / 750'],
    ['rekaai/reka-edge', 'Other', 'default', DEFAULT_IMAGE_TOKENS, 'no published rule'],
  ])('%s (%s): %s → %i tokens (%s)', (id, tokenizer, family, tokens) => {
    const m = model(id, tokenizer);
    expect(imageFamily(m)).toBe(family);
    expect(imageTokens(m, SENT)).toBe(tokens);
  });

  it('follows each rule with image size', () => {
    const gemini = model('google/gemini-2.5-flash', 'Gemini');
    expect(imageTokens(gemini, { width: 300, height: 200 })).toBe(258);
    expect(imageTokens(gemini, { width: 1536, height: 768 })).toBe(516);
    const claude = model('anthropic/claude-haiku-4.5', 'Claude');
    expect(imageTokens(claude, { width: 384, height: 288 })).toBe(148);
    const gpt = model('openai/gpt-4o', 'GPT');
    expect(imageTokens(gpt, { width: 512, height: 512 })).toBe(255);
    expect(imageTokens(gpt, { width: 4096, height: 4096 })).toBe(85 + 170 * 4); // fit 2048, short side 768
    const grok = model('x-ai/grok-4.3', 'Grok');
    expect(imageTokens(grok, { width: 4000, height: 4000 })).toBe(256 * 6 + 1); // at most 6 tiles
    const patches = model('openai/gpt-4.1-mini', 'GPT');
    expect(imageTokens(patches, { width: 2048, height: 2048 })).toBeLessThanOrEqual(Math.ceil(1536 * 1.62));
  });
});

describe('cost of one captioning request', () => {
  it('prices text, image, answer, fees and mandatory reasoning', () => {
    const maverick = model('meta-llama/llama-4-maverick', 'Llama4');
    // (400 text + 1008 image) × $0.20/M + 40 answer × $0.80/M
    expect(estimateUsdPerRequest(maverick, 'captioning')).toBeCloseTo(1408 * 2e-7 + 40 * 8e-7, 12);

    const withFees = model('meta-llama/llama-4-maverick', 'Llama4', {
      pricing: { ...maverick.pricing, image: 0.001, request: 0.0005 },
    });
    expect(estimateUsdPerRequest(withFees, 'captioning') - estimateUsdPerRequest(maverick, 'captioning')).toBeCloseTo(0.0015, 12);

    const reasoning = model('x/thinker', 'Claude', { reasoning: { mandatory: true, efforts: ['high', 'low'], defaultEffort: 'high' } });
    expect(mandatoryReasoningTokens(reasoning)).toBe(350); // the lowest effort it accepts
    expect(requestTokens(reasoning, 'captioning').reasoning).toBe(350);
    const priced = model('x/thinker', 'Claude', { reasoning: reasoning.reasoning, pricing: { ...reasoning.pricing, internalReasoning: 1e-5 } });
    expect(estimateUsdPerRequest(priced, 'captioning') - estimateUsdPerRequest(reasoning, 'captioning')).toBeCloseTo(350 * (1e-5 - 8e-7), 12);
    const optional = model('x/optional', 'Claude', { reasoning: { mandatory: false, efforts: ['high'], defaultEffort: 'high' } });
    expect(mandatoryReasoningTokens(optional)).toBe(0);
  });

  it('counts an alias\'s image tokens by the model it points to', () => {
    const alias = model('~openai/gpt-mini-latest', 'Router', { aliasOf: 'openai/gpt-5.4-mini' });
    expect(requestTokens(alias, 'captioning').image).toBe(imageTokens(model('openai/gpt-5.4-mini', 'GPT'), SENT));
    expect(requestTokens(alias, 'captioning').image).toBe(700);
  });

  it('uses an image-token price when the catalog gives one', () => {
    const m = model('anthropic/claude-haiku-4.5', 'Claude', { pricing: { ...model('x', 'Claude').pricing, imageToken: 1e-6 } });
    expect(estimateUsdPerRequest(m, 'captioning')).toBeCloseTo(400 * 2e-7 + 590 * 1e-6 + 40 * 8e-7, 12);
  });

  it('applies a long-prompt override only from its threshold', () => {
    const m = model('x/long', 'Claude', { pricing: { ...model('x', 'Claude').pricing, overrides: [{ minPromptTokens: 200000, prompt: 1, completion: 1 }] } });
    expect(estimateUsdPerRequest(m, 'captioning')).toBeLessThan(0.01);
    const low = model('x/low', 'Claude', { pricing: { ...model('x', 'Claude').pricing, overrides: [{ minPromptTokens: 100, prompt: 1e-5, completion: null }] } });
    expect(estimateUsdPerRequest(low, 'captioning')).toBeCloseTo(990 * 1e-5 + 40 * 8e-7, 12);
  });

  it('is monotone in every price', () => {
    const families = [['openai/gpt-5.4', 'GPT'], ['anthropic/claude-opus-5', 'Claude'], ['google/gemini-3.7-flash', 'Gemini'], ['qwen/qwen3.7-plus', 'Qwen']];
    const keys = ['prompt', 'completion', 'image', 'request', 'internalReasoning', 'imageToken'] as const;
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (const [id, tok] of families) {
      for (let trial = 0; trial < 50; trial++) {
        const base = model(id, tok, { reasoning: { mandatory: true, efforts: ['low'], defaultEffort: 'low' } });
        for (const k of keys) base.pricing[k] = rand() * 1e-5;
        const key = keys[trial % keys.length];
        const higher = { ...base, pricing: { ...base.pricing, [key]: base.pricing[key] * (1 + rand()) + 1e-9 } };
        expect(estimateUsdPerRequest(higher, 'captioning'), `${id} ${key}`).toBeGreaterThan(estimateUsdPerRequest(base, 'captioning'));
      }
    }
  });

  it('prices a generated image by its output image tokens', () => {
    const gen = model('google/gemini-2.5-flash-image', 'Gemini', { output: ['image', 'text'], pricing: { ...model('x', 'Gemini').pricing, imageOutput: 3e-5 } });
    expect(estimateUsdPerRequest(gen, 'generation')).toBeCloseTo(120 * 2e-7 + 40 * 8e-7 + 1290 * 3e-5, 12);
  });

  it('knows free models by price or by the :free suffix', () => {
    const zero = { ...model('x', 'Other').pricing, prompt: 0, completion: 0 };
    expect(isFree(model('google/gemma-4-31b-it:free', 'Gemma'))).toBe(true);
    expect(isFree(model('x/zero', 'Other', { pricing: zero }))).toBe(true);
    expect(isFree(model('x/per-request', 'Other', { pricing: { ...zero, request: 0.01 } }))).toBe(false);
    expect(isFree(model('x/paid', 'Other'))).toBe(false);
  });

  it('formats prices for people', () => {
    expect(formatUsd(0.2136)).toBe('$0.21');
    expect(formatUsd(0.00423)).toBe('$0.0042');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(3.175)).toBe('$3.18');
    expect(formatUsd(999.999)).toBe('$1,000.00');
  });
});

describe('what one request costs (the ranking and a job\'s budget check both ask here)', () => {
  const m = model('google/gemini-2.5-flash', 'Gemini');
  it('uses what the user was charged when there are runs, else the estimate, else nothing', () => {
    expect(costPerRequest(m, 'captioning', { runs: 4, totalCostUsd: 0.004 })).toEqual({ usd: 0.001, source: 'measured' });
    expect(costPerRequest(m, 'captioning', { runs: 0, totalCostUsd: 0 })).toEqual({ usd: estimateUsdPerRequest(m, 'captioning'), source: 'estimate' });
    expect(costPerRequest(model('x/y:free', null), 'captioning')).toEqual({ usd: 0, source: 'estimate' });
    expect(costPerRequest(undefined, 'captioning', { runs: 2, totalCostUsd: 0.01 })).toEqual({ usd: 0.005, source: 'measured' });
    expect(costPerRequest(undefined, 'captioning')).toBeNull();
  });
});
