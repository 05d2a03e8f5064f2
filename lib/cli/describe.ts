import type { Browser } from 'playwright-core';
import { PROVIDER_ENV_HELP, providerFromEnv } from './provider-env';
import { captionerFor, chooseCaptioner } from '../caption/captioner';
import { JobRunner } from '../jobs/runner';
import { MemoryCaptionCache, sha256Hex } from '../jobs/cache';
import { realClock } from '../jobs/limits';
import type { Job, JobItemInput } from '../jobs/schema';
import { toCsv } from '../csv';
import { formatUsd } from '../money';
import { choice, numberValue, parseCommand, runCommand, stringValue, UsageError, type CommandSpec, type Parsed } from './args';
import { ChromiumError, type FrameWorld } from './browser';
import { CodecPage } from './codec';
import { describeImageLoader as sharedLoader, nodeImageFetch } from './describe-images';
import type { Resolve } from './dns';
import { toUrl } from './pages';
import { Auditor, type AuditorOptions, type PageScan } from './scan-pages';

export const DESCRIBE_SPEC: CommandSpec = {
  name: 'describe',
  usage: '<url-or-file> --model <id> [options]',
  description: `Scans the page in headless Chromium, describes each image missing alt text with the model, and
prints image URL, selector, alt text and cost (a table, or JSON / CSV to paste into a CMS).
Images are read by the extension's own loader and rules: in Node, without cookies, never from
this computer or a private network unless the page itself is on one (judged by name and by the
address connected to, at every redirect), file: images only for a local HTML file; images over
40 megapixels are refused from their header. They are decoded in a blank page of a browser
context of its own: the page's scripts never see them.`,
  options: {
    model: { type: 'string', value: 'ID', help: 'model id, e.g. google/gemini-2.5-flash (required)' },
    lang: { type: 'string', value: 'CODE', help: "language of the descriptions (default: the page's lang)" },
    format: { type: 'string', value: 'FORMAT', help: 'table, json or csv (default table)' },
    json: { type: 'boolean', help: 'same as --format json' },
    csv: { type: 'boolean', help: 'same as --format csv' },
    budget: { type: 'string', value: 'USD', help: 'stop once this many US dollars are spent (default 1)' },
  },
  footer: `${PROVIDER_ENV_HELP}
Exit codes: 0 every image described or skipped with a reason, 1 some failed or the job stopped,
2 usage error (or Chromium would not start).`,
};

export interface DescribeArgs {
  target: string;
  model: string;
  lang: string;
  format: 'table' | 'json' | 'csv';
  budgetUsd: number;
}

export function checkDescribeArgs({ values, positionals }: Parsed): DescribeArgs {
  const aliases = (['json', 'csv'] as const).filter((f) => values[f] === true);
  const explicit = stringValue(values, 'format');
  if (aliases.length > 1 || (aliases.length && explicit && explicit !== aliases[0])) throw new UsageError('Choose one of --json, --csv and --format.');
  if (positionals.length > 1) throw new UsageError('Describe one page at a time.');
  if (!positionals.length) throw new UsageError('Give the URL or HTML file of the page to describe.');
  const model = stringValue(values, 'model');
  if (!model) throw new UsageError('Give the model to use with --model, e.g. --model google/gemini-2.5-flash.');
  return {
    target: positionals[0],
    model,
    lang: stringValue(values, 'lang') ?? '',
    format: aliases[0] ?? choice(values, 'format', ['table', 'json', 'csv'] as const, 'table'),
    budgetUsd: numberValue(values, 'budget', { above: 0, max: 1000 }, 1),
  };
}

/** argv → arguments, throwing UsageError (tests and callers that parse without running). */
export function parseDescribeArgs(argv: string[]): DescribeArgs {
  const parsed = parseCommand(DESCRIBE_SPEC, argv);
  if (parsed === 'help') throw new UsageError('--help asks for the help text.');
  return checkDescribeArgs(parsed);
}

export function describeRows(job: Job) {
  return job.items.map((i) => ({
    src: i.src ?? '',
    selector: i.selector,
    alt: i.state === 'done' ? (i.alt ?? '') : '',
    longDescription: i.longDescription ?? '',
    state: i.state,
    error: i.error ?? '',
    costUsd: i.costUsd,
  }));
}

const CSV_COLUMNS = [
  ['image_url', (r: DescribeRow) => r.src],
  ['selector', (r: DescribeRow) => r.selector],
  ['alt', (r: DescribeRow) => r.alt],
  ['long_description', (r: DescribeRow) => r.longDescription],
  ['state', (r: DescribeRow) => r.state],
  ['error', (r: DescribeRow) => r.error],
  ['cost_usd', (r: DescribeRow) => r.costUsd.toFixed(6)],
] as const;

type DescribeRow = ReturnType<typeof describeRows>[number];

export function formatCsv(job: Job): string {
  return toCsv(CSV_COLUMNS, describeRows(job));
}

export function formatTable(job: Job): string {
  const rows = describeRows(job);
  const lines = rows.map((r) => `${r.src || '(inline)'}\n  ${r.selector}\n  ${r.state === 'done' ? `alt: ${r.alt === '' ? '"" (decorative)' : r.alt}` : `${r.state}: ${r.error}`}  [${formatUsd(r.costUsd)}]`);
  return `${lines.join('\n')}\n\n${job.done}/${job.total} described, ${formatUsd(job.costUsd)} spent.`;
}

