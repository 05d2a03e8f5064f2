import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fetchCatalog, modelsUrl, parseCatalogText } from '@/lib/catalog/fetch';
import { CatalogError, parseCatalog } from '@/lib/catalog/parse';
import { offlineSnapshot } from '@/lib/catalog/snapshot';
import { isCandidate } from '@/lib/ranking/profiles';

const SHARED = '../shared/data/openrouter-models-2026-08-19.json';
const sharedText = existsSync(SHARED) ? readFileSync(SHARED, 'utf8') : null;
const shared = sharedText ? (JSON.parse(sharedText) as { data: Array<Record<string, any>> }) : null;

const model = (over: Record<string, unknown> = {}) => ({
  id: 'vendor/model',
  name: 'Vendor: Model',
  architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'], tokenizer: 'Other' },
  pricing: { prompt: '0.000001', completion: '0.000002' },
  ...over,
});

describe.runIf(shared)('parsing the real shared catalog', () => {
  const catalog = parseCatalog(shared!);

  it('keeps every readable model and counts the -1 sentinels as skipped', () => {
    const sentinels = shared!.data.filter((m) => Object.values(m.pricing).includes('-1')).length;
    expect(sentinels).toBe(5);
    expect(catalog.skipped).toBe(sentinels);
    expect(catalog.models).toHaveLength(shared!.data.length - sentinels);
    expect(catalog.kind).toBe('openrouter');
  });

  it('turns price strings into numbers and keeps image, request and override prices', () => {
    const flash = catalog.models.find((m) => m.id === 'google/gemini-2.5-flash')!;
    expect(flash.pricing.prompt).toBe(0.0000003);
    expect(flash.pricing.image).toBe(0.0000003);
    expect(flash.pricing.request).toBe(0);
    const grok = catalog.models.find((m) => m.id === 'x-ai/grok-4.6')!;
    expect(grok.pricing.overrides).toEqual([{ minPromptTokens: 200000, prompt: 0.000004, completion: 0.000012 }]);
  });

  it('keeps what ranking needs: benchmarks, reasoning, aliases, expiry', () => {
    const maverick = catalog.models.find((m) => m.id === 'meta-llama/llama-4-maverick')!;
    expect(maverick.aaIndex).toBe(14.5);
    expect(maverick.tokenizer).toBe('Llama4');
    const image = catalog.models.find((m) => m.id === 'openai/gpt-5-image')!;
    expect(image.arena.image).toBe(1211);
    expect(catalog.models.find((m) => m.id === '~openai/gpt-latest')!.aliasOf).toBe('openai/gpt-5.6-sol');
    expect(catalog.models.find((m) => m.id === 'nvidia/nemotron-nano-12b-v2-vl:free')!.expires).toBe('2026-08-24');
    expect(catalog.models.find((m) => m.id === 'google/gemini-3.7-flash')!.reasoning?.mandatory).toBe(true);
  });
});

describe('tolerance of drift', () => {
  it('lets unknown fields pass and treats a missing price key as 0', () => {
    const c = parseCatalog({ data: [model({ brand_new_field: { x: 1 }, pricing: { prompt: '0.000001' } })] });
    expect(c.models[0].pricing.completion).toBe(0);
    expect(c.models[0].pricing.image).toBe(0);
  });

  it('skips and counts malformed entries instead of failing', () => {
    const c = parseCatalog({
      data: [
        model({ id: 'ok/one' }),
        model({ id: 42 }),
        model({ id: 'bad/price', pricing: { prompt: 'cheap', completion: '0' } }),
        model({ id: 'no/pricing', pricing: undefined }),
        'not an object',
        null,
        model({ id: 'router/x', pricing: { prompt: '-1', completion: '-1' } }),
        model({ id: 'ok/one' }),
        model({ id: 'ok/two', architecture: 'garbled', reasoning: 'yes', benchmarks: { artificial_analysis: 'n/a', design_arena: [{ elo: 'x' }, { category: 'image', elo: 1100 }] } }),
      ],
    });
    expect(c.models.map((m) => m.id)).toEqual(['ok/one', 'ok/two']);
    expect(c.skipped).toBe(7);
    // A garbled architecture degrades to defaults rather than dropping the model.
    expect(c.models[1].input).toEqual(['text']);
    expect(c.models[1].aaIndex).toBeNull();
    expect(c.models[1].arena).toEqual({ image: 1100 });
  });

  it('reads an OpenAI-style list of ids (Ollama, LM Studio, vLLM) as a custom, unranked catalog', () => {
    const c = parseCatalog({ object: 'list', data: [{ id: 'llava:13b', object: 'model', owned_by: 'library' }, { id: 'qwen2.5vl:7b', object: 'model' }] });
    expect(c.kind).toBe('custom');
    expect(c.models.map((m) => m.id)).toEqual(['llava:13b', 'qwen2.5vl:7b']);
  });

  it.each([
    ['an empty list', { data: [] }, /empty/],
    ['no data array', { models: [] }, /no "data" array/],
    ['data of the wrong type', { data: 'models' }, /no "data" array/],
    ['null', null, /no "data" array/],
    ['entries none of which can be read', { data: [1, 2, { id: 3 }] }, /None of the 3 models/],
  ])('rejects %s with a plain sentence', (_label, body, message) => {
    expect(() => parseCatalog(body)).toThrow(CatalogError);
    expect(() => parseCatalog(body)).toThrow(message);
  });

  it('rejects 10 MB of junk without trying to rank it', () => {
    const junk = 'x'.repeat(10 * 1024 * 1024);
    expect(() => parseCatalogText(junk, 'example.test')).toThrow(/not valid JSON/);
    expect(() => parseCatalogText(`{"data":[${'1,'.repeat(5 * 1024 * 1024)}1]}`, 'example.test')).toThrow(/None of the/);
    expect(() => parseCatalogText(' '.repeat(17 * 1024 * 1024), 'example.test')).toThrow(/too large/);
  });
});

