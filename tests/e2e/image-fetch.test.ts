import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { startStaticServer, type StaticServer } from '../support/static-server';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { blackPng } from '../support/black-png';
import { colourName, solidPng, toHex } from '../support/image-colour';
import type { Page } from 'playwright-core';
import type { Job, StartJob } from '../../lib/jobs/schema';
import type { PageSummary } from '../../lib/page/schema';

/**
 * The image fetching policy in the built extension's real service worker, where Chromium decides
 * which cookies a request carries. Two local servers stand in for sites: 127.0.0.1 and localhost
 * are different sites, two ports of 127.0.0.1 the same one, and Chromium's host resolver maps
 * public-looking names (gallery.example.com, cdn.example.net) to 127.0.0.1.
 */
const MODEL = 'google/gemini-2.5-flash';
const PUBLIC_HOSTS = ['gallery.example.com', 'img.gallery.example.com', 'cdn.example.net'];
const COOKIE = 'altscout_session';

type Rgb = [number, number, number];
/** Behind the user's login (needs the cookie). */
const PRIVATE: Rgb = [200, 20, 160];
/** On this computer, open to anyone who can reach it. */
const LOCAL: Rgb = [20, 160, 90];
/** Public, open. */
const SHOWN: Rgb = [30, 60, 220];
const captionOf = (rgb: Rgb) => `A ${colourName(rgb)} swatch (${toHex(rgb)})`;

interface Seen { host: string; path: string; cookie: string | undefined }

let browser: ExtensionBrowser;
let site: StaticServer;
let images: Server;
let imagePort = 0;
let fake: FakeOpenRouter;
let ext: Page;
let dir: string;
const seen: Seen[] = [];

const page = (body: string) => `<!doctype html><html lang="en"><head><title>Images</title></head><body>${body}</body></html>`;

beforeAll(async () => {
  // The image server: files that need the visitor's cookie (403 without it), open ones, and redirects.
  images = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ host: req.headers.host ?? '', path: `${url.pathname}${url.search}`, cookie: req.headers.cookie });
    if (url.pathname === '/redirect') return void res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    if (url.pathname === '/private.png') {
      if (!req.headers.cookie?.includes(`${COOKIE}=`)) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('log in first');
      return void res.writeHead(200, { 'content-type': 'image/png' }).end(solidPng(40, 30, PRIVATE));
    }
    if (url.pathname === '/secret.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(solidPng(40, 30, LOCAL));
    if (url.pathname === '/ok.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(solidPng(40, 30, SHOWN));
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => images.listen(0, '127.0.0.1', ok));
  imagePort = (images.address() as { port: number }).port;
  const img = (id: string, src: string) => `<img id="${id}" src="${src}" width="40" height="30">`;
  const at = (host: string, path: string) => `http://${host}:${imagePort}${path}`;

  dir = mkdtempSync(join(tmpdir(), 'altscout-fetch-'));
  writeFileSync(join(dir, 'cookies.html'), page([
    img('same', at('127.0.0.1', '/private.png?same')),
    img('cross', at('localhost', '/private.png?cross')),
    img('hop', at('127.0.0.1', `/redirect?to=${encodeURIComponent(at('localhost', '/private.png?hop'))}`)),
  ].join('\n')));
  writeFileSync(join(dir, 'public.html'), page([
    img('shown', at('cdn.example.net', '/ok.png?shown')),
    img('sub', at('img.gallery.example.com', '/private.png?sub')),
    img('thirdparty', at('cdn.example.net', '/private.png?thirdparty')),
    img('loop', at('127.0.0.1', '/secret.png?loop')),
    img('hex', at('0x7f.1', '/secret.png?hex')),
    img('mapped', at('[::ffff:7f00:1]', '/secret.png?mapped')),
    img('named', at('localhost', '/secret.png?named')),
    img('bounce', at('cdn.example.net', `/redirect?to=${encodeURIComponent(at('127.0.0.1', '/secret.png?bounce'))}`)),
  ].join('\n')));

  writeFileSync(join(dir, 'bomb.png'), blackPng(20000, 20000));
  writeFileSync(join(dir, 'bomb.html'), page(`${img('bomb', '/bomb.png')}\n${img('fine', at('127.0.0.1', '/ok.png?fine'))}`));

  site = await startStaticServer(dir);
  fake = await startFakeOpenRouter();
  browser = await launchWithExtension({ args: [`--host-resolver-rules=${PUBLIC_HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`] });
  // The user is "logged in" on every one of these sites.
  await browser.context.addCookies([
    ...['127.0.0.1', 'localhost', 'cdn.example.net'].map((domain) => ({ name: COOKIE, value: `for-${domain}`, domain, path: '/' })),
    { name: COOKIE, value: 'for-gallery', domain: '.gallery.example.com', path: '/' },
  ]);
  ext = await browser.openPopup(0, 'popup.html');
  await ext.evaluate(async (apiBase) => {
    await chrome.storage.local.set({ apiKey: 'sk-or-v1-test', settings: { apiBase, concurrency: 4, budgetUsd: 1 } });
  }, fake.apiBase);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await fake?.close();
  await new Promise<void>((ok) => (images ? images.close(() => ok()) : ok()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  fake.reset();
  seen.length = 0;
  // Each test pays for what it asks: no caption from an earlier test's identical image.
  await ext.evaluate(() => chrome.storage.local.remove('captionCache'));
});

/** Sends a protocol message the way an extension page does (webext-core's envelope). */
async function call<T>(name: string, data: unknown): Promise<T> {
  const reply = await ext.evaluate(
    ([type, payload]) => chrome.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type, data: payload, timestamp: Date.now() }),
    [name, data] as const,
  );
  const { res, err } = reply as { res?: T; err?: { message: string } };
  if (err) throw new Error(err.message);
  return res as T;
}

