// Scan time of AltScout's scanner vs axe-core's five image rules (image-alt, input-image-alt,
// role-img-alt, svg-img-alt, area-alt), same Chromium, same page, same run; plus the content
// script's built size. `npm run bench -- scan`.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import type { BrowserContext } from 'playwright-core';
import { launchChromium, scannerBundle } from '../../lib/cli/scan-pages';
import { startStaticServer } from '../support/static-server';
import { AXE_RULES, axeSource, prepareFrame } from '../support/scan-oracle';
import { generatedPage } from './generated-page';

const SHARED_PAGES = '../shared/data/pages';
// Both tools are timed the same way, each alone in its own fresh page (so neither pays for the
// other's garbage or JIT state): the very first run, reported apart; untimed runs for the same
// wall time (the JIT compiles the hot code of each while they run; both get faster for about a
// second); then the median of the timed runs. Which tool goes first alternates page by page.
const WARMUP_MS = 1000;
const WARMUP_RUNS = { min: 2, max: 300 };
const OUR_RUNS = 25;
const AXE_RUNS = 5;
const GENERATED_TRIALS = 5;

interface Timing {
  oursFirst: number;
  oursMedian: number;
  axeFirst: number;
  axeMedian: number;
  oursMissing: number;
  axeMissing: number;
  sameMissing: boolean;
  images: number;
  /** The second phase, on demand: context and size for every missing finding (a job on all of them). */
  detailsMs: number;
  detailed: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type Tool = 'ours' | 'axe';

/**
 * One tool alone in a fresh, painted page (its own heap and JIT state, none of the other tool's
 * garbage): its very first run, then the median of `runs` after untimed runs filling WARMUP_MS.
 */
async function timeAlone(context: BrowserContext, url: string, tool: Tool): Promise<{ first: number; median: number }> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'load' });
    // A page the user opens the popup on has been painted: its first layout is not the tools' work.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.evaluate(tool === 'ours' ? await scannerBundle() : axeSource());
    // tsx keeps function names with an `__name` helper that the page does not have.
    await page.evaluate('window.__name = (f) => f');
    return await page.evaluate(async ({ tool, rules, warmupMs, warmupRuns, runs }) => {
      const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } }).axe;
      const run = tool === 'ours'
        ? () => window.__altscout!.scan()
        : () => axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'], elementRef: true, iframes: false });
      let t = performance.now();
      await run();
      const first = performance.now() - t;
      const start = performance.now();
      for (let i = 1; i < warmupRuns.max && (i < warmupRuns.min || performance.now() - start < warmupMs); i += 1) await run();
      const times: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      return { first, median: times.sort((a, b) => a - b)[Math.floor(runs / 2)] };
    }, { tool, rules: AXE_RULES, warmupMs: WARMUP_MS, warmupRuns: WARMUP_RUNS, runs: tool === 'ours' ? OUR_RUNS : AXE_RUNS });
  } finally {
    await page.close();
  }
}

/** Both tools on one page, once: the missing sets compared element for element, and the on-demand details phase timed. */
async function compareMissing(context: BrowserContext, url: string) {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'load' });
    await prepareFrame(page.mainFrame());
    await page.evaluate('window.__name = (f) => f');
    return await page.evaluate(async (rules) => {
      type AxeResult = { violations: Array<{ nodes: Array<{ element: Element }> }> };
      const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> } }).axe;
      const scan = window.__altscout!.scan();
      const result = await axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'], elementRef: true, iframes: false });
      const missingIds = scan.findings.filter((f) => f.status === 'missing').map((f) => f.id);
      const d = performance.now();
      const details = window.__altscout!.details(missingIds);
      const detailsMs = performance.now() - d;
      const mine = new Set<Element | null>(missingIds.map((id) => window.__altscout!.element(id)));
      const axeSet = new Set(result.violations.flatMap((v) => v.nodes.map((n) => n.element)));
      return {
        oursMissing: mine.size,
        axeMissing: axeSet.size,
        sameMissing: mine.size === axeSet.size && [...mine].every((el) => el != null && axeSet.has(el)),
        images: scan.findings.length,
        detailsMs,
        detailed: details.length,
      };
    }, AXE_RULES);
  } finally {
    await page.close();
  }
}

/** `axeFirst`: which tool goes first, alternated between calls so neither always has the fresher machine. */
async function measure(context: BrowserContext, url: string, axeFirst = false): Promise<Timing> {
  const timings: Partial<Record<Tool, { first: number; median: number }>> = {};
  for (const tool of (axeFirst ? ['axe', 'ours'] : ['ours', 'axe']) as Tool[]) timings[tool] = await timeAlone(context, url, tool);
  return {
    oursFirst: timings.ours!.first,
    oursMedian: timings.ours!.median,
    axeFirst: timings.axe!.first,
    axeMedian: timings.axe!.median,
    ...(await compareMissing(context, url)),
  };
}

function row(name: string, t: Timing): string {
  const ratio = t.axeMedian / t.oursMedian;
  return [
    name.padEnd(34),
    String(t.images).padStart(6),
    `${t.oursMedian.toFixed(2)}`.padStart(9),
    `${t.oursFirst.toFixed(2)}`.padStart(9),
    `${t.axeMedian.toFixed(1)}`.padStart(9),
    `${ratio.toFixed(1)}x`.padStart(8),
    `${t.oursMissing}/${t.axeMissing}${t.sameMissing ? '' : ' DIFFERENT'}`.padStart(12),
  ].join(' ');
}

/**
 * The script injected into every frame of a page AltScout is opened on, as the store build ships
 * it, against main before it was injected on demand (content-scripts/content.js at 848b563:
 * 39.9 kB, 14.4 kB gzipped, with hand-written message checks and @webext-core/messaging).
 */
