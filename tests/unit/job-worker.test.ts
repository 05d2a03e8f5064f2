// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { colourName, toHex } from '../support/image-colour';
import { nodeCodec } from '../support/node-codec';
import { startSwatchServer } from '../support/swatch-server';
import { prepareImage, readImageSource } from '@/lib/image';
import { createJobRunner, startJob } from '@/lib/background/jobs';
import { imageInputInTab, jobInputsInTab, INPUTS_CHUNK, type FramePort } from '@/lib/background/job-inputs';
import { updateSettings, writeApiKey } from '@/lib/storage';
import { SINGLE_IMAGE_ITEM_ID, type Job } from '@/lib/jobs/schema';
import type { Finding } from '@/lib/scan/schema';

/**
 * The worker's side of a job (lib/background/jobs.ts, job-inputs.ts) with the real settings and
 * key storage (WXT's fake browser, fake-indexeddb) and model calls to the fake OpenRouter. Only
 * the page is a stand-in: a FramePort that answers like content scripts do.
 */
const MODEL = 'test/vision-mini';
type Rgb = [number, number, number];
let fake: FakeOpenRouter;
let other: FakeOpenRouter;
let images: Awaited<ReturnType<typeof startSwatchServer>>;
let imageBase = '';

beforeAll(async () => {
  fake = await startFakeOpenRouter({ catalog: { data: [{ id: MODEL, name: 'Mini' }] } });
  other = await startFakeOpenRouter({ catalog: { data: [{ id: MODEL, name: 'Mini' }] } });
  images = await startSwatchServer();
  imageBase = images.url;
});
afterAll(async () => {
  await fake.close();
  await other.close();
  await images.close();
});
beforeEach(async () => {
  fakeBrowser.reset();
  fake.reset();
  other.reset();
  await updateSettings({ apiBase: fake.apiBase, concurrency: 2, budgetUsd: 1 });
  await writeApiKey('sk-or-v1-test');
});

const swatch = (rgb: Rgb) => `${imageBase}/c/${toHex(rgb).slice(1)}.png`;
const captionFor = (rgb: Rgb) => `A ${colourName(rgb)} swatch (${toHex(rgb)})`;

function finding(local: string, src: string): Finding {
  return { id: local, frameId: 0, selector: '', kind: 'img', status: 'missing', reasons: [], alt: null, src, width: 0, height: 0, context: { pageTitle: 'Swatches', lang: 'en' } };
}

/** The document token of each frame in these tests: ids are "<frameId>:d<frameId>:<local>". */
const doc = (frameId: number) => `d${frameId}`;
const id = (frameId: number, local: string) => `${frameId}:${doc(frameId)}:${local}`;

/**
 * A tab as the page script answers for it (the frame protocol: lib/page/agent.ts): each frame's
 * findings, and the job inputs of the local ids each request names in its document.
 */
function page(frames: Record<number, { url: string; findings: Finding[] }>, gone: number[] = []) {
  const calls = { inputs: [] as Array<{ frameId: number; ids: string[] }>, scan: [] as number[] };
  const frame = (frameId: number) => {
    if (gone.includes(frameId) || !frames[frameId]) throw new Error(`Frame ${frameId} did not answer within 3000 ms`);
    return frames[frameId];
  };
  const answers = {
    jobInputs: ({ doc: d, ids }: { doc: string; ids: string[] }, frameId: number) => {
      calls.inputs.push({ frameId, ids });
      const f = frame(frameId);
      if (d !== doc(frameId)) return { pageChanged: true as const };
      const inputs = f.findings.filter((x) => ids.includes(x.id)).map((x) => ({
        id: x.id, kind: x.kind, status: x.status, alt: x.alt, src: x.src, selector: `#${x.id}`,
        context: { pageTitle: 'Swatches', lang: 'en', heading: `Heading of ${id(frameId, x.id)}` }, width: 40, height: 30,
      }));
      return { url: f.url, inputs };
    },
    scanFrame: (_: unknown, frameId: number) => {
      calls.scan.push(frameId);
      const f = frame(frameId);
      return { url: f.url, title: 'Swatches', lang: 'en', doc: doc(frameId), counts: { missing: f.findings.length, decorative: 0, suspicious: 0, ok: 0, ignored: 0 }, findings: f.findings, scanMs: 1 };
    },
    imageAt: ({ src }: { src: string }, frameId: number) => ({ id: frame(frameId).findings.find((x) => x.src === src)?.id ?? null }),
  };
  const port: FramePort = {
    tabUrl: async () => frames[0]?.url ?? '',
    agents: async () => Object.keys(frames).map(Number).filter((f) => !gone.includes(f)).map((frameId) => ({ frameId, doc: doc(frameId), url: frames[frameId].url, frameOrigins: [] })),
    probe: async () => [],
    send: (async (name: keyof typeof answers, data: never, target: { frameId: number }) => answers[name](data, target.frameId)) as FramePort['send'],
  };
  return { port, calls };
}

