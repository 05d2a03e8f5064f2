import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import jpeg from 'jpeg-js';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { startStaticServer, type StaticServer } from '../support/static-server';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { colourName, solidPng, toHex } from '../support/image-colour';
import { setApiKey } from '../support/api-key';
import { sendFromPage } from '../support/extension-messages';
import type { Job, StartJob } from '../../lib/jobs/schema';
import type { PageSummary } from '../../lib/page/schema';

/**
 * The caption pipeline in the built extension's real service worker, against the fake
 * OpenRouter: images are fetched, decoded, shrunk and described by the worker itself.
 */
const MODEL = 'google/gemini-2.5-flash';
let browser: ExtensionBrowser;
let site: StaticServer;
let fake: FakeOpenRouter;
let ext: Page;
let dir: string;

type Rgb = [number, number, number];
const palette = (n: number): Rgb[] => Array.from({ length: n }, (_, i) => [(i * 53) % 256, (i * 97 + 40) % 256, (i * 151 + 80) % 256]);
const captionFor = (rgb: Rgb) => `A ${colourName(rgb)} swatch (${toHex(rgb)})`;
const COLOURS = palette(50);

function bigJpeg(width: number, height: number, rgb: Rgb): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    // A little noise so the file is photo-sized rather than a flat block.
    const n = ((i * 2654435761) >>> 24) % 9 - 4;
    data[i] = rgb[0] + n; data[i + 1] = rgb[1] + n; data[i + 2] = rgb[2] + n; data[i + 3] = 255;
  }
  return Buffer.from(jpeg.encode({ data, width, height }, 90).data);
}

const page = (body: string) => `<!doctype html><html lang="en"><head><title>Swatches</title></head><body>${body}</body></html>`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'altscout-jobs-'));
  mkdirSync(join(dir, 'c'));
  COLOURS.forEach((c, i) => writeFileSync(join(dir, 'c', `${i}.png`), solidPng(40, 30, c)));
  writeFileSync(join(dir, 'c', 'copy-of-3.png'), solidPng(40, 30, COLOURS[3]));
  writeFileSync(join(dir, 'photo.jpg'), bigJpeg(3000, 2000, [30, 170, 60]));
  writeFileSync(join(dir, 'shape.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#8c32b4"/></svg>');
  writeFileSync(join(dir, 'swatches.html'), page(COLOURS.map((_, i) => `<p>Colour ${i}</p><img id="s${i}" src="/c/${i}.png" width="40" height="30">`).join('\n')));
  writeFileSync(join(dir, 'dupes.html'), page(['/c/3.png', '/c/3.png', '/c/copy-of-3.png', '/c/4.png'].map((s, i) => `<img id="d${i}" src="${s}" width="40" height="30">`).join('\n')));
  const red = solidPng(40, 30, [220, 30, 30]).toString('base64');
  writeFileSync(join(dir, 'sources.html'), page(`
    <img id="photo" src="/photo.jpg" width="300" height="200">
    <img id="svgfile" src="/shape.svg" width="120" height="80">
    <img id="data" src="data:image/png;base64,${red}" width="40" height="30">
    <img id="blob" width="40" height="30">
    <svg id="inline" role="img" width="60" height="40"><rect width="60" height="40" fill="#f58c14"/></svg>
    <img id="missing" src="/nope.png" width="40" height="30">
    <script>
      fetch('/c/5.png').then((r) => r.blob()).then((b) => { document.getElementById('blob').src = URL.createObjectURL(b); document.title = 'ready'; });
    </script>`));

  site = await startStaticServer(dir);
  fake = await startFakeOpenRouter();
  browser = await launchWithExtension();
  ext = await browser.openPopup(0, 'popup.html');
  await setSettings(SETTINGS(fake.apiBase));
  await setApiKey(ext, 'sk-or-v1-test');
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  fake.reset();
  fake.setLatency(0);
  // Each test starts from an empty caption cache so it pays for what it asks.
  await ext.evaluate(() => chrome.storage.local.remove('captionCache'));
});

const call = <T>(name: string, data: unknown) => sendFromPage<T>(ext, name, data);

async function scan(path: string): Promise<{ tabId: number; summary: Extract<PageSummary, { supported: true }> }> {
  const { page: tab, tabId } = await browser.openTab(`${site.url}/${path}`);
  if (path === 'sources.html') await tab.waitForFunction(() => document.title === 'ready');
  const summary = await call<PageSummary>('getPageSummary', { tabId });
  if (!summary.supported) throw new Error(summary.reason);
  return { tabId, summary };
}

/** What the popup sends (contract 2): the tab, the model and the ids the user chose; the worker does the rest. */
async function startJob(tabId: number, summary: Extract<PageSummary, { supported: true }>, extra: Partial<StartJob> = {}): Promise<Job> {
  const ids = summary.findings.filter((f) => f.status === 'missing').map((f) => f.id);
  return call<Job>('startJob', { tabId, modelId: MODEL, target: { kind: 'findings', ids }, ...extra } satisfies StartJob);
}

const SETTINGS = (apiBase: string) => ({ apiBase, concurrency: 4, budgetUsd: 1 });
const setSettings = (settings: Record<string, unknown>) => ext.evaluate((value) => chrome.storage.local.set({ settings: value }), settings);

async function untilSettled(id: string, timeout = 40_000): Promise<Job> {
  let job: Job | null = null;
  await expect.poll(async () => (job = await call<Job | null>('getJob', { id }))?.state, { timeout, interval: 200 }).not.toBe('running');
  return job!;
}

