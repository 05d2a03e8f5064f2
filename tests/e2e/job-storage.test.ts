import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { startStaticServer, type StaticServer } from '../support/static-server';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { solidPng } from '../support/image-colour';
import { setApiKey } from '../support/api-key';
import { sendFromPage } from '../support/extension-messages';
import type { Job, StartJob } from '../../lib/jobs/schema';
import type { StoredJob } from '../../lib/jobs/record';
import type { PageSummary } from '../../lib/page/schema';

/**
 * Job records in the real storage.session, where Chromium decides the quota (10 MB, a string
 * counted at its length): a 10,000-image selection, large jobs one after another, and a save the
 * browser refuses.
 */
const MODEL = 'google/gemini-2.5-flash';
const IMAGES = 10_000;
let browser: ExtensionBrowser;
let site: StaticServer;
let fake: FakeOpenRouter;
let ext: Page;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'altscout-job-storage-'));
  mkdirSync(join(dir, 'c'));
  writeFileSync(join(dir, 'c', 'tile.png'), solidPng(40, 30, [30, 120, 200]));
  // One product shot on 10,000 tiles with nothing around them: described once, the rest from the
  // cache. Each has a 500-character alt (too long, so "suspicious"): the record keeps it as the old
  // alt, which makes a job's record about 7 MB, two of them more than storage.session holds.
  const tile = `<img src="/c/tile.png" width="40" height="30" alt="${'A long description pasted into the alt attribute. '.repeat(10)}">`;
  const page = (n: number) => `<!doctype html><html lang="en"><head><title>Tiles</title></head><body>${tile.repeat(n)}</body></html>`;
  writeFileSync(join(dir, 'tiles.html'), page(IMAGES));
  writeFileSync(join(dir, 'few.html'), page(200));
  site = await startStaticServer(dir);
  fake = await startFakeOpenRouter();
  browser = await launchWithExtension();
  ext = await browser.openPopup(0, 'popup.html');
  await ext.evaluate((apiBase) => chrome.storage.local.set({ settings: { apiBase, concurrency: 4, budgetUsd: 1 } }), fake.apiBase);
  await setApiKey(ext, 'sk-or-v1-test');
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const call = <T>(name: string, data: unknown) => sendFromPage<T>(ext, name, data);

async function untilSettled(id: string, timeout = 180_000): Promise<Job> {
  let job: Job | null = null;
  await expect.poll(async () => (job = await call<Job | null>('getJob', { id }))?.state, { timeout, interval: 500 }).not.toBe('running');
  return job!;
}

/** storage.session now: bytes in use (as Chromium counts them) and the stored jobs (lib/jobs/record.ts StoredJob). */
const session = () => ext.evaluate(async () => ({ bytes: await chrome.storage.session.getBytesInUse(null), jobs: ((await chrome.storage.session.get('jobs')).jobs ?? []) as StoredJob[] }));

async function findings(path: string): Promise<{ tabId: number; ids: string[] }> {
  const { tabId } = await browser.openTab(`${site.url}/${path}`);
  const summary = await call<PageSummary>('getPageSummary', { tabId });
  if (!summary.supported) throw new Error(summary.reason);
  return { tabId, ids: summary.findings.filter((f) => f.status === 'suspicious').map((f) => f.id) };
}

describe('job records in storage.session', () => {
  it('leaves nothing half-recorded when the browser refuses a job, and saves again once there is room', async () => {
    const { tabId, ids } = await findings('few.html');
    const first = await untilSettled((await call<Job>('startJob', { tabId, modelId: MODEL, target: { kind: 'findings', ids } })).id);
    const before = await session();
    expect(before.jobs).toHaveLength(1);
    // Something else fills storage.session to its quota, all but a few kilobytes.
    await ext.evaluate(async (room) => {
      const used = await chrome.storage.session.getBytesInUse(null);
      await chrome.storage.session.set({ filler: 'x'.repeat(chrome.storage.session.QUOTA_BYTES - used - room) });
    }, 4096);
    const refused = await call<Job>('startJob', { tabId, modelId: MODEL, target: { kind: 'findings', ids } }).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/^AltScout could not save this job, so it did not start \(.+\)\. Try again, or describe fewer images at a time\.$/);
    expect((await session()).jobs).toEqual(before.jobs);
    expect((await call<Job>('getJob', { tabId })).id).toBe(first.id);

    await ext.evaluate(() => chrome.storage.session.remove('filler'));
    const job = await untilSettled((await call<Job>('startJob', { tabId, modelId: MODEL, target: { kind: 'findings', ids } })).id);
    expect(job).toMatchObject({ state: 'done', done: ids.length });
    expect((await session()).jobs[0].id).toBe(job.id);
  }, 300_000);
  it('runs a 10,000-image selection, and a second large job still saves: the older one makes room', async () => {
    const { tabId, ids } = await findings('tiles.html');
    expect(ids).toHaveLength(IMAGES);
    const jobs: Job[] = [];
    for (let run = 0; run < 2; run++) {
      const started = await call<Job>('startJob', { tabId, modelId: MODEL, target: { kind: 'findings', ids } } satisfies StartJob);
      const job = await untilSettled(started.id);
      expect(job).toMatchObject({ state: 'done', done: IMAGES, total: IMAGES, error: null });
      jobs.push(job);
      const { bytes, jobs: stored } = await session();
      console.log(`after job ${run + 1}: ${stored.length} kept, storage.session ${(bytes / 1024 / 1024).toFixed(2)} MB in use of ${(10).toFixed(0)} MB`);
      expect(stored).toHaveLength(1);
      expect(stored[0].record.length).toBeGreaterThan(5 * 1024 * 1024);
    }
    expect(fake.completions()).toHaveLength(1);
    // The newest job is kept; the older one made room, and says so plainly when asked for.
    expect((await call<Job>('getJob', { tabId })).id).toBe(jobs[1].id);
    expect(await call<Job | null>('getJob', { id: jobs[0].id })).toBeNull();
    await expect(call('retryItem', { jobId: jobs[0].id, itemId: ids[0] })).rejects.toThrow(/no longer kept/);
  }, 600_000);

});