async function describePage(url: string): Promise<Job> {
  const { tabId } = await browser.openTab(url);
  // The page has loaded its own images (the load event waits for them): from here on, every
  // request the image server sees is AltScout's.
  seen.length = 0;
  const summary = await call<PageSummary>('getPageSummary', { tabId });
  if (!summary.supported) throw new Error(summary.reason);
  const ids = summary.findings.filter((f) => f.status === 'missing').map((f) => f.id);
  const start: StartJob = { tabId, modelId: MODEL, target: { kind: 'findings', ids } };
  const { id } = await call<Job>('startJob', start);
  let job: Job | null = null;
  await expect.poll(async () => (job = await call<Job | null>('getJob', { id }))?.state, { timeout: 40_000, interval: 200 }).not.toBe('running');
  return job!;
}

const item = (job: Job, id: string) => job.items.find((i) => i.selector.includes(id));
const request = (query: string) => seen.filter((s) => s.path.endsWith(`?${query}`));
const cookieOf = (query: string) => request(query).map((s) => s.cookie ?? null);

describe('which images the worker reads, and with whose cookies', () => {
  it('sends cookies to a same-site image (another port) and never to a cross-site one, redirects included', async () => {
    const job = await describePage(`${site.url}/cookies.html`);
    // Same site: 127.0.0.1 on another port. The request carried the user's cookie for 127.0.0.1.
    expect(cookieOf('same')).toEqual([`${COOKIE}=for-127.0.0.1`]);
    expect(item(job, 'same')).toMatchObject({ state: 'done', alt: captionOf(PRIVATE) });
    // Another site (localhost): asked without the cookie the browser holds for it, so its server refused.
    expect(cookieOf('cross')).toEqual([null]);
    expect(item(job, 'cross')).toMatchObject({ state: 'skipped', errorCode: 'http-error' });
    expect(item(job, 'cross')?.error).toMatch(/refused the image \(HTTP 403\)/);
    // A same-site address that redirects to another site: the cookie does not follow the redirect.
    expect(request('hop').length).toBeGreaterThan(0);
    expect(cookieOf('hop').every((c) => c === null)).toBe(true);
    expect(item(job, 'hop')).toMatchObject({ state: 'skipped', errorCode: 'http-error' });
    // Only the one readable image reached the model.
    expect(fake.completions()).toHaveLength(1);
  });

  it('does not let a page on a public site make AltScout read this computer, in any spelling, even through a redirect', async () => {
    const job = await describePage(`http://gallery.example.com:${new URL(site.url).port}/public.html`);
    expect(job.pageUrl).toMatch(/^http:\/\/gallery\.example\.com:/);
    // Public images are read as before; cookies only for the page's own site (scheme + example.com).
    expect(item(job, 'shown')).toMatchObject({ state: 'done', alt: captionOf(SHOWN) });
    expect(cookieOf('sub')).toEqual([`${COOKIE}=for-gallery`]);
    expect(item(job, 'sub')?.state).toBe('done');
    expect(cookieOf('thirdparty')).toEqual([null]);
    expect(item(job, 'thirdparty')?.state).toBe('skipped');
    // Loopback in four spellings: refused with a plain reason, never even requested.
    for (const id of ['loop', 'hex', 'mapped', 'named']) {
      expect(item(job, id), id).toMatchObject({ state: 'skipped', errorCode: 'refused' });
      expect(item(job, id)?.error).toMatch(/on this computer .* AltScout does not read such images for a page on a public site/);
      expect(request(id), id).toEqual([]);
    }
    // A public address redirecting to loopback: the browser hides where it leads, so the request
    // went without cookies, and what came back was thrown away.
    expect(item(job, 'bounce')).toMatchObject({ state: 'skipped', errorCode: 'refused' });
    expect(cookieOf('bounce').every((c) => c === null)).toBe(true);
    // Nothing of the local images reached the model: two calls, the public image and the same-site one.
    expect(fake.completions().map((r) => r.caption).sort()).toEqual([captionOf(SHOWN), captionOf(PRIVATE)].sort());
    expect(fake.completions().map((r) => r.caption)).not.toContain(captionOf(LOCAL));
  });

  it('refuses a 48 KB PNG of 20000×20000 px from its header, and describes the rest of the page', async () => {
    const job = await describePage(`${site.url}/bomb.html`);
    expect(item(job, 'bomb')).toMatchObject({ state: 'skipped', errorCode: 'too-large', error: 'The image is 20000×20000 px (400 megapixels), over the 40-megapixel limit AltScout decodes.' });
    expect(item(job, 'fine')).toMatchObject({ state: 'done', alt: captionOf(SHOWN) });
    expect(fake.completions()).toHaveLength(1);
  });
});
