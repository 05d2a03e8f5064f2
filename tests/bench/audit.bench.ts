// `npm run bench -- audit`: pages per second of `altscout audit` against a plain loop that loads
// each page in Chromium (waiting for `load`, as a script would) and runs axe-core's five image
// rules, side by side in one run, on the 30 real saved pages served from a local server. Their
// third-party resources are unreachable here, as they are offline. Also: pages per second at
// concurrency 1, 2, 4 and 8, and whether both found the same missing images on every page.
import { readdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { DEFAULT_CONCURRENCY } from '../../lib/cli/audit';
import { launchChromium, scannerBundle } from '../../lib/cli/browser';
import { Auditor, runPool, type PageScan, type Phase } from '../../lib/cli/scan-pages';
import { startStaticServer } from '../support/static-server';
import { AXE_RULES, axeSource } from '../support/scan-oracle';

const SHARED_PAGES = '../shared/data/pages';
const names = readdirSync(SHARED_PAGES).filter((f) => f.endsWith('.html')).sort();

/** The plain loop: one page at a time, goto until `load`, axe-core's five rules in the top frame. */
async function axeLoop(browser: Browser, urls: string[]) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const axe = axeSource();
  const bundle = await scannerBundle();
  const missing = new Map<string, string[]>();
  let timed = 0;
  for (const url of urls) {
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 }).catch(() => undefined);
    await page.evaluate(axe);
    await page.evaluate(`axe.run(document, { runOnly: { type: 'rule', values: ${JSON.stringify(AXE_RULES)} }, resultTypes: ['violations'], elementRef: true, iframes: false }).then((r) => { window.__axeResult = r; })`);
    timed += performance.now() - started;
    // Untimed: name axe's elements with AltScout's own selectors, to compare the two sets.
    await page.evaluate(bundle);
    const selectors = (await page.evaluate(`(() => {
      const api = window.__altscout;
      const scan = api.scan();
      const ids = new Map(scan.findings.map((f) => [api.element(f.id), f.id]));
      const els = window.__axeResult.violations.flatMap((v) => v.nodes.map((n) => n.element));
      return api.selectors([...new Set(els)].map((el) => ids.get(el) ?? ''));
    })()`)) as string[];
    missing.set(url, selectors.filter(Boolean).sort());
    await page.close();
  }
  await context.close();
  return { seconds: timed / 1000, missing };
}

async function altscout(browser: Browser, urls: string[], concurrency: number) {
  const auditor = await Auditor.start({ browser });
  const scans = new Map<string, PageScan>();
  let next = 0;
  const started = performance.now();
  await runPool(concurrency, () => (next < urls.length ? urls[next++] : undefined), async (url) => {
    scans.set(url, await auditor.audit(url));
  });
  const seconds = (performance.now() - started) / 1000;
  await auditor.close();
  const missing = new Map([...scans].map(([url, s]) => [url, s.findings.filter((f) => f.status === 'missing' && f.frameId === 0).map((f) => f.selector).sort()]));
  return { seconds, scans, missing };
}

/** Each step's own time (from the previous step's end), summed over the pages and as a median. */
function phaseTable(scans: PageScan[]): string {
  return PHASES.map((phase, i) => {
    const own = scans.flatMap((s) => {
      const end = s.phases?.[phase];
      const before = i === 0 ? 0 : s.phases?.[PHASES[i - 1]];
      return end == null || before == null ? [] : [end - before];
    }).sort((a, b) => a - b);
    const sum = own.reduce((n, ms) => n + ms, 0) / 1000;
    return `${PHASE_WORDS[phase]} ${sum.toFixed(1)} / ${own[own.length >> 1] ?? '-'}`;
  }).join(', ');
}
const PHASES: Phase[] = ['tab', 'commit', 'domReady', 'scrolled', 'quiet', 'frames', 'scanned', 'closed'];
const PHASE_WORDS: Record<Phase, string> = {
  tab: 'new tab + request holding', commit: 'navigation to first byte', domReady: 'to DOM ready', scrolled: 'scroll for lazy images',
  quiet: 'quiet period and held requests', frames: "frames' DOM", scanned: 'worlds + scanner + scan', closed: 'closing the tab',
};

async function main() {
  const server = await startStaticServer(SHARED_PAGES);
  const urls = names.map((n) => `${server.url}/${n}`);
  const browser = await launchChromium();
  try {
    console.log(`## altscout audit vs a plain Chromium + axe-core loop, ${urls.length} real pages, local server, third parties unreachable`);
    // Warm-up: Chromium's first page pays for its own start-up; neither tool should.
    await altscout(browser, urls.slice(0, 2), 1);
    const ours = await altscout(browser, urls, DEFAULT_CONCURRENCY);
    const axe = await axeLoop(browser, urls);
    const oursRate = urls.length / ours.seconds;
    const axeRate = urls.length / axe.seconds;
    console.log(`plain loop (load + axe-core, one page at a time): ${axe.seconds.toFixed(1)} s, ${axeRate.toFixed(2)} pages/s`);
    console.log(`altscout audit (default policy, concurrency ${DEFAULT_CONCURRENCY}):     ${ours.seconds.toFixed(1)} s, ${oursRate.toFixed(2)} pages/s`);
    console.log(`ratio: ${(oursRate / axeRate).toFixed(1)}x`);
    const differ = urls.filter((u) => JSON.stringify(ours.missing.get(u)) !== JSON.stringify(axe.missing.get(u)));
    const totalMissing = [...ours.missing.values()].reduce((n, m) => n + m.length, 0);
    console.log(`same missing set (top frame, by selector): ${urls.length - differ.length}/${urls.length} pages (${totalMissing} missing images)`);
    for (const u of differ) {
      const a = new Set(axe.missing.get(u));
      const o = new Set(ours.missing.get(u));
      console.log(`  ${u.split('/').pop()}: only altscout ${[...o].filter((s) => !a.has(s)).slice(0, 3).join(' | ')}; only axe ${[...a].filter((s) => !o.has(s)).slice(0, 3).join(' | ')}`);
    }
    const early = [...ours.scans.values()].filter((s) => s.readyState !== 'complete').length;
    const unsettled = [...ours.scans.values()].filter((s) => !s.settled).length;
    console.log(`scanned before load: ${early}/${urls.length}; not settled at the cap: ${unsettled}; abandoned requests: ${[...ours.scans.values()].reduce((n, s) => n + s.requests.abandoned.length, 0)}`);
    console.log(`where a page's time goes (sum over pages, s / median ms): ${phaseTable([...ours.scans.values()])}`);

    console.log('\n## altscout audit pages per second by concurrency');
    for (const concurrency of [1, 2, 4, 8]) {
      const run = await altscout(browser, urls, concurrency);
      console.log(`concurrency ${concurrency}: ${run.seconds.toFixed(1)} s, ${(urls.length / run.seconds).toFixed(2)} pages/s`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
