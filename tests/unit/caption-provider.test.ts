// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { solidPng } from '../support/image-colour';
import { buildPrompt } from '@/lib/caption/prompt';
import { APP_TITLE, describeImage, isOpenRouter } from '@/lib/caption/openai';
import { ProviderError, parseRetryAfter, providerMessage, type ProviderFailure } from '@/lib/caption/errors';
import { captionerConcurrency, captionerFor, captionerHost, chooseCaptioner, sameCaptioner } from '@/lib/caption/captioner';
import { checkKey, connectWithPkce, authPageUrl } from '@/lib/caption/account';
import { describeOnDevice, findLanguageModel, onDeviceStatus, type LanguageModelApi } from '@/lib/caption/on-device';

let fake: FakeOpenRouter;
const MODEL = 'test/vision-mini';
const KEY = 'sk-or-v1-test';
const red = `data:image/png;base64,${solidPng(8, 8, [220, 30, 30]).toString('base64')}`;

beforeAll(async () => {
  fake = await startFakeOpenRouter({ catalog: { data: [{ id: MODEL, name: 'Mini' }] } });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const call = (over: Partial<Parameters<typeof describeImage>[0]> = {}) =>
  describeImage({ apiBase: fake.apiBase, apiKey: KEY, modelId: MODEL, prompt: buildPrompt({ kind: 'img', context: { pageTitle: 'Shop' } }), imageDataUrl: red, ...over });

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe('OpenAI-compatible provider against the fake OpenRouter', () => {
  it('sends the documented request and reads the caption and charged cost', async () => {
    const res = await call();
    expect(res.text).toBe('A red swatch (#dc1e1e)');
    expect(res.costUsd).toBeCloseTo(0.00002, 10);
    const [req] = fake.completions();
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['x-title']).toBe(APP_TITLE);
    expect(req.headers['http-referer']).toMatch(/^https:\/\//);
    const body = req.body as { messages: Array<{ role: string; content: unknown }> };
    expect(body.messages[0].role).toBe('system');
    const parts = body.messages[1].content as Array<{ type: string }>;
    expect(parts.map((p) => p.type)).toEqual(['text', 'image_url']);
  });

  it('maps 401 to a bad key that stops the job and points to options', async () => {
    fake.fail({ kind: 'status', status: 401 }, 1);
    const e = await failure(call());
    expect(e.scope).toBe('fatal');
    expect(e.error).toMatchObject({ code: 'bad-key', action: 'open-options' });
    expect(e.message).toMatch(/options/);
  });

  it('maps 402 to no credit with a top-up link', async () => {
    fake.fail({ kind: 'status', status: 402 }, 1);
    const e = await failure(call({ openRouter: true }));
    expect(e.error).toMatchObject({ code: 'no-credit', action: 'top-up' });
    expect(e.message).toMatch(/https:\/\/openrouter\.ai/);
  });

  it('maps 429 to a retry with the wait the server asked for', async () => {
    fake.fail({ kind: 'rate-limit', retryAfterSeconds: 7 }, 1);
    const e = await failure(call());
    expect(e.scope).toBe('retry');
    expect(e.retryAfterMs).toBe(7000);
    expect(e.message).toMatch(/waiting 7 s/);
  });

  it('maps an unknown model to model-gone with a pick-the-next-model step', async () => {
    const e = await failure(call({ modelId: 'gone/model' }));
    expect(e.error).toMatchObject({ code: 'model-gone', action: 'pick-model' });
  });

  it('fails only the item on moderation (403), retries on 5xx and on a cut-off answer', async () => {
    fake.fail({ kind: 'status', status: 403 }, 1);
    expect((await failure(call())).scope).toBe('item');
    fake.fail({ kind: 'status', status: 502 }, 1);
    expect((await failure(call())).scope).toBe('retry');
    fake.fail({ kind: 'malformed-json' }, 1);
    expect((await failure(call())).error.code).toBe('bad-response');
  });

  it('reports a timeout and an unreachable server as retryable network errors', async () => {
    fake.fail({ kind: 'slow', ms: 500 }, 1);
    const slow = await failure(call({ timeoutMs: 50 }));
    expect(slow.error.code).toBe('timeout');
    const down = await failure(call({ apiBase: 'http://127.0.0.1:9/api/v1' }));
    expect(down.error.code).toBe('network');
  });

  it('never sends the key to a plain-http host other than this machine', async () => {
    const e = await failure(call({ apiBase: 'http://proxy.example.com/api/v1' }));
    expect(e.error).toMatchObject({ code: 'bad-api-base', action: 'open-options' });
    expect(fake.requests).toHaveLength(0);
  });

  it('parses Retry-After as seconds or a date', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(parseRetryAfter(new Headers())).toBeNull();
  });
});

describe('key check and OAuth PKCE', () => {
  it('reports remaining credit for a good key and a plain sentence for a bad one', async () => {
    expect(await checkKey(fake.apiBase, KEY)).toEqual({ ok: true, message: expect.stringMatching(/\$10\.00 of credit left/), creditUsd: 10 });
    const bad = await checkKey(fake.apiBase, 'sk-or-v1-wrong');
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/did not accept/);
    expect((await checkKey('http://127.0.0.1:9/api/v1', KEY)).message).toMatch(/could not reach/);
  });

  it('trades the sign-in code for a key with the verifier', async () => {
    const seen: string[] = [];
    const key = await connectWithPkce({
      apiBase: fake.apiBase,
      redirectUrl: 'https://abc.chromiumapp.org/openrouter',
      async launchWebAuthFlow(url) {
        seen.push(url);
        const res = await fetch(url, { redirect: 'manual' });
        return res.headers.get('location') ?? undefined;
      },
    });
    expect(key).toBe(KEY);
    const auth = new URL(seen[0]);
    expect(auth.pathname).toBe('/auth');
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('callback_url')).toBe('https://abc.chromiumapp.org/openrouter');
    const exchange = fake.requests.find((r) => r.path === '/api/v1/auth/keys');
    expect(exchange?.body).toMatchObject({ code: 'code-1', code_challenge_method: 'S256' });
  });

  it('refuses a code presented with the wrong verifier', async () => {
    const url = authPageUrl(fake.apiBase, 'https://abc.chromiumapp.org/', 'not-the-challenge');
    await expect(connectWithPkce({
      apiBase: fake.apiBase,
      redirectUrl: 'https://abc.chromiumapp.org/',
      launchWebAuthFlow: async () => (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? undefined,
    })).rejects.toThrow(/did not issue a key/);
  });

  it('says so when the user closes the sign-in window', async () => {
    await expect(connectWithPkce({ apiBase: fake.apiBase, redirectUrl: 'https://x.chromiumapp.org/', launchWebAuthFlow: async () => { throw new Error('The user did not approve access.'); } }))
      .rejects.toThrow(/cancelled or failed.*paste a key/);
  });
});