const CONTENT_SCRIPT_REFERENCE = { raw: 39_941, gzip: 14_421, what: 'content.js before on-demand injection (848b563)' };

function contentScriptSize(): void {
  const out = '.output-bench';
  const file = `${out}/chrome-mv3/page-agent.js`;
  const built = spawnSync('npx', ['wxt', 'build'], { env: { ...process.env, ALTSCOUT_OUT: out, ALTSCOUT_TEST_HOSTS: '' }, encoding: 'utf8' });
  if (built.status !== 0 || !existsSync(file)) {
    console.log(`content script: build failed, size unknown\n${built.stderr.slice(-500)}`);
    return;
  }
  const code = readFileSync(file);
  const text = code.toString();
  const react = /react\.(element|transitional)|__SECRET_INTERNALS|useState/.test(text);
  const zod = /ZodError|\$ZodType/.test(text);
  // kB of 1,000 bytes, as WXT prints sizes.
  const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  const raw = statSync(file).size;
  const gzip = gzipSync(code).length;
  const diff = (now: number, then: number) => `${now >= then ? '+' : '-'}${kB(Math.abs(now - then))}`;
  console.log(`\ncontent script (${file}, injected on demand): ${kB(raw)}, ${kB(gzip)} gzipped; ` +
    `reference ${kB(CONTENT_SCRIPT_REFERENCE.raw)}, ${kB(CONTENT_SCRIPT_REFERENCE.gzip)} gzipped (${CONTENT_SCRIPT_REFERENCE.what}): ` +
    `${diff(raw, CONTENT_SCRIPT_REFERENCE.raw)}, ${diff(gzip, CONTENT_SCRIPT_REFERENCE.gzip)} gzipped; React ${react ? 'PRESENT' : 'absent'}, zod ${zod ? 'PRESENT' : 'absent'}`);
}

async function main() {
  const site = await startStaticServer('tests/fixtures');
  const shared = await startStaticServer(SHARED_PAGES);
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  await context.route(`${site.url}/generated.html`, (route) => route.fulfill({ contentType: 'text/html', body: generatedPage() }));
  const header = `${'page'.padEnd(34)} ${'cands'.padStart(6)} ${'ours ms'.padStart(9)} ${'1st ms'.padStart(9)} ${'axe ms'.padStart(9)} ${'ratio'.padStart(8)} ${'missing'.padStart(12)}`;
  console.log(`Chromium ${browser.version()}; each tool alone in a fresh painted page: its first run (1st ms, ours), untimed runs for ${WARMUP_MS} ms ` +
    `(${WARMUP_RUNS.min} to ${WARMUP_RUNS.max} runs), then the median of ${OUR_RUNS} timed runs (ours) or ${AXE_RUNS} (axe-core, ${AXE_RULES.length} rules); ` +
    `missing = ours/axe on one page with both`);
  console.log(header);
  try {
    // Several pages, alternating which tool goes first, median of them: one page's figures swing
    // by a fifth with the machine's other work.
    const trials: Timing[] = [];
    for (let i = 0; i < GENERATED_TRIALS; i += 1) {
      trials.push(await measure(context, `${site.url}/generated.html`, i % 2 === 1));
      console.log(row(`generated 5,000 images (page ${i + 1})`, trials[i]));
    }
    const generated: Timing = {
      ...trials[0],
      oursMedian: median(trials.map((t) => t.oursMedian)),
      axeMedian: median(trials.map((t) => t.axeMedian)),
      oursFirst: median(trials.map((t) => t.oursFirst)),
      axeFirst: median(trials.map((t) => t.axeFirst)),
      sameMissing: trials.every((t) => t.sameMissing),
    };
    const trialRatios = trials.map((t) => t.axeMedian / t.oursMedian);

    const realTimes: Timing[] = [];
    const names = readdirSync(SHARED_PAGES).filter((f) => f.endsWith('.html')).sort();
    for (const [i, name] of names.entries()) {
      const t = await measure(context, `${shared.url}/${name}`, i % 2 === 1);
      realTimes.push(t);
      console.log(row(name, t));
    }
    const ours = realTimes.map((t) => t.oursMedian);
    const ratios = realTimes.map((t) => t.axeMedian / t.oursMedian);
    console.log(`\nreal pages (${realTimes.length}): ours median ${median(ours).toFixed(2)} ms, max ${Math.max(...ours).toFixed(2)} ms; ` +
      `ratio vs axe-core median ${median(ratios).toFixed(1)}x, min ${Math.min(...ratios).toFixed(1)}x; same missing set on ${realTimes.filter((t) => t.sameMissing).length}/${realTimes.length}`);
    console.log(`generated page, median over ${GENERATED_TRIALS} pages: ours ${generated.oursMedian.toFixed(1)} ms vs axe-core ${generated.axeMedian.toFixed(1)} ms = ` +
      `${(generated.axeMedian / generated.oursMedian).toFixed(1)}x (target >= 20x; per page ${trialRatios.map((r) => `${r.toFixed(1)}x`).join(', ')}), same missing set: ${generated.sameMissing}`);
    console.log(`generated page, first run on a fresh painted page (median of ${GENERATED_TRIALS}): ours ${generated.oursFirst.toFixed(1)} ms vs axe-core ` +
      `${generated.axeFirst.toFixed(1)} ms = ${(generated.axeFirst / generated.oursFirst).toFixed(1)}x`);
    console.log(`generated page, details on demand (context + size) for all ${generated.detailed} missing images, once: ${generated.detailsMs.toFixed(1)} ms (paid only when a job starts)`);
  } finally {
    await context.close();
    await browser.close();
    await Promise.all([site.close(), shared.close()]);
  }
  contentScriptSize();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
