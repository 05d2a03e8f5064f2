import { availableParallelism } from 'node:os';
import type { Browser } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { choice, helpText, intValue, runCommand, stringList, stringValue, UsageError, type CommandSpec, type Parsed } from './args';
import { ChromiumError } from './browser';
import { CodecPage } from './codec';
import { compareWithBaseline, type BaselineTotals } from './baseline';
import { csvText, exitCode, EXIT, FAIL_ON, FORMATS, jsonLine, jsonText, summaryLine, tableText, type FailOn, type Format } from './formats';
import { htmlReport } from './html-report';
import { fileSink, processIo, readAll, streamSink, type Io, type Sink } from './io';
import { junitText } from './junit';
import { Crawl, inShard, parseShard, parseUrlList, toUrl, unique, type Shard } from './pages';
import { Progress } from './progress';
import { auditResult, pageResult, parseResultText, ResultError, type AuditResult, type PageResult } from './result';
import { fetchRobots, Robots } from './robots';
import { sarifText } from './sarif';
import { Auditor, blockMatcher, DEFAULT_LOAD, runPool } from './scan-pages';
import { readSitemap, SitemapError } from './sitemap';

export { toUrl } from './pages';
export { UsageError } from './args';

/** Pages at once: the work is mostly waiting on the network, so twice the cores, at most 8. */
export const DEFAULT_CONCURRENCY = Math.min(8, Math.max(2, availableParallelism() * 2));
export const CRAWL_MAX_PAGES = 500;
export const CRAWL_MAX_DEPTH = 5;

export const AUDIT_SPEC: CommandSpec = {
  name: 'audit',
  usage: '[options] <url-or-file>...',
  description: `Scans pages in headless Chromium with AltScout's scanner and reports every image that is missing
a text alternative (axe-core's image-alt, input-image-alt, role-img-alt, svg-img-alt, area-alt)
or has a poor one. Pages come from the arguments, --urls files or stdin, --sitemap and --crawl.
A page is scanned once its DOM is ready, scrolled through and quiet, or at --wait-ms: images and
the load event are never waited for, and the output says which pages were scanned before load.`,
  options: {
    urls: { type: 'string', multiple: true, value: 'FILE', help: 'read URLs (or HTML file paths) from FILE, one per line, # comments; "-" reads stdin' },
    sitemap: { type: 'string', multiple: true, value: 'URL', help: 'audit the pages a sitemap.xml or sitemap index lists (a URL or a file; .gz too)' },
    crawl: { type: 'string', multiple: true, value: 'URL', help: 'follow same-origin links from URL, breadth first' },
    'max-pages': { type: 'string', value: 'N', help: `audit at most N pages (default ${CRAWL_MAX_PAGES} for --crawl, no limit for lists)` },
    'max-depth': { type: 'string', value: 'N', help: `--crawl: follow links at most N clicks from the start (default ${CRAWL_MAX_DEPTH})` },
    include: { type: 'string', multiple: true, value: 'PATTERN', help: 'only pages whose URL contains PATTERN ("*" matches anything)' },
    exclude: { type: 'string', multiple: true, value: 'PATTERN', help: 'leave out pages whose URL contains PATTERN' },
    'ignore-robots': { type: 'boolean', help: '--crawl and --sitemap: do not read robots.txt (by default its rules for "altscout" or "*" are kept)' },
    shard: { type: 'string', value: 'i/n', help: 'audit shard i of n of the page list (disjoint shards whose union is the list; same on every machine)' },
    list: { type: 'boolean', help: 'print the pages this run would audit, one per line, and stop' },
    concurrency: { type: 'string', value: 'N', help: `pages audited at once in one browser (default ${DEFAULT_CONCURRENCY} on this machine)` },
    'wait-ms': { type: 'string', value: 'MS', help: `the most a page gets from navigation to scan; it is then scanned as it is (default ${DEFAULT_LOAD.waitMs})` },
    'settle-ms': { type: 'string', value: 'MS', help: `quiet time (no image, name or element changes) that counts as settled (default ${DEFAULT_LOAD.settleMs})` },
    'request-timeout-ms': { type: 'string', value: 'MS', help: `scripts, stylesheets and frames unanswered after MS are abandoned, so a dead host cannot hold a page (default ${DEFAULT_LOAD.requestTimeoutMs})` },
    block: { type: 'string', multiple: true, value: 'PATTERN', help: 'never request URLs containing PATTERN ("*" matches anything), as Lighthouse --blocked-url-patterns' },
    format: { type: 'string', value: 'FORMAT', help: `${FORMATS.join(', ')} (default table)` },
    json: { type: 'boolean', help: 'same as --format json' },
    out: { type: 'string', value: 'FILE', help: 'write the report to FILE instead of stdout' },
    thumbnails: { type: 'boolean', help: 'put a small picture of each missing and suspicious image in the result (always on for html)' },
    'fail-on': { type: 'string', value: 'WHAT', help: 'exit 1 when a page has images missing alt (missing), missing or poor alt (suspicious), or never (none, the default)' },
    baseline: { type: 'string', value: 'FILE', help: 'a previous JSON (or JSON Lines) result: --fail-on counts only new problems; the report lists new, fixed and unchanged' },
    quiet: { type: 'boolean', short: 'q', help: 'no progress line on stderr' },
  },
  footer: `Formats: table for people; json (one document); jsonl (one page per line, as each finishes);
csv (one row per image); junit (one test case per page); sarif (SARIF 2.1.0, one result per
problem); html (one self-contained, accessible report). Turn a JSON result into another format,
or combine shards, with "npm run altscout -- merge".
Exit codes: 0 clean, 1 --fail-on found something, 2 usage error (or Chromium would not start),
3 a page could not be audited (the others are still reported).`,
};