const byId = (job: Job, selectorPart: string) => job.items.find((i) => i.selector.includes(selectorPart));

describe('caption jobs in the real service worker', () => {
  it('describes 50 images at once, each with the caption of its own content, 4 calls at a time', async () => {
    fake.setLatency(100);
    const { tabId, summary } = await scan('swatches.html');
    expect(summary.findings.filter((f) => f.status === 'missing')).toHaveLength(50);
    const job = await untilSettled((await startJob(tabId, summary)).id);
    expect(job.state).toBe('done');
    expect(job.done).toBe(50);
    COLOURS.forEach((c, i) => expect(byId(job, `s${i}`)?.alt, `#s${i}`).toBe(captionFor(c)));
    expect(fake.peakConcurrency()).toBe(4);
    expect(fake.completions()).toHaveLength(50);
    // The latest job for the tab is what the popup gets back after being closed and reopened.
    expect((await call<Job>('getJob', { tabId })).id).toBe(job.id);
    // Job state is kept where a restarted worker finds it, and never holds the key.
    const session = await ext.evaluate(() => chrome.storage.session.get('jobs'));
    expect(JSON.stringify(session)).toContain(job.id);
    expect(JSON.stringify(session)).not.toContain('sk-or-v1-test');
    // Every call's measured cost reached the ranking's model stats, none lost to racing writes.
    const { modelStats } = (await ext.evaluate(() => chrome.storage.local.get('modelStats'))) as { modelStats: Record<string, { runs: number; totalCostUsd: number }> };
    expect(modelStats[MODEL].runs).toBe(50);
    expect(modelStats[MODEL].totalCostUsd).toBeCloseTo(50 * 0.00002, 10);
  });

  it('reads every kind of source: a large photo shrunk to 768 px, SVG file and inline SVG, data:, blob:, and skips a 404', async () => {
    const { tabId, summary } = await scan('sources.html');
    const job = await untilSettled((await startJob(tabId, summary)).id);
    const photo = fake.completions().find((r) => r.caption?.startsWith('A green'));
    expect(photo?.image).toMatchObject({ width: 768, height: 512, format: 'jpeg' });
    expect(byId(job, 'photo')?.alt).toMatch(/^A green swatch/);
    expect(byId(job, 'svgfile')?.alt).toMatch(/^A purple swatch/);
    expect(byId(job, 'inline')?.alt).toMatch(/^An? orange swatch/);
    expect(byId(job, 'data')?.alt).toBe(captionFor([220, 30, 30]));
    expect(byId(job, 'blob')?.alt).toBe(captionFor(COLOURS[5]));
    expect(byId(job, 'missing')).toMatchObject({ state: 'skipped', errorCode: 'not-found' });
    expect(byId(job, 'missing')?.error).toMatch(/HTTP 404/);
  });

  it('describes duplicate images once', async () => {
    const { tabId, summary } = await scan('dupes.html');
    const job = await untilSettled((await startJob(tabId, summary)).id);
    expect(job.items.map((i) => i.alt)).toEqual([captionFor(COLOURS[3]), captionFor(COLOURS[3]), captionFor(COLOURS[3]), captionFor(COLOURS[4])]);
    expect(fake.completions()).toHaveLength(2);
    // Generating again costs nothing: every caption comes from the cache.
    const again = await untilSettled((await startJob(tabId, summary)).id);
    expect(fake.completions()).toHaveLength(2);
    expect(again.costUsd).toBe(0);
  });

  it('starts the retry of a rate-limited call no earlier than Retry-After after its 429 arrived', async () => {
    const { tabId, summary } = await scan('dupes.html');
    fake.fail({ kind: 'rate-limit', retryAfterSeconds: 2 }, 1);
    const job = await untilSettled((await startJob(tabId, summary)).id);
    expect(job.state).toBe('done');
    // Two images are described at once, so the other call may start before the 429 comes back:
    // the wait is promised for the retry of the call that got it, from the moment it was answered.
    const chats = fake.requests.filter((r) => r.path === '/api/v1/chat/completions');
    const limited = chats.find((r) => r.status === 429)!;
    const retry = chats.find((r) => r !== limited && r.at >= limited.at && r.image?.rgb.join() === limited.image?.rgb.join());
    expect(retry).toBeDefined();
    expect(retry!.at - limited.answeredAt!).toBeGreaterThanOrEqual(2000);
  });

  for (const [status, code, text] of [[401, 'bad-key', /options/], [402, 'no-credit', /credit/]] as const) {
    it(`stops the job on ${status} with the right message`, async () => {
      const { tabId, summary } = await scan('swatches.html');
      fake.fail({ kind: 'status', status });
      const job = await untilSettled((await startJob(tabId, summary)).id);
      fake.clearFailures();
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe(code);
      expect(job.error?.message).toMatch(text);
      expect(fake.requests.filter((r) => r.path === '/api/v1/chat/completions').length).toBeLessThanOrEqual(4);
    });
  }

  it('holds the budget cap', async () => {
    const { tabId, summary } = await scan('swatches.html');
    await setSettings({ ...SETTINGS(fake.apiBase), budgetUsd: 0.0001 });
    const job = await untilSettled((await startJob(tabId, summary)).id).finally(() => setSettings(SETTINGS(fake.apiBase)));
    expect(job.state).toBe('paused');
    expect(job.error?.code).toBe('budget');
    expect(job.costUsd).toBeLessThanOrEqual(0.0001 + 1e-12);
    expect(fake.completions()).toHaveLength(5);
  });
});