const runner = (port: FramePort) =>
  createJobRunner({ frames: port, overrides: { loadImage: async (input, _r, signal) => prepareImage(await readImageSource(input.src, { fetch, signal, pageUrl: `${imageBase}/` }), nodeCodec) } });

async function settled(r: ReturnType<typeof runner>, job: Job): Promise<Job> {
  return r.settled(job.id);
}

describe('starting a job in the worker (contract 2)', () => {
  it('reads the settings once and the page once, describes with the page context, and skips what the page could not give', async () => {
    await updateSettings({ language: 'de', concurrency: 2 });
    const red: Rgb = [220, 30, 30];
    const blue: Rgb = [30, 60, 220];
    const tab = page({ 0: { url: 'https://shop.example/', findings: [finding('e1', swatch(red)), finding('e2', swatch(blue))] } }, [3]);
    const r = runner(tab.port);
    const job = await settled(r, await startJob({ tabId: 5, modelId: MODEL, target: { kind: 'findings', ids: [id(0, 'e2'), id(3, 'e9'), id(0, 'e1'), id(0, 'gone'), '0:e1'] } }, r, tab.port));

    // One request per document, naming it; nothing else asked of the page.
    expect(tab.calls.inputs).toEqual([{ frameId: 0, ids: ['e2', 'e1', 'gone'] }, { frameId: 3, ids: ['e9'] }]);
    expect(tab.calls.scan).toEqual([]);
    expect(job).toMatchObject({ pageUrl: 'https://shop.example/', language: 'de', state: 'done' });
    expect(job.items.map((i) => [i.id, i.state, i.selector, i.errorCode ?? null])).toEqual([
      [id(0, 'e2'), 'done', '#e2', null],
      [id(3, 'e9'), 'skipped', '', 'frame-gone'],
      [id(0, 'e1'), 'done', '#e1', null],
      [id(0, 'gone'), 'skipped', '', 'not-found'],
      // An id that names no document is never guessed into one.
      ['0:e1', 'skipped', '', 'not-found'],
    ]);
    expect(job.items[0].alt).toBe(captionFor(blue));
    // The settings' language and the page's context reached the model; the key came from the worker's store.
    const bodies = fake.completions().map((c) => JSON.stringify(c.body));
    expect(bodies.every((b) => b.includes('German (de)'))).toBe(true);
    expect(bodies.some((b) => b.includes(`Heading of ${id(0, 'e2')}`))).toBe(true);
    expect(fake.completions().every((c) => c.headers.authorization === 'Bearer sk-or-v1-test')).toBe(true);
  });

  it('asks a document with thousands of selected images for their inputs in slices', async () => {
    const findings = Array.from({ length: INPUTS_CHUNK * 2 + 1 }, (_, i) => finding(`e${i}`, swatch([i % 256, 0, 0])));
    const tab = page({ 0: { url: 'https://shop.example/', findings } });
    const found = await jobInputsInTab(5, findings.map((f) => id(0, f.id)), tab.port);
    expect(tab.calls.inputs.map((c) => c.ids.length)).toEqual([INPUTS_CHUNK, INPUTS_CHUNK, 1]);
    expect(found.items).toHaveLength(findings.length);
    expect(found.items.every((i) => !('skip' in i) && i.selector.startsWith('#'))).toBe(true);
  });

  it('refuses plainly when none of the images is on the page any more', async () => {
    const tab = page({ 0: { url: 'https://shop.example/', findings: [] } });
    const r = runner(tab.port);
    await expect(startJob({ tabId: 5, modelId: MODEL, target: { kind: 'findings', ids: [id(0, 'e1'), id(0, 'e2')] } }, r, tab.port)).rejects.toThrow(
      'None of these images are on the page any more (it changed or reloaded). Scan the page again.',
    );
  });

  it('refuses to start on settings it cannot read rather than on defaults', async () => {
    await fakeBrowser.storage.local.set({ settings: { apiBase: 'http://proxy.lan/v1' } });
    const tab = page({ 0: { url: 'https://shop.example/', findings: [finding('e1', swatch([1, 2, 3]))] } });
    await expect(startJob({ tabId: 5, modelId: MODEL, target: { kind: 'findings', ids: [id(0, 'e1')] } }, runner(tab.port), tab.port)).rejects.toThrow(
      /^Your saved settings could not be read \(apiBase: Use https.*\)\. Open AltScout's options and save them, then generate again\.$/,
    );
    expect(tab.calls.inputs).toEqual([]);
  });

  it('describes the context menu image with its page context when the scan lists it, and from the picture alone otherwise', async () => {
    const green: Rgb = [30, 170, 60];
    const tab = page({ 0: { url: 'https://shop.example/', findings: [finding('e7', swatch(green))] } });
    const r = runner(tab.port);
    const job = await settled(r, await startJob({ tabId: 5, modelId: MODEL, target: { kind: 'image', frameId: 0, src: swatch(green) } }, r, tab.port));
    expect(job.items).toMatchObject([{ id: SINGLE_IMAGE_ITEM_ID, state: 'done', selector: '#e7', alt: captionFor(green) }]);
    expect(JSON.stringify(fake.completions()[0].body)).toContain(`Heading of ${id(0, 'e7')}`);
    // Page reads for it (inline svg, blob:) go to the document it was found in.
    expect((await imageInputInTab(5, 0, { src: swatch(green) }, tab.port)).item).toMatchObject({ finding: id(0, 'e7') });

    const elsewhere = await imageInputInTab(5, 2, { src: swatch([1, 1, 1]) }, tab.port);
    expect(elsewhere.item).toMatchObject({ id: SINGLE_IMAGE_ITEM_ID, frameId: 2, src: swatch([1, 1, 1]), selector: '' });
  });
});