export interface AuditArgs {
  targets: string[];
  urlFiles: string[];
  sitemaps: string[];
  crawl: string[];
  maxPages: number | undefined;
  maxDepth: number;
  include: string[];
  exclude: string[];
  ignoreRobots: boolean;
  shard: Shard | null;
  list: boolean;
  concurrency: number;
  waitMs: number;
  settleMs: number;
  requestTimeoutMs: number;
  block: string[];
  format: Format;
  out: string | null;
  thumbnails: boolean;
  failOn: FailOn;
  baseline: string | null;
  quiet: boolean;
}

export function checkAuditArgs({ values, positionals }: Parsed): AuditArgs {
  const json = values.json === true;
  const explicit = stringValue(values, 'format');
  if (json && explicit && explicit !== 'json') throw new UsageError(`--json and --format ${explicit} ask for different formats: give one.`);
  const format = json ? 'json' : choice(values, 'format', FORMATS, 'table');
  const args: AuditArgs = {
    targets: positionals.map(toUrl),
    urlFiles: stringList(values, 'urls'),
    sitemaps: stringList(values, 'sitemap'),
    crawl: stringList(values, 'crawl').map((u) => {
      const url = toUrl(u);
      if (!/^https?:/.test(url)) throw new UsageError(`--crawl needs an http(s) URL (got "${u}").`);
      return url;
    }),
    maxPages: intValue(values, 'max-pages', { min: 1 }),
    maxDepth: intValue(values, 'max-depth', { min: 0, max: 1000 }, CRAWL_MAX_DEPTH),
    include: stringList(values, 'include'),
    exclude: stringList(values, 'exclude'),
    ignoreRobots: values['ignore-robots'] === true,
    shard: stringValue(values, 'shard') === undefined ? null : parseShard(stringValue(values, 'shard')!),
    list: values.list === true,
    concurrency: intValue(values, 'concurrency', { min: 1, max: 64 }, DEFAULT_CONCURRENCY),
    waitMs: intValue(values, 'wait-ms', { min: 100, max: 600_000 }, DEFAULT_LOAD.waitMs),
    settleMs: intValue(values, 'settle-ms', { min: 0, max: 60_000 }, DEFAULT_LOAD.settleMs),
    requestTimeoutMs: intValue(values, 'request-timeout-ms', { min: 100, max: 600_000 }, DEFAULT_LOAD.requestTimeoutMs),
    block: stringList(values, 'block').filter(Boolean),
    format,
    out: stringValue(values, 'out') ?? null,
    thumbnails: values.thumbnails === true || format === 'html',
    failOn: choice(values, 'fail-on', FAIL_ON, 'none'),
    baseline: stringValue(values, 'baseline') ?? null,
    quiet: values.quiet === true,
  };
  const sources = args.targets.length + args.urlFiles.length + args.sitemaps.length + args.crawl.length;
  if (!sources) throw new UsageError('Give at least one URL or HTML file to audit, or --urls, --sitemap or --crawl.');
  if (args.shard && args.crawl.length) {
    throw new UsageError('--shard splits a list of pages, and a crawl finds its pages as it goes: list them first (audit --crawl URL --list > pages.txt), then shard the list (--urls pages.txt --shard i/n).');
  }
  if (args.urlFiles.filter((f) => f === '-').length > 1) throw new UsageError('Only one --urls can read stdin.');
  return args;
}

