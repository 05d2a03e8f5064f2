import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_API_BASE, checkApiBase } from '../settings/schema';
import { isOpenRouter } from '../caption/openai';
import { captionerFor, chooseCaptioner } from '../caption/captioner';
import { ImageSkip, MAX_SOURCE_BYTES, parseDataUrl, prepareImage, readImageSource, sniffType, type PreparedImage } from '../image';
import { JobRunner } from '../jobs/runner';
import { MemoryCaptionCache, sha256Hex } from '../jobs/cache';
import { realClock } from '../jobs/limits';
import type { Job, JobItemInput } from '../jobs/schema';
import { toCsv } from '../csv';
import { formatUsd } from '../money';
import { choice, numberValue, parseCommand, runCommand, stringValue, UsageError, type CommandSpec, type Parsed } from './args';
import { ChromiumError, evaluateIn, type FrameWorld } from './browser';
import { CodecPage } from './codec';
import { accessFor, imageFetch } from './net-policy';
import { toUrl } from './pages';
import { Auditor } from './scan-pages';

export const DESCRIBE_SPEC: CommandSpec = {
  name: 'describe',
  usage: '<url-or-file> --model <id> [options]',
  description: `Scans the page in headless Chromium, describes each image missing alt text with the model, and
prints image URL, selector, alt text and cost (a table, or JSON / CSV to paste into a CMS).
Images are read and decoded outside the page: its scripts never see them. A web page's file:
images are never read (only a local HTML file's are), nor images on this computer or a private
network unless the page itself is on one.`,
  options: {
    model: { type: 'string', value: 'ID', help: 'model id, e.g. google/gemini-2.5-flash (required)' },
    lang: { type: 'string', value: 'CODE', help: "language of the descriptions (default: the page's lang)" },
    format: { type: 'string', value: 'FORMAT', help: 'table, json or csv (default table)' },
    json: { type: 'boolean', help: 'same as --format json' },
    csv: { type: 'boolean', help: 'same as --format csv' },
    budget: { type: 'string', value: 'USD', help: 'stop once this many US dollars are spent (default 1)' },
  },
  footer: `Environment: OPENROUTER_API_KEY (the key), ALTSCOUT_API_BASE (default ${DEFAULT_API_BASE}).
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

async function readLocalFile(url: string): Promise<{ bytes: Uint8Array; type: string }> {
  const path = fileURLToPath(url);
  const info = await stat(path).catch(() => null);
  if (!info) throw new ImageSkip('not-found', `The image file ${path} does not exist.`);
  if (info.size > MAX_SOURCE_BYTES) throw new ImageSkip('too-large', `The image file is over the ${MAX_SOURCE_BYTES / 1024 / 1024} MB limit.`);
  const bytes = new Uint8Array(await readFile(path));
  return { bytes, type: sniffType(bytes) };
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
 * How `describe` (and `compare`) read a scanned page's images for the job runner: svg markup and
 * blob: images through the scanner's isolated worlds, file: images only for a local HTML file,
 * everything else under the command line's network policy, decoded in the codec page.
 */
export function describeImageLoader({ pageUrl, worlds, codecPage }: { pageUrl: string; worlds: FrameWorld[]; codecPage: CodecPage }) {
  const codec = codecPage.codec();
  const access = accessFor(pageUrl);
  const refusals = new Map<string, string>();
  const fetchImage = imageFetch(access, { maxBytes: MAX_SOURCE_BYTES, onRefused: (u, why) => refusals.set(u, why) });
  const drawSvg = async (svg: string, max: number, size?: { width: number; height: number }) => {
    const png = await codecPage.draw({ svg, ...size }, max);
    if (!png) throw new ImageSkip('undecodable', 'The SVG could not be drawn.');
    return png;
  };
  return async (input: JobItemInput, _record: unknown, signal: AbortSignal): Promise<PreparedImage> => {
    const world = worlds[input.frameId];
    if (!input.src && (input.kind === 'svg' || input.kind === 'role-img')) {
      const svg = world ? await evaluateIn<{ markup: string; width: number; height: number } | null>(world, `window.__altscoutCli.svgMarkup(${JSON.stringify(input.id)})`) : null;
      if (!svg) throw new ImageSkip('not-found', 'The image is no longer on the page.');
      return prepareImage({ bytes: await drawSvg(svg.markup, 768, svg), type: 'image/png' }, codec);
    }
    let source;
    if (input.src?.startsWith('file:')) {
      if (!access.files) throw new ImageSkip('refused', 'A web page cannot make AltScout read files from this computer: only a local HTML file\'s own images are read.');
      source = await readLocalFile(input.src);
    } else if (input.src?.startsWith('blob:')) {
      if (!world) throw new ImageSkip('not-found', 'The frame that held this image is gone.');
      const dataUrl = await evaluateIn<string>(world, `window.__altscoutCli.readBlob(${JSON.stringify(input.src)}, ${MAX_SOURCE_BYTES})`).catch(() => {
        throw new ImageSkip('not-found', 'The page no longer holds this image (its blob: URL was released).');
      });
      source = parseDataUrl(dataUrl);
    } else {
      try {
        source = await readImageSource(input.src, { fetch: fetchImage, pageUrl: pageUrl, signal });
      } catch (error) {
        const refused = input.src ? refusals.get(new URL(input.src).href) : undefined;
        if (refused) throw new ImageSkip('refused', refused);
        throw error;
      }
    }
    return prepareImage(source, codec, { rasteriseSvg: (svg, max) => drawSvg(new TextDecoder().decode(svg), max) });
  };
}

export function run(argv: string[]): Promise<number> {
  return runCommand(DESCRIBE_SPEC, argv, (parsed) => {
    const args = checkDescribeArgs(parsed);
    return { ...args, url: toUrl(args.target) };
  }, describe);
}

async function describe(parsed: DescribeArgs & { url: string }): Promise<number> {
  const { url } = parsed;
  const apiBase = (process.env.ALTSCOUT_API_BASE || DEFAULT_API_BASE).replace(/\/+$/, '');
  const baseProblem = checkApiBase(apiBase);
  if (baseProblem) {
    console.error(`ALTSCOUT_API_BASE: ${baseProblem}`);
    return 2;
  }
  const apiKey = process.env.OPENROUTER_API_KEY ?? '';
  if (!apiKey && isOpenRouter(apiBase)) {
    console.error('Set OPENROUTER_API_KEY to your OpenRouter key (https://openrouter.ai/settings/keys).');
    return 2;
  }

  let auditor: Auditor;
  try {
    auditor = await Auditor.start({ detailsFor: ['missing'] });
  } catch (error) {
    if (!(error instanceof ChromiumError)) throw error;
    console.error(`altscout describe: ${error.message}`);
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
    const { scan, worlds } = opened;
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
      loadImage: describeImageLoader({ pageUrl: scan.url, worlds, codecPage }),
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
    await opened.close();

    if (parsed.format === 'json') {
      console.log(JSON.stringify({ page: scan.url, model: job.modelId, language: job.language, state: job.state, costUsd: job.costUsd, error: job.error, images: describeRows(job) }, null, 2));
    } else if (parsed.format === 'csv') {
      console.log(formatCsv(job));
    } else {
      console.log(formatTable(job));
    }
    if (job.error) console.error(job.error.message);
    return job.state === 'done' && job.items.every((i) => i.state !== 'failed') ? 0 : 1;
  } finally {
    await codecPage.close();
    await auditor.close();
  }
}
