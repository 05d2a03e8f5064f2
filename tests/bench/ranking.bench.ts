// `npm run bench -- ranking`: time to rank the full catalog (target: well under 5 ms), against
// JSON.parse of the same catalog and a naive sort of it; then, in real Chromium, how long an
// extension page waits for getRanking answered from the cache (a stand-in), and how long the real
// popup for a fixture tab takes from navigation start to showing the "Budget" tier radio.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseCatalog } from '../../lib/catalog/parse';
import { offlineSnapshot } from '../../lib/catalog/snapshot';
import { rankModels } from '../../lib/ranking/rank';
import { CatalogSchema } from '../../lib/catalog/schema';
import {
  addEvidence, EvidenceStoreSchema, EvidenceSummariesSchema, MAX_MODELS, MAX_REVIEWS_PER_MODEL, MAX_VOTES_PER_MODEL, reviewOutcomes, summariseEvidence,
  type EvidenceStore,
} from '../../lib/evidence';
import { EMPTY_DRAFT } from '../../lib/ui/review';

const SHARED = '../shared/data/openrouter-models-2026-08-19.json';
const NOW = Date.parse('2026-08-19T12:00:00Z');

function time(runs: number, fn: () => unknown): { median: number; p95: number } {
  for (let i = 0; i < Math.min(20, runs); i++) fn(); // warm the JIT
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[runs >> 1], p95: samples[Math.floor(runs * 0.95)] };
}
const ms = (n: number) => `${n.toFixed(3)} ms`;