/** `deps.browser`: audit in this browser (tests share one) instead of launching Chromium. */
export function run(argv: string[], io: Io = processIo(), deps: { browser?: Browser } = {}): Promise<number> {
  return runCommand(AUDIT_SPEC, argv, checkAuditArgs, (args) => audit(args, io, deps));
}

export { helpText };

/** The listed pages (arguments, --urls, --sitemap), with include/exclude, robots and --max-pages applied. */
export async function listedPages(args: AuditArgs, io: Io, warn: (line: string) => void): Promise<string[]> {
  const urls = [...args.targets];
  for (const file of args.urlFiles) {
    const text = file === '-' ? await readAll(io.stdin) : await readFile(file, 'utf8').catch(() => {
      throw new UsageError(`Cannot read the URL list ${file}.`);
    });
    urls.push(...parseUrlList(text, file === '-' ? 'stdin' : file));
  }
  const fromSitemaps: string[] = [];
  for (const sitemap of args.sitemaps) {
    try {
      fromSitemaps.push(...(await readSitemap(sitemap)).urls);
    } catch (error) {
      if (error instanceof SitemapError) throw new UsageError(error.message);
      throw error;
    }
  }
  const included = args.include.length ? blockMatcher(args.include) : () => true;
  const excluded = blockMatcher(args.exclude);
  let list = unique([...urls, ...fromSitemaps.filter((u) => included(u) && !excluded(u))]);
  if (fromSitemaps.length && !args.ignoreRobots) list = await keepRobotsAllowed(list, new Set(fromSitemaps), warn);
  return args.maxPages ? list.slice(0, args.maxPages) : list;
}

/** Sitemap pages are checked against their site's robots.txt; pages listed by hand are not. */
async function keepRobotsAllowed(list: string[], fromSitemaps: Set<string>, warn: (line: string) => void): Promise<string[]> {
  const robots = new Map<string, Robots>();
  const out: string[] = [];
  let skipped = 0;
  for (const url of list) {
    if (!fromSitemaps.has(url)) {
      out.push(url);
      continue;
    }
    const { origin } = new URL(url);
    if (!robots.has(origin)) {
      const read = await fetchRobots(origin);
      if (read.note) warn(read.note);
      robots.set(origin, read.robots);
    }
    if (robots.get(origin)!.allows(url)) out.push(url);
    else skipped += 1;
  }
  if (skipped) warn(`altscout audit: ${skipped} sitemap page${skipped === 1 ? '' : 's'} left out: robots.txt disallows them (--ignore-robots to audit them).`);
  return out;
}

async function readBaseline(file: string): Promise<PageResult[]> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`Cannot read the baseline ${file}.`);
  });
  try {
    return parseResultText(text, file).pages;
  } catch (error) {
    if (error instanceof ResultError) throw new UsageError(error.message);
    throw error;
  }
}

/** Writes a finished result in any format but jsonl (which streams). */
export function formatResult(result: AuditResult, format: Format, failOn: FailOn): string {
  switch (format) {
    case 'json': return jsonText(result);
    case 'jsonl': return result.pages.map(jsonLine).join('');
    case 'csv': return csvText(result);
    case 'junit': return junitText(result, failOn);
    case 'sarif': return sarifText(result);
    case 'html': return htmlReport(result);
    default: return tableText(result);
  }
}