describe("Chrome's built-in model (Prompt API), with a stand-in", () => {
  function standIn(availability: 'available' | 'downloadable' | 'unavailable', answer = 'A red swatch.') {
    const calls: unknown[] = [];
    let destroyed = 0;
    const api: LanguageModelApi = {
      availability: async (o) => { calls.push(['availability', o]); return availability; },
      create: async (o) => {
        calls.push(['create', o]);
        return { prompt: async (input) => { calls.push(['prompt', input]); return answer; }, destroy: () => { destroyed++; } };
      },
    };
    return { api, calls, destroyed: () => destroyed };
  }

  it('is found only when the browser has it', () => {
    expect(findLanguageModel({})).toBeNull();
    const { api } = standIn('available');
    expect(findLanguageModel({ LanguageModel: api })).toBe(api);
  });

  it('sends the system rules, then text before the image, and cleans up the session', async () => {
    const s = standIn('available');
    const image = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' });
    const res = await describeOnDevice(s.api, { prompt: buildPrompt({ kind: 'img', context: { lang: 'fr' } }), image });
    expect(res).toMatchObject({ text: 'A red swatch.', costUsd: 0 });
    const create = s.calls.find((c) => (c as unknown[])[0] === 'create') as [string, { initialPrompts: Array<{ content: string }> }];
    expect(create[1].initialPrompts[0].content).toMatch(/French/);
    const prompt = s.calls.find((c) => (c as unknown[])[0] === 'prompt') as [string, Array<{ content: Array<{ type: string; value: unknown }> }>];
    expect(prompt[1][0].content.map((p) => p.type)).toEqual(['text', 'image']);
    expect(prompt[1][0].content[1].value).toBe(image);
    expect(s.destroyed()).toBe(1);
  });

  it('explains when the model is still downloading or missing', async () => {
    expect((await onDeviceStatus(standIn('downloadable').api)).message).toMatch(/downloading/);
    expect((await onDeviceStatus(null)).ok).toBe(false);
    const e = await failure(describeOnDevice(standIn('unavailable').api, { prompt: buildPrompt({ kind: 'img', context: {} }), image: new Blob([]) }));
    expect(e.error.action).toBe('pick-model');
  });
});

