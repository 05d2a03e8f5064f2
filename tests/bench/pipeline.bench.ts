// Caption pipeline figures: queue throughput against the fake OpenRouter at a fixed 300 ms latency
// (reference: the concurrency limit's ideal, limit ÷ latency), bytes sent per large photo before
// and after downscaling (reference: sending the original), and estimated vs charged cost per image.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { startFakeOpenRouter, SHARED_CATALOG } from '../support/fake-openrouter';
import { solidPng } from '../support/image-colour';
import { nodeCodec } from '../support/node-codec';
import { bytesToBase64, prepareImage, readImageSource, sniffType } from '../../lib/image';
import { describeImage } from '../../lib/caption/openai';
import { buildPrompt } from '../../lib/caption/prompt';
import { JobRunner } from '../../lib/jobs/runner';
import { MemoryCaptionCache, sha256Hex } from '../../lib/jobs/cache';
import { realClock } from '../../lib/jobs/limits';
import type { JobRecord } from '../../lib/jobs/record';
import { parseCatalog } from '../../lib/catalog/parse';
import { estimateUsdPerRequest } from '../../lib/ranking/cost';
import { launchChromium } from '../../lib/cli/scan-pages';
import { CodecPage } from '../../lib/cli/codec';

const LATENCY_MS = 300;
const CONCURRENCY = 4;
const IMAGES = 100;
const fmt = (n: number, d = 2) => n.toFixed(d);

async function throughput() {
  const fake = await startFakeOpenRouter({ catalog: { data: [{ id: 'bench/vision', name: 'Bench' }] }, latencyMs: LATENCY_MS, creditUsd: null });
  const images = createServer((req, res) => {
    const n = Number(/\/(\d+)\.png/.exec(req.url ?? '')?.[1] ?? 0);
    res.writeHead(200, { 'content-type': 'image/png' }).end(solidPng(64, 48, [(n * 53) % 256, (n * 97) % 256, (n * 151) % 256]));
  });
  await new Promise<void>((ok) => images.listen(0, '127.0.0.1', ok));
  const imageBase = `http://127.0.0.1:${(images.address() as { port: number }).port}`;
  let saved: unknown[] = [];
  let ids = 0;
  const run = async (label: string, estimate: number | null) => {
    fake.reset();
    const runner = new JobRunner({
      clock: realClock, random: Math.random, newId: () => `bench-${++ids}`,
      store: { load: async () => saved, save: async (r) => { saved = r; } },
      cache: new MemoryCaptionCache(), hash: sha256Hex,
      loadImage: async (input, _r, signal) => prepareImage(await readImageSource(input.src, { fetch, signal, pageUrl: `${imageBase}/` }), nodeCodec),
      describe: ({ prompt, image, record, signal }) => describeImage({ apiBase: fake.apiBase, apiKey: 'sk-or-v1-test', modelId: record.job.modelId, prompt, imageDataUrl: image.dataUrl, signal }),
      estimateCostUsd: async () => estimate,
    });
    const items = Array.from({ length: IMAGES }, (_, i) => ({ id: `i${i}`, frameId: 0, selector: `#i${i}`, kind: 'img' as const, status: 'missing' as const, alt: null, src: `${imageBase}/${i}.png`, width: 64, height: 48, context: { pageTitle: 'Bench', lang: 'en' } }));
    const started = performance.now();
    const job = await runner.start({ tabId: 1, pageUrl: 'https://bench.example/', modelId: 'bench/vision', items },
      { provider: 'openrouter', apiBase: fake.apiBase, concurrency: CONCURRENCY, markAiGenerated: false, length: 'short', budgetUsd: 1000, language: '' });
    const done = await runner.settled(job.id);
    const seconds = (performance.now() - started) / 1000;
    const rate = done.done / seconds;
    const ideal = CONCURRENCY / (LATENCY_MS / 1000);
    console.log(`${label}: ${done.done}/${IMAGES} images in ${fmt(seconds)} s = ${fmt(rate)} images/s; ideal ${fmt(ideal)} images/s (limit ${CONCURRENCY} ÷ ${LATENCY_MS} ms); ratio ${fmt(rate / ideal, 3)} (peak ${fake.peakConcurrency()} in flight)`);
  };
  console.log(`\n## Throughput through the queue, ${IMAGES} images, fake latency ${LATENCY_MS} ms`);
  await run('first run of a model (cost unknown: the first call goes alone)', null);
  await run('model with a measured cost', 0.00002);
  await fake.close();
  images.close();
}

function noisyPhoto(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = (seed >> 16) % 24;
      const i = (y * width + x) * 4;
      data[i] = (x * 255) / width + n; data[i + 1] = (y * 255) / height + n; data[i + 2] = 128 + n; data[i + 3] = 255;
    }
  }
  return data;
}