describe('fetchCatalog', () => {
  const respond = (body: string, status = 200) => async () => new Response(body, { status });

  it('asks for every output modality, without a key', async () => {
    const seen: Array<{ url: string; headers?: Record<string, string> }> = [];
    await fetchCatalog('https://openrouter.ai/api/v1/', {
      fetch: async (url, init) => {
        seen.push({ url, headers: init?.headers });
        return new Response(JSON.stringify({ data: [model()] }));
      },
    });
    expect(seen[0].url).toBe('https://openrouter.ai/api/v1/models?output_modalities=all');
    expect(JSON.stringify(seen[0].headers ?? {})).not.toMatch(/authorization/i);
    expect(modelsUrl('http://localhost:11434/v1')).toBe('http://localhost:11434/v1/models?output_modalities=all');
  });

  it('names the host and status when the server refuses', async () => {
    await expect(fetchCatalog('https://openrouter.ai/api/v1', { fetch: respond('{"error":{}}', 503) })).rejects.toThrow(
      'openrouter.ai answered 503 when asked for its models.',
    );
  });

  it('says the server could not be reached, or did not answer in time', async () => {
    await expect(fetchCatalog('http://127.0.0.1:9/v1', { fetch: async () => { throw new TypeError('Failed to fetch'); } })).rejects.toThrow(
      'Could not load the model list from 127.0.0.1:9: it could not be reached.',
    );
    const hang = (_: string, init?: { signal?: AbortSignal }) =>
      new Promise<Response>((_ok, fail) => init?.signal?.addEventListener('abort', () => fail(new DOMException('aborted', 'AbortError'))));
    await expect(fetchCatalog('https://slow.example/v1', { fetch: hang, timeoutMs: 20 })).rejects.toThrow(/slow.example: it did not answer in time/);
  });

  it('reports a body that is not a model list', async () => {
    await expect(fetchCatalog('https://x.example/v1', { fetch: respond('<html>') })).rejects.toThrow(/not valid JSON/);
    await expect(fetchCatalog('https://x.example/v1', { fetch: respond('{"data":[]}') })).rejects.toThrow(/empty \(from x.example\)/);
  });
});

describe('the bundled offline snapshot', () => {
  const snap = offlineSnapshot();

  it('holds candidates of both tasks and no descriptions', () => {
    expect(snap.catalog.models.length).toBeGreaterThan(200);
    expect(snap.catalog.models.every((m) => isCandidate(m, 'captioning') || isCandidate(m, 'generation'))).toBe(true);
    expect(JSON.stringify(snap.catalog)).not.toMatch(/"description"/);
    expect(new Date(snap.fetchedAt).toISOString()).toBe('2026-08-19T00:00:00.000Z');
  });

  it.runIf(shared)('is exactly the candidates of the shared catalog it was derived from', () => {
    const full = parseCatalog(shared!);
    const expected = full.models.filter((m) => isCandidate(m, 'captioning') || isCandidate(m, 'generation')).map((m) => m.id);
    expect(snap.catalog.models.map((m) => m.id)).toEqual(expected);
    const fromShared = full.models.find((m) => m.id === 'anthropic/claude-opus-5')!;
    const fromSnap = snap.catalog.models.find((m) => m.id === 'anthropic/claude-opus-5')!;
    expect({ ...fromSnap, parameters: [] }).toEqual({ ...fromShared, parameters: [] });
  });
});