describe('provider errors as facts', () => {
  const failure503: ProviderFailure = { code: 'provider-error', status: 503, retryAfterMs: null, who: 'OpenRouter', host: 'openrouter.ai', detail: 'No available provider' };
  const limited: ProviderFailure = { code: 'rate-limited', status: 429, retryAfterMs: 7000, who: 'The server at localhost:11434', host: 'localhost:11434', detail: '' };

  it('keeps code, status, wait, who answered and detail as fields', async () => {
    fake.fail({ kind: 'rate-limit', retryAfterSeconds: 7 }, 1);
    const e = await failure(call({ openRouter: true }));
    expect(e.failure).toMatchObject({ code: 'rate-limited', status: 429, retryAfterMs: 7000, who: 'OpenRouter', detail: 'Rate limit exceeded: free-models-per-min.' });
  });

  it('renders the sentence for what happens next from the fields, never by editing another sentence', () => {
    expect(providerMessage(failure503)).toBe('OpenRouter had a problem (HTTP 503: No available provider). AltScout tried again; retry later or pick another model.');
    expect(providerMessage(failure503, { kind: 'gave-up', attempts: 4 })).toBe('OpenRouter had a problem (HTTP 503: No available provider). Gave up after 4 tries; retry this image later.');
    expect(providerMessage(failure503, { kind: 'paused', waitMs: 6 * 60_000 })).toBe(
      'OpenRouter had a problem (HTTP 503: No available provider) and asked AltScout to wait 6 minutes. Generate again later; finished descriptions are kept.',
    );
    expect(providerMessage(limited)).toBe('The server at localhost:11434 is limiting requests; waiting 7 s before trying again.');
    expect(providerMessage(limited, { kind: 'gave-up', attempts: 4 })).toBe('The server at localhost:11434 is limiting requests. Gave up after 4 tries; retry this image later.');
    expect(providerMessage(limited, { kind: 'paused', waitMs: 10 * 60_000 })).toBe('The server at localhost:11434 is limiting requests for 10 minutes. Generate again later; finished descriptions are kept.');
    // A fatal or per-image failure says the same whatever the situation.
    const badKey: ProviderFailure = { ...limited, code: 'bad-key', status: 401 };
    expect(providerMessage(badKey, { kind: 'gave-up', attempts: 4 })).toBe(providerMessage(badKey));
  });

  it('gives the job its code, sentence and next step', () => {
    const e = new ProviderError(limited);
    expect(e.scope).toBe('retry');
    expect(e.jobError({ kind: 'gave-up', attempts: 4 })).toEqual({ code: 'rate-limited', action: 'retry', message: 'The server at localhost:11434 is limiting requests. Gave up after 4 tries; retry this image later.' });
    expect(new ProviderError({ ...limited, code: 'flagged', detail: 'violence' }).error).toEqual({
      code: 'flagged', message: "The provider's moderation refused this image (violence). Write this one by hand or try another model.",
    });
  });
});

describe('choosing the captioner', () => {
  it('knows OpenRouter by its exact host only', () => {
    expect(isOpenRouter('https://openrouter.ai/api/v1')).toBe(true);
    for (const lookalike of ['https://evilopenrouter.ai/api/v1', 'https://openrouter.ai.example.com/api/v1', 'https://api.openrouter.ai.evil/v1', 'not a url']) {
      expect(isOpenRouter(lookalike), lookalike).toBe(false);
    }
  });

  it('picks the built-in model, OpenRouter or another server from the settings and the model', () => {
    expect(chooseCaptioner({ provider: 'on-device', apiBase: 'https://openrouter.ai/api/v1' })).toEqual({ kind: 'on-device' });
    expect(chooseCaptioner({ provider: 'openrouter', apiBase: 'https://openrouter.ai/api/v1' }, 'chrome/built-in')).toEqual({ kind: 'on-device' });
    expect(chooseCaptioner({ provider: 'openrouter', apiBase: 'https://openrouter.ai/api/v1/' })).toEqual({ kind: 'server', apiBase: 'https://openrouter.ai/api/v1', openRouter: true });
    expect(chooseCaptioner({ provider: 'custom', apiBase: 'https://openrouter.ai/api/v1' })).toMatchObject({ openRouter: true });
    expect(chooseCaptioner({ provider: 'custom', apiBase: 'https://evilopenrouter.ai/api/v1' })).toMatchObject({ openRouter: false });
    expect(captionerHost(chooseCaptioner({ provider: 'custom', apiBase: 'http://localhost:11434/v1' }))).toBe('localhost:11434');
    expect(captionerConcurrency({ kind: 'on-device' }, 8)).toBe(1);
    expect(sameCaptioner(chooseCaptioner({ provider: 'custom', apiBase: 'http://localhost:11434/v1' }), chooseCaptioner({ provider: 'custom', apiBase: 'http://localhost:1234/v1' }))).toBe(false);
  });

  it('asks for a key before calling OpenRouter without one, and calls other servers without', async () => {
    const orDescribe = captionerFor({ kind: 'server', apiBase: fake.apiBase, openRouter: true }, { apiKey: async () => '' });
    const e = await failure(orDescribe({ modelId: MODEL, prompt: buildPrompt({ kind: 'img', context: {} }), imageDataUrl: red, detailed: false, signal: new AbortController().signal }));
    expect(e.error).toMatchObject({ code: 'no-key', action: 'open-options' });
    expect(e.message).toBe("No OpenRouter key is set. Open AltScout's options to connect OpenRouter or paste a key.");
    expect(fake.requests).toHaveLength(0);
  });
});