async function bytesPerImage() {
  console.log('\n## Bytes sent per large photo (base64 data URL in the request), before vs after downscaling to a 768 px long edge');
  // Chromium's own decoder and encoder (createImageBitmap, OffscreenCanvas), as in the extension's worker.
  const browser = await launchChromium();
  const codecPage = await CodecPage.open(browser);
  const codec = codecPage.codec();
  console.log('(codec: Chromium createImageBitmap + OffscreenCanvas JPEG at quality 0.85, as in the extension)');
  const photos: Array<[string, Uint8Array]> = [];
  const a = noisyPhoto(4000, 3000);
  photos.push(['4000×3000 JPEG (q90)', new Uint8Array(jpeg.encode({ data: a, width: 4000, height: 3000 }, 90).data)]);
  const b = noisyPhoto(3000, 2000);
  const png = new PNG({ width: 3000, height: 2000 });
  png.data = Buffer.from(b);
  photos.push(['3000×2000 PNG', new Uint8Array(PNG.sync.write(png))]);
  const c = noisyPhoto(1600, 1200);
  photos.push(['1600×1200 JPEG (q90)', new Uint8Array(jpeg.encode({ data: c, width: 1600, height: 1200 }, 90).data)]);
  let totalBefore = 0;
  let totalAfter = 0;
  for (const [label, bytes] of photos) {
    const before = `data:${sniffType(bytes)};base64,${bytesToBase64(bytes)}`.length;
    const prepared = await prepareImage({ bytes, type: '' }, codec);
    const after = prepared.dataUrl.length;
    totalBefore += before;
    totalAfter += after;
    console.log(`${label}: ${fmt(before / 1024, 0)} KiB → ${fmt(after / 1024, 0)} KiB (${prepared.width}×${prepared.height} ${prepared.mime}); ${fmt(before / after, 1)}× smaller`);
  }
  console.log(`mean: ${fmt(totalBefore / photos.length / 1024, 0)} KiB → ${fmt(totalAfter / photos.length / 1024, 0)} KiB per image, ${fmt(totalBefore / totalAfter, 1)}× fewer bytes than sending originals`);
  await browser.close();
}

async function estimatedVsCharged() {
  console.log('\n## Estimated (ranking, before the call) vs charged (usage.cost from the fake, priced from its token counts) cost per image');
  let raw: { data: Array<Record<string, unknown>> };
  try {
    raw = JSON.parse(readFileSync(SHARED_CATALOG, 'utf8'));
  } catch {
    console.log('skipped: the shared catalog snapshot is not available');
    return;
  }
  const catalog = parseCatalog(raw);
  const ids = ['google/gemini-2.5-flash', 'openai/gpt-4o-mini', 'anthropic/claude-sonnet-4', 'qwen/qwen2.5-vl-72b-instruct', 'meta-llama/llama-4-maverick', 'mistralai/pixtral-large-2411'];
  const models = ids.map((id) => catalog.models.find((m) => m.id === id)).filter((m): m is NonNullable<typeof m> => !!m);
  const byId = new Map(models.map((m) => [m.id, m]));
  const fake = await startFakeOpenRouter({
    catalog: raw,
    creditUsd: null,
    // What OpenRouter bills: tokens × the model's prices, plus any per-image and per-request fee.
    costPerRequest: ({ model, promptTokens, completionTokens }) => {
      const p = byId.get(model)!.pricing;
      return promptTokens * p.prompt + completionTokens * p.completion + p.image + p.request;
    },
  });
  const photo = await prepareImage({ bytes: new Uint8Array(jpeg.encode({ data: noisyPhoto(1600, 1200), width: 1600, height: 1200 }, 90).data), type: '' }, nodeCodec);
  const prompt = buildPrompt({ kind: 'img', context: { pageTitle: 'A news article', heading: 'Harbour reopens', nearbyText: 'The harbour reopened on Monday after repairs.', lang: 'en' } });
  for (const model of models) {
    const estimate = estimateUsdPerRequest(model, 'captioning');
    const res = await describeImage({ apiBase: fake.apiBase, apiKey: 'sk-or-v1-test', modelId: model.id, prompt, imageDataUrl: photo.dataUrl });
    const charged = res.costUsd ?? 0;
    console.log(`${model.id}: estimated $${(estimate * 1000).toFixed(3)} vs charged $${(charged * 1000).toFixed(3)} per 1,000 images; estimate ÷ charged ${fmt(estimate / charged, 2)}`);
  }
  console.log('(the fake counts every image as 258 tokens and the answer as 12; real providers differ per family, which the estimate models)');
  await fake.close();
}

await throughput();
await bytesPerImage();
await estimatedVsCharged();