/**
 * How `describe` (and `compare`) read a scanned page's images for the job runner: the worker's own
 * loader and policy (lib/image/load.ts, fetch-policy.ts) in the command line's environment
 * (lib/cli/describe-images.ts): Node's HTTP judging every address it connects to, svg markup and
 * blob: images through the scanner's isolated worlds, file: images only for a local HTML file,
 * decoded in the codec page. `resolve` maps names to addresses (tests).
 */
export function describeImageLoader({ pageUrl, worlds, codecPage, resolve }: { pageUrl: string; worlds: FrameWorld[]; codecPage: CodecPage; resolve?: Resolve }) {
  const load = sharedLoader({ pageUrl, localTarget: pageUrl.startsWith('file:'), worlds, codecPage, fetch: nodeImageFetch(pageUrl, { resolve }) });
  return (input: JobItemInput, _record: unknown, signal: AbortSignal) => load(input, signal);
}

/**
 * The page a describing command works on, opened and scanned, with a codec page beside it: `use`
 * runs while both are open, and both are closed after. Chromium that will not start is exit 2, a
 * page that cannot be scanned exit 1, each said on stderr.
 */
export async function withScannedPage(
  command: string,
  url: string,
  options: AuditorOptions,
  use: (opened: { scan: PageScan; worlds: FrameWorld[]; close(): Promise<void> }, codecPage: CodecPage) => Promise<number>,
): Promise<number> {
  let auditor: Auditor;
  try {
    auditor = await Auditor.start(options);
  } catch (error) {
    if (!(error instanceof ChromiumError)) throw error;
    console.error(`altscout ${command}: ${error.message}`);
    return 2;
  }
  const codecPage = await CodecPage.open(auditor.context.browser()!);
  try {
    // The page stays open while its images are described: its svgs are serialised and its blob:
    // images read in the scanner's isolated world; every decode happens in the codec page.
    const opened = await auditor.open(url);
    if ('error' in opened) {
      console.error(`Could not scan ${url}: ${opened.error.error}`);
      return 1;
    }
    return await use(opened, codecPage);
  } finally {
    await codecPage.close();
    await auditor.close();
  }
}

/** What tests pass in: a browser to share, and how image hosts resolve (instead of DNS). */
export interface DescribeDeps {
  browser?: Browser;
  resolve?: Resolve;
}

export function run(argv: string[], deps: DescribeDeps = {}): Promise<number> {
  return runCommand(DESCRIBE_SPEC, argv, (parsed) => {
    const args = checkDescribeArgs(parsed);
    return { ...args, url: toUrl(args.target) };
  }, (parsed) => describe(parsed, deps));
}

async function describe(parsed: DescribeArgs & { url: string }, deps: DescribeDeps): Promise<number> {
  const { url } = parsed;
  const provider = providerFromEnv();
  if ('error' in provider) {
    console.error(provider.error);
    return 2;
  }
  const { apiBase, apiKey } = provider;

  return withScannedPage('describe', url, { detailsFor: ['missing'], browser: deps.browser }, async ({ scan, worlds, close }, codecPage) => {
    const items: JobItemInput[] = scan.findings.filter((f) => f.status === 'missing').map(({ reasons: _reasons, ...f }) => f);
    if (items.length === 0) {
      if (parsed.format === 'json') console.log(JSON.stringify({ page: scan.url, model: parsed.model, images: [], costUsd: 0 }, null, 2));
      else if (parsed.format === 'csv') console.log(formatCsv({ items: [] } as unknown as Job));
      else console.log('No images missing alt text on this page.');
      return 0;
    }
    let records: unknown[] = [];
    const runner = new JobRunner({
      clock: realClock,
      random: Math.random,
      newId: () => 'cli',
      store: { load: async () => records, save: async (r) => { records = r; } },
      cache: new MemoryCaptionCache(),
      hash: sha256Hex,
      loadImage: describeImageLoader({ pageUrl: scan.url, worlds, codecPage, resolve: deps.resolve }),
      describe: ({ prompt, image, record, signal }) =>
        captionerFor(chooseCaptioner(record.settings, record.job.modelId), { apiKey: async () => apiKey })({ modelId: record.job.modelId, prompt, imageDataUrl: image.dataUrl, signal, detailed: false }),
      onChange(job) {
        if (process.stderr.isTTY) process.stderr.write(`\r${job.done}/${job.total} described, ${formatUsd(job.costUsd)}   `);
      },
    });
    const started = await runner.start(
      { tabId: 0, pageUrl: scan.url, modelId: parsed.model, items },
      { provider: 'custom', apiBase, concurrency: 4, markAiGenerated: false, length: 'short', budgetUsd: parsed.budgetUsd, language: parsed.lang },
    );
    const job = await runner.settled(started.id);
    if (process.stderr.isTTY) process.stderr.write('\n');
    await close();

    if (parsed.format === 'json') {
      console.log(JSON.stringify({ page: scan.url, model: job.modelId, language: job.language, state: job.state, costUsd: job.costUsd, error: job.error, images: describeRows(job) }, null, 2));
    } else if (parsed.format === 'csv') {
      console.log(formatCsv(job));
    } else {
      console.log(formatTable(job));
    }
    if (job.error) console.error(job.error.message);
    return job.state === 'done' && job.items.every((i) => i.state !== 'failed') ? 0 : 1;
  });
}
