// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { solidPng } from '../support/image-colour';

// The fake stands in for OpenRouter in every pipeline test, so it must refuse what the real
// API refuses; otherwise a broken request would pass those tests.
let fake: FakeOpenRouter;
const KEY = 'sk-or-v1-test';
const MODEL = 'google/gemini-2.5-flash';
const png = (rgb: [number, number, number]) => `data:image/png;base64,${solidPng(8, 8, rgb).toString('base64')}`;

function chat(body: unknown, key = KEY) {
  return fetch(`${fake.apiBase}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
const request = (parts: unknown[], model = MODEL) => ({ model, messages: [{ role: 'user', content: parts }] });
const text = { type: 'text', text: 'Describe this image for alt text.' };
const image = (url: string) => ({ type: 'image_url', image_url: { url } });

beforeAll(async () => { fake = await startFakeOpenRouter(); });
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('fake OpenRouter', () => {
  it('serves the catalog, text-output only unless output_modalities=all', async () => {
    const all = (await (await fetch(`${fake.apiBase}/models?output_modalities=all`)).json()).data;
    const text = (await (await fetch(`${fake.apiBase}/models`)).json()).data;
    expect(all.length).toBeGreaterThan(text.length);
  });

  it('captions each image by its own colour and reports usage.cost', async () => {
    const red = await (await chat(request([text, image(png([220, 30, 30]))]))).json();
    const blue = await (await chat(request([text, image(png([30, 60, 220]))]))).json();
    expect(red.choices[0].message.content).toMatch(/^A red swatch \(#dc1e1e\)$/);
    expect(blue.choices[0].message.content).toMatch(/^A blue swatch/);
    expect(red.usage.cost).toBeGreaterThan(0);
  });

  it('writes answers through a test-given function until reset', async () => {
    const answerFor = async (rgb: [number, number, number]) => (await (await chat(request([text, image(png(rgb))]))).json()).choices[0].message.content;
    fake.setAnswer((caption, [r]) => (r > 200 ? 'Decorative.' : `${caption} v2`));
    expect(await answerFor([220, 30, 30])).toBe('Decorative.');
    expect(await answerFor([30, 60, 220])).toMatch(/^A blue swatch \(#1e3cdc\) v2$/);
    expect(fake.completions().map((r) => r.caption)).toEqual(['Decorative.', expect.stringMatching(/ v2$/)]);
    fake.reset();
    expect(await answerFor([220, 30, 30])).toBe('A red swatch (#dc1e1e)');
  });

  it.each([
    ['a wrong key', () => chat(request([text, image(png([1, 2, 3]))]), 'sk-wrong'), 401, /auth/],
    ['an unknown model', () => chat(request([text, image(png([1, 2, 3]))], 'nope/model')), 400, /not a valid model/],
    ['no image part', () => chat(request([text])), 400, /image_url/],
    ['image before text', () => chat(request([image(png([1, 2, 3])), text])), 400, /text part before the image/],
    ['a remote image URL', () => chat(request([text, image('https://example.com/a.png')])), 400, /base64 data URL/],
    ['bytes that are not an image', () => chat(request([text, image('data:image/png;base64,aGVsbG8=')])), 400, /does not decode/],
    ['a body that is not JSON', () => chat('{oops'), 400, /not valid JSON/],
  ])('refuses %s the way OpenRouter does', async (_name, call, status, message) => {
    const res = await call();
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error.code).toBe(status);
    expect(body.error.message).toMatch(message);
  });

  it('plays failure modes in order, then recovers', async () => {
    fake.fail({ kind: 'rate-limit', retryAfterSeconds: 7 }, 1);
    fake.fail({ kind: 'status', status: 402 }, 1);
    const limited = await chat(request([text, image(png([1, 2, 3]))]));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await chat(request([text, image(png([1, 2, 3]))]))).status).toBe(402);
    expect((await chat(request([text, image(png([1, 2, 3]))]))).status).toBe(200);
  });

  it('can answer with malformed JSON', async () => {
    fake.fail({ kind: 'malformed-json' }, 1);
    const res = await chat(request([text, image(png([1, 2, 3]))]));
    await expect(res.json()).rejects.toThrow();
  });

  it('reports the key credit and runs out of it', async () => {
    const small = await startFakeOpenRouter({ creditUsd: 0.00003, costPerRequest: 0.00002 });
    try {
      const call = () => fetch(`${small.apiBase}/chat/completions`, {
        method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify(request([text, image(png([1, 2, 3]))])),
      });
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(402);
      const key = await (await fetch(`${small.apiBase}/key`, { headers: { authorization: `Bearer ${KEY}` } })).json();
      expect(key.data.limit_remaining).toBeCloseTo(0.00001);
    } finally {
      await small.close();
    }
  });
});