describe('the key and the API base (issue 10.7)', () => {
  it('stops a job whose API base changed mid-job, and never sends the key to the new one', async () => {
    fake.setLatency(150);
    const colours: Rgb[] = Array.from({ length: 8 }, (_, i) => [i * 30, 100, 200]);
    const tab = page({ 0: { url: 'https://shop.example/', findings: colours.map((c, i) => finding(`e${i}`, swatch(c))) } });
    const r = runner(tab.port);
    const started = await startJob({ tabId: 5, modelId: MODEL, target: { kind: 'findings', ids: colours.map((_, i) => id(0, `e${i}`)) } }, r, tab.port);
    await expect.poll(() => fake.completions().length, { timeout: 10_000 }).toBeGreaterThan(0);
    await updateSettings({ apiBase: other.apiBase });
    const job = await settled(r, started);
    fake.setLatency(0);
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'settings-changed', action: 'retry' });
    expect(job.error?.message).toBe(
      `The API base URL changed since this job started (from ${fake.apiBase} to ${other.apiBase}), so AltScout stopped without sending your key to it. Generate again to use the new setting; finished descriptions are kept.`,
    );
    expect(other.requests).toHaveLength(0);
    expect(job.items.filter((i) => i.state === 'done').length).toBeGreaterThan(0);
  });

  it('a job resumed after a restart calls nothing when the API base is no longer the one it started with', async () => {
    const tab = page({ 0: { url: 'https://shop.example/', findings: [finding('e1', swatch([9, 9, 9]))] } });
    // The first worker stops before any call: its record stays "running" in storage.session.
    const first = createJobRunner({ frames: tab.port, overrides: { loadImage: () => new Promise<never>(() => undefined) } });
    const started = await startJob({ tabId: 5, modelId: MODEL, target: { kind: 'findings', ids: [id(0, 'e1')] } }, first, tab.port);
    await updateSettings({ apiBase: other.apiBase });
    const second = runner(tab.port);
    expect(await second.resumeAll()).toBe(1);
    const job = await second.settled(started.id);
    expect(job.error?.code).toBe('settings-changed');
    expect(fake.requests).toHaveLength(0);
    expect(other.requests).toHaveLength(0);
  });
});
