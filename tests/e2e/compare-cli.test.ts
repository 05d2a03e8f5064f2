import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { startStaticServer, type StaticServer } from '../support/static-server';
import { solidPng } from '../support/image-colour';
import { parseCompareArgs, run, type ComparedImage } from '../../lib/cli/compare';

/** `npm run altscout -- compare`: the same images through several models, against the fake where models answer and charge differently. */
let fake: FakeOpenRouter;
let site: StaticServer;
let dir: string;
const A = 'google/gemini-2.5-flash';
const B = 'openai/gpt-5-mini';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'altscout-compare-'));
  writeFileSync(join(dir, 'red.png'), solidPng(40, 30, [220, 30, 30]));
  writeFileSync(join(dir, 'blue.png'), solidPng(300, 200, [30, 60, 220]));
  writeFileSync(join(dir, 'green.png'), solidPng(60, 60, [30, 170, 60]));
  writeFileSync(join(dir, 'page.html'), `<!doctype html><html lang="en"><head><title>CLI</title></head><body>
    <img src="red.png" width="40" height="30"><a href="/shop"><img src="blue.png" width="300" height="200"></a>
    <img src="green.png" alt="A green square" width="60" height="60"></body></html>`);
  fake = await startFakeOpenRouter({
    answer: (caption, _rgb, model) => (model === A ? caption : `${caption}, seen by mini`),
    costPerRequest: ({ model }) => (model === A ? 0.0001 : 0.0004),
    latencyMs: 50,
  });
  site = await startStaticServer(dir);
  process.env.ALTSCOUT_API_BASE = fake.apiBase;
  process.env.OPENROUTER_API_KEY = 'sk-or-v1-test';
});
afterAll(async () => {
  await fake?.close();
  await site?.close();
  delete process.env.ALTSCOUT_API_BASE;
  delete process.env.OPENROUTER_API_KEY;
  rmSync(dir, { recursive: true, force: true });
});

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    return { code: await run(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('altscout compare', () => {
  it('describes the same images with each model: JSON with one object per image and one entry per model', async () => {
    fake.reset();
    const { code, out } = await capture([`${site.url}/page.html`, '--models', `${A}, ${B}`, '--images', '2', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { page: string; models: Array<{ model: string; costUsd: number; usdPer1kImages: number; medianLatencyMs: number }>; images: ComparedImage[] };
    // Missing alt first: the two images without alt, not the green one that has it.
    expect(result.images.map((i) => i.src.replace(/^.*\//, ''))).toEqual(['red.png', 'blue.png']);
    for (const image of result.images) {
      expect(image.status).toBe('missing');
      expect(image.descriptions.map((d) => d.model)).toEqual([A, B]);
      const [a, b] = image.descriptions;
      expect(a.alt).toMatch(/^A (red|blue) swatch \(#[0-9a-f]{6}\)$/);
      expect(b.alt).toBe(`${a.alt}, seen by mini`);
      expect([a.costUsd, b.costUsd]).toEqual([0.0001, 0.0004]);
      expect(a.latencyMs).toBeGreaterThanOrEqual(50);
    }
    // Each model was asked for each image once.
    const asked = fake.completions().map((r) => (r.body as { model: string }).model).sort();
    expect(asked).toEqual([A, A, B, B]);
    expect(result.models.map((m) => [m.model, m.usdPer1kImages])).toEqual([[A, 0.1], [B, 0.4]]);
  });

  it('prints them side by side in a table with cost and latency', async () => {
    fake.reset();
    const { code, out } = await capture([join(dir, 'page.html'), '--models', `${A},${B}`, '--images', '3']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Image 1 \(missing\): file:\/\/.*red\.png\n/);
    expect(out).toContain('Image 3 (ok): ');
    expect(out).toMatch(new RegExp(`  ${A.replace(/[./]/g, '\\$&')}\\s+A red swatch \\(#[0-9a-f]{6}\\)  \\[\\$0\\.0001 · \\d+(\\.\\d)? s\\]`));
    expect(out).toMatch(new RegExp(`  ${B.replace(/[./]/g, '\\$&')}\\s+A red swatch \\(#[0-9a-f]{6}\\), seen by mini  \\[\\$0\\.0004 · `));
    expect(out).toMatch(/By model:\n.*3 of 3 described, \$0\.0003 spent, \$0\.10 per 1,000 images, median /);
  });

  it('rejects bad arguments with a clear message', async () => {
    expect(() => parseCompareArgs(['page.html'])).toThrow(/--models/);
    expect(() => parseCompareArgs(['page.html', '--models', `${A},${A}`])).toThrow(/at least two different/);
    expect(() => parseCompareArgs(['page.html', '--models', `${A},${B}`, '--images', '0'])).toThrow(/--images takes a whole number from 1 to 20/);
    expect(() => parseCompareArgs(['a', 'b', '--models', `${A},${B}`])).toThrow(/one page at a time/);
    expect(parseCompareArgs(['page.html', '--models', `${A},${B}`])).toMatchObject({ images: 5, json: false, models: [A, B] });
    const bad = await capture(['page.html', '--models', A]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^altscout compare: --models needs at least two different model ids/);
  });
});