function pureFigures() {
  const text = existsSync(SHARED) ? readFileSync(SHARED, 'utf8') : null;
  const catalog = text ? parseCatalog(JSON.parse(text)) : offlineSnapshot().catalog;
  console.log(`catalog: ${text ? SHARED : 'bundled snapshot (shared data absent)'}, ${catalog.models.length} models, ${text ? (text.length / 1e6).toFixed(2) + ' MB' : ''}`);

  const runs = 300;
  const caption = time(runs, () => rankModels(catalog, { task: 'captioning', now: NOW }));
  const generation = time(runs, () => rankModels(catalog, { task: 'generation', now: NOW }));
  // The worst case the evidence store allows: every kept model at its cap of reviews and votes.
  // getRanking reads only the per-model counts; saving a review reads, extends and re-counts the log.
  const store = fullEvidenceStore(catalog.models.filter((m) => m.input.includes('image')).map((m) => m.id));
  const counts = JSON.parse(JSON.stringify(summariseEvidence(store)));
  const withEvidence = time(runs, () => rankModels(catalog, { task: 'captioning', now: NOW, evidence: EvidenceSummariesSchema.parse(counts) }));
  const storedLog = JSON.parse(JSON.stringify(store));
  const firstModel = Object.keys(store)[0];
  const review = { id: 'bench-job', modelId: firstModel, items: Array.from({ length: 20 }, (_, i) => ({ id: `0:doc:${i}`, frameId: 0, selector: 'img', src: null, oldAlt: null, state: 'done' as const, alt: 'A photo', costUsd: 0, cached: false, attempts: 1 })) };
  const save = time(50, () => summariseEvidence(addEvidence(EvidenceStoreSchema.parse(storedLog), [reviewOutcomes(review, EMPTY_DRAFT, NOW)])));
  const naive = time(runs, () => catalog.models.filter((m) => m.input.includes('image')).sort((a, b) => (b.aaIndex ?? -1) - (a.aaIndex ?? -1)));
  const jsonParse = text ? time(100, () => JSON.parse(text)) : null;
  const parse = text ? time(50, () => parseCatalog(JSON.parse(text))) : null;
  // What a woken worker does once before its first answer: validate the stored (reduced) catalog.
  const stored = JSON.parse(JSON.stringify(catalog));
  const revalidate = time(50, () => CatalogSchema.parse(stored));

  console.log('\n| step | median | p95 |');
  console.log('|---|---|---|');
  console.log(`| rank full catalog, captioning | ${ms(caption.median)} | ${ms(caption.p95)} |`);
  console.log(`| rank full catalog, generation | ${ms(generation.median)} | ${ms(generation.p95)} |`);
  console.log(`| rank full catalog, captioning, with the evidence store full (${MAX_MODELS} models × ${MAX_REVIEWS_PER_MODEL} reviews + ${MAX_VOTES_PER_MODEL} votes), counts validated | ${ms(withEvidence.median)} | ${ms(withEvidence.p95)} |`);
  console.log(`| saving a review of 20 captions to that full store (validate, add, count; not on the ranking path) | ${ms(save.median)} | ${ms(save.p95)} |`);
  console.log(`| reference: naive sort of the vision models by AA index | ${ms(naive.median)} | ${ms(naive.p95)} |`);
  if (jsonParse) console.log(`| reference: JSON.parse of the 1 MB catalog | ${ms(jsonParse.median)} | ${ms(jsonParse.p95)} |`);
  if (parse) console.log(`| fetch-side parse (JSON.parse + zod, once per refresh) | ${ms(parse.median)} | ${ms(parse.p95)} |`);
  console.log(`| worker start: validate the stored catalog (once per worker life) | ${ms(revalidate.median)} | ${ms(revalidate.p95)} |`);
  console.log(`\nranking / naive sort: ${(caption.median / naive.median).toFixed(1)}×`);
  if (jsonParse) console.log(`ranking / JSON.parse of the catalog: ${(caption.median / jsonParse.median).toFixed(2)}×`);
  // The median is the verdict: on a shared 2-core machine the p95 mostly measures other processes
  // (the load average is printed so a reader can tell).
  console.log(`target well under 5 ms per ranking: ${caption.median < 5 ? 'met' : 'MISSED'} (median ${ms(caption.median)}, ${(5 / caption.median).toFixed(1)}× headroom; p95 ${ms(caption.p95)}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
  console.log(`with the evidence store full: ${withEvidence.median < 5 ? 'met' : 'MISSED'} (median ${ms(withEvidence.median)}, ${(withEvidence.median / caption.median).toFixed(2)}× the ranking without evidence)`);
  return caption.median < 5 && withEvidence.median < 5;
}

function fullEvidenceStore(ids: string[]): EvidenceStore {
  const kinds = ['accepted', 'edited', 'rejected', 'regenerated'] as const;
  const votes = ['best', 'tied', 'lost'] as const;
  let store: EvidenceStore = {};
  for (const [m, id] of ids.slice(0, MAX_MODELS).entries()) {
    store = addEvidence(store, [{
      modelId: id,
      reviews: Array.from({ length: MAX_REVIEWS_PER_MODEL }, (_, i) => ({
        key: `job-${m}-${i >> 4}/0:doc${i}:${i}`, kind: kinds[(m + i) % 4], ...((m + i) % 4 === 1 ? { distance: (i % 10) / 10 } : {}), at: NOW + i,
      })),
      votes: Array.from({ length: MAX_VOTES_PER_MODEL }, (_, i) => ({ key: `run-${i >> 3}/${i}`, kind: votes[(m + i) % 3], at: NOW + i })),
    }]);
  }
  return store;
}

async function extensionFigures() {
  const out = process.env.ALTSCOUT_OUT ?? '.output-bench';
  process.env.ALTSCOUT_OUT = out;
  // Always build: a stale build would time code that no longer exists.
  console.log(`\nbuilding the extension into ${out} …`);
  // The test build: the popup is opened by URL here, not by a click that would grant the page.
  const build = spawnSync('npx', ['wxt', 'build'], { env: { ...process.env, ALTSCOUT_TEST_HOSTS: 'all' }, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('wxt build failed');
  const { launchWithExtension } = await import('../support/browser');
  const { startFakeOpenRouter } = await import('../support/fake-openrouter');
  const fake = await startFakeOpenRouter();
  const browser = await launchWithExtension();
  try {
    const url = `chrome-extension://${browser.extensionId}/options.html`;
    const page = await browser.context.newPage();
    await page.goto(url);
    await browser.worker.evaluate(async (apiBase) => chrome.storage.local.set({ settings: { apiBase } }), fake.apiBase);
    const send = (p: typeof page, type: string, data: unknown) =>
      p.evaluate(async ([type, data]) => {
        const t = performance.now();
        const reply = await chrome.runtime.sendMessage({ id: 1, type, data, timestamp: Date.now() });
        if (reply?.err) throw new Error(reply.err.message);
        return { ms: performance.now() - t, source: reply.res.catalog.source as string, picks: Object.values(reply.res.tiers).filter((t: any) => t.pick).length };
      }, [type, data] as const);
    await send(page, 'refreshCatalog', {});

    const rounds = 30;
    const getRanking: number[] = [];
    const rawRead: number[] = [];
    let last = { source: '', picks: 0 };
    for (let i = 0; i < rounds; i++) {
      const r = await send(page, 'getRanking', { task: 'captioning' });
      getRanking.push(r.ms);
      last = r;
      rawRead.push(await page.evaluate(async () => {
        const t = performance.now();
        await chrome.storage.local.get('catalogCache');
        return performance.now() - t;
      }));
    }
    // The same with the review history at its caps (the ranking reads only its counts).
    const catalog = existsSync(SHARED) ? parseCatalog(JSON.parse(readFileSync(SHARED, 'utf8'))) : offlineSnapshot().catalog;
    const store = fullEvidenceStore(catalog.models.filter((m) => m.input.includes('image')).map((m) => m.id));
    await browser.worker.evaluate(async (values) => chrome.storage.local.set(values), { evidence: store, evidenceSummary: summariseEvidence(store) });
    const withEvidence: number[] = [];
    for (let i = 0; i < rounds; i++) withEvidence.push((await send(page, 'getRanking', { task: 'captioning' })).ms);
    await browser.worker.evaluate(async () => chrome.storage.local.remove(['evidence', 'evidenceSummary']));
    // Open to picks: a new extension page, loaded, asking for the ranking (what the popup does).
    const openToPicks: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t = Date.now();
      const p = await browser.context.newPage();
      await p.goto(url);
      await send(p, 'getRanking', { task: 'captioning' });
      openToPicks.push(Date.now() - t);
      await p.close();
    }
    const popup = await realPopupOpenToPicks(browser, 10);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
    console.log(`\nIn Chromium (${out}), catalog served from cache (source: ${last.source}, ${last.picks} tier picks):`);
    console.log('| step | median | p95 |');
    console.log('|---|---|---|');
    console.log(`| getRanking round trip from an extension page | ${ms(med(getRanking))} | ${ms(p95(getRanking))} |`);
    console.log(`| getRanking round trip, review history full (${MAX_MODELS} models × ${MAX_REVIEWS_PER_MODEL + MAX_VOTES_PER_MODEL} records) | ${ms(med(withEvidence))} | ${ms(p95(withEvidence))} |`);
    console.log(`| reference: chrome.storage.local.get of the cached catalog from the page | ${ms(med(rawRead))} | ${ms(p95(rawRead))} |`);
    console.log(`| open an extension page → picks received (stand-in) | ${med(openToPicks)} ms | ${p95(openToPicks)} ms |`);
    console.log(`| real popup.html?tab=ID → "Budget" radio visible (navigation start to first frame showing it; n=${popup.samples.length}, so p95 is the slowest) | ${ms(med(popup.samples))} | ${ms(p95(popup.samples))} |`);
    console.log(`| … of which: popup DOMContentLoaded | ${ms(med(popup.domReady))} | ${ms(p95(popup.domReady))} |`);
    console.log(`\ngetRanking / raw storage read: ${(med(getRanking) / med(rawRead)).toFixed(1)}×`);
    console.log(`real popup / stand-in (open to picks): ${(med(popup.samples) / med(openToPicks)).toFixed(2)}× (the real popup also scans the tab and renders; the stand-in's time includes Playwright's page-open round trips)`);
  } finally {
    await browser.close();
    await fake.close();
  }
}