async function audit(args: AuditArgs, io: Io, deps: { browser?: Browser }): Promise<number> {
  const warn = (line: string) => void io.stderr.write(`${line}\n`);
  let baseline: PageResult[] | null = null;
  let list: string[] = [];
  try {
    if (args.baseline) baseline = await readBaseline(args.baseline);
    list = inShard(await listedPages(args, io, warn), args.shard);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    warn(`altscout audit: ${error.message}`);
    return EXIT.usage;
  }

  let crawl: Crawl | null = null;
  if (args.crawl.length) {
    let robots = Robots.allowAll();
    if (!args.ignoreRobots) {
      const read = await fetchRobots(new URL(args.crawl[0]).origin);
      if (read.note) warn(read.note);
      robots = read.robots;
    }
    crawl = new Crawl(args.crawl, { maxPages: args.maxPages ?? CRAWL_MAX_PAGES, maxDepth: args.maxDepth, include: args.include, exclude: args.exclude, robots });
  }
  if (args.list && !crawl) {
    const sink = args.out ? await fileSink(args.out) : streamSink(io.stdout);
    await sink.write(list.map((u) => `${u}\n`).join(''));
    await sink.close();
    return EXIT.clean;
  }

  let auditor: Auditor;
  let codec: CodecPage | null = null;
  try {
    auditor = await Auditor.start({
      browser: deps.browser,
      waitMs: args.waitMs, settleMs: args.settleMs, requestTimeoutMs: args.requestTimeoutMs, block: args.block,
      links: Boolean(crawl),
    });
  } catch (error) {
    if (!(error instanceof ChromiumError)) throw error;
    warn(`altscout audit: ${error.message}`);
    return EXIT.usage;
  }
  let sink: Sink | null = null;
  try {
    if (args.thumbnails && !args.list) {
      codec = await CodecPage.open(auditor.context.browser()!);
      auditor.useThumbnails(codec);
    }
    sink = args.out ? await fileSink(args.out) : streamSink(io.stdout);
    const baselineByUrl = baseline ? new Map(baseline.map((p) => [p.url, p])) : null;
    const totals: BaselineTotals = { new: 0, fixed: 0, unchanged: 0 };
    const results: Array<{ order: number; page: PageResult }> = [];
    const progress = new Progress(io.stderr, () => (crawl ? null : list.length), !args.quiet);
    let order = 0;
    let writing = Promise.resolve();
    const jobs = crawl ? null : list.map((url, i) => ({ url, depth: 0, order: i }));
    const take = () => {
      if (jobs) return jobs.shift();
      const next = crawl!.take();
      return next ? { ...next, order: order++ } : undefined;
    };
    await runPool(args.concurrency, take, async (job) => {
      const scan = await auditor.audit(job.url);
      if (crawl) {
        if (job.depth === 0) crawl.addOrigin(scan.url);
        for (const link of scan.links ?? []) crawl.offer(link, job.depth + 1);
      }
      let page = pageResult(scan);
      if (baselineByUrl) {
        const compared = compareWithBaseline([page], baselineByUrl.has(page.url) ? [baselineByUrl.get(page.url)!] : []);
        page = compared.pages[0];
        totals.new += compared.totals.new;
        totals.fixed += compared.totals.fixed;
        totals.unchanged += compared.totals.unchanged;
      }
      progress.page(Boolean(page.error));
      if (args.list) {
        writing = writing.then(() => sink!.write(`${page.url}\n`));
        return;
      }
      results.push({ order: job.order, page });
      if (args.format === 'jsonl') writing = writing.then(() => sink!.write(jsonLine(page)));
    });
    await writing;
    progress.finish();
    if (crawl?.robotsSkipped) warn(`altscout audit: ${crawl.robotsSkipped} link${crawl.robotsSkipped === 1 ? '' : 's'} not followed: robots.txt disallows them (--ignore-robots to follow them).`);
    if (args.list) return EXIT.clean;
    const pages = results.sort((a, b) => a.order - b.order).map((r) => r.page);
    const result = auditResult(pages, { ...(args.shard ? { shard: args.shard } : {}), ...(baseline ? { baseline: { file: args.baseline!, ...totals } } : {}) });
    if (args.format !== 'jsonl') await sink.write(formatResult(result, args.format, args.failOn));
    if (args.format !== 'table' && !args.quiet) warn(`altscout audit: ${summaryLine(result)}`);
    for (const page of pages) if (page.error) warn(`altscout audit: could not audit ${page.url}: ${page.error}`);
    return exitCode(pages, args.failOn, Boolean(baseline));
  } finally {
    await sink?.close();
    await codec?.close();
    await auditor.close();
  }
}