/**
 * Runs in the popup before its own scripts (a string: tsx would wrap a function's inner names in
 * a helper the page does not have). Records when a frame first shows a visible radio whose label
 * says "Budget", in ms since navigation start.
 */
const WATCH_BUDGET_RADIO = `(() => {
  const named = (input) => /Budget/.test((input.labels && input.labels[0] && input.labels[0].textContent) || input.getAttribute('aria-label') || '');
  const visible = (el) => { const box = el.getBoundingClientRect(); return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const check = () => {
    const radio = [...document.querySelectorAll('input[type=radio]')].find(named);
    if (radio && visible(radio)) window.budgetShownAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

type Launched = Awaited<ReturnType<typeof import('../support/browser')['launchWithExtension']>>;

/**
 * The real popup for a fixture tab, as the toolbar opens it: from navigation start until a frame
 * shows the radio named like "Budget" (which needs both the page scan and the ranking). The time
 * is taken inside the page (performance.now() has navigation start as origin) by a check run on
 * every animation frame, so Playwright's round trips are not counted; one warm-up run first.
 */
async function realPopupOpenToPicks(browser: Launched, runs: number): Promise<{ samples: number[]; domReady: number[] }> {
  const { startStaticServer } = await import('../support/static-server');
  const site = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
  const { page: tab, tabId } = await browser.openTab(`${site.url}/basic.html`);
  const url = `chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`;
  const samples: number[] = [];
  const domReady: number[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const p = await browser.context.newPage();
      await p.setViewportSize({ width: 400, height: 600 });
      // Installed before any popup script runs, so the first frame that shows the radio is caught.
      await p.addInitScript(WATCH_BUDGET_RADIO);
      await p.goto(url);
      const shownAt = await (await p.waitForFunction(() => (window as unknown as { budgetShownAt?: number }).budgetShownAt, undefined, { timeout: 30_000 })).jsonValue();
      // Same verdict as the e2e tests' selector, so the figure is for what they wait on.
      if (!(await p.getByRole('radio', { name: /Budget/ }).isVisible())) throw new Error('The in-page check and Playwright disagree on the Budget radio');
      const dcl = await p.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd);
      if (i > 0) {
        samples.push(shownAt as number);
        domReady.push(dcl);
      }
      await p.close();
    }
  } finally {
    await tab.close();
    await site.close();
  }
  return { samples, domReady };
}

const ok = pureFigures();
await extensionFigures();
process.exit(ok ? 0 : 1);
