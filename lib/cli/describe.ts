import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { DEFAULT_API_BASE, checkApiBase } from '../settings/schema';
import { describeImage, isOpenRouter } from '../caption/openai';
import { ImageSkip, MAX_SOURCE_BYTES, prepareImage, readImageSource, rasteriseInPage, sniffType, type ImageCodec, type PreparedImage } from '../image';
import { JobRunner } from '../jobs/runner';
import { MemoryCaptionCache, sha256Hex } from '../jobs/cache';
import { realClock } from '../jobs/limits';
import type { JobRecord } from '../jobs/record';
import type { Job, JobItemInput } from '../jobs/schema';
import { toCsv } from '../csv';
import { formatUsd } from '../money';
import { launchChromium, scanPagesInChromium } from './scan-pages';
import { toUrl, UsageError } from './audit';

const USAGE = `Usage: npm run altscout -- describe <url-or-file> --model <id> [--lang xx] [--json|--csv] [--budget usd]

Scans the page in headless Chromium, describes each image missing alt text with the model, and
prints image URL, selector, alt text and cost (a table, or --json / --csv to paste into a CMS).
  --model    model id, e.g. google/gemini-2.5-flash (required)
  --lang     language of the descriptions (default: the page's lang)
  --budget   stop once this many USD are spent (default 1)
Environment: OPENROUTER_API_KEY (the key), ALTSCOUT_API_BASE (default ${DEFAULT_API_BASE}).
Exit codes: 0 every image described or skipped with a reason, 1 some failed or the job stopped, 2 usage error.`;

export interface DescribeArgs {
  target: string;
  model: string;
  lang: string;
  format: 'table' | 'json' | 'csv';
  budgetUsd: number;
}

export function parseDescribeArgs(args: string[]): DescribeArgs {
  const out: Partial<DescribeArgs> & { format: DescribeArgs['format'] } = { format: 'table', lang: '', budgetUsd: 1 };
  const value = (i: number, name: string) => {
    const v = args[i];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value.`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--model') out.model = value(++i, '--model');
    else if (arg === '--lang') out.lang = value(++i, '--lang');
    else if (arg === '--budget') {
      const n = Number(value(++i, '--budget'));
      if (!(n > 0 && n <= 1000)) throw new UsageError('--budget takes an amount in USD between 0 and 1000.');
      out.budgetUsd = n;
    } else if (arg === '--json' || arg === '--csv') {
      if (out.format !== 'table') throw new UsageError('Choose one of --json and --csv.');
      out.format = arg.slice(2) as 'json' | 'csv';
    } else if (arg.startsWith('-')) throw new UsageError(`Unknown option "${arg}".`);
    else if (out.target) throw new UsageError('Describe one page at a time.');
    else out.target = arg;
  }
  if (!out.target) throw new UsageError('Give the URL or HTML file of the page to describe.');
  if (!out.model) throw new UsageError('Give the model to use with --model, e.g. --model google/gemini-2.5-flash.');
  return out as DescribeArgs;
}

/** Decodes and re-encodes with Chromium's own codecs, in a page, exactly as the extension's worker does. */
export function pageCodec(page: Page): ImageCodec<{ width: number; height: number; id: number; close(): void }> {
  let next = 0;
  return {
    async decode(bytes, type) {
      const id = ++next;
      const size = (await page.evaluate(
        `(async () => {
          const bin = atob(${JSON.stringify(Buffer.from(bytes).toString('base64'))});
          const buf = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
          const bitmap = await createImageBitmap(new Blob([buf], { type: ${JSON.stringify(type)} }));
          (window.__altscoutBitmaps ??= new Map()).set(${id}, bitmap);
          return { width: bitmap.width, height: bitmap.height };
        })()`,
      )) as { width: number; height: number };
      return { ...size, id, close: () => void page.evaluate(`window.__altscoutBitmaps.get(${id})?.close(); window.__altscoutBitmaps.delete(${id})`).catch(() => undefined) };
    },
    async encode(bitmap, width, height, type, quality) {
      const b64 = (await page.evaluate(
        `(async () => {
          const canvas = new OffscreenCanvas(${width}, ${height});
          const ctx = canvas.getContext('2d');
          ctx.fillStyle = '#fff';
          ctx.fillRect(0, 0, ${width}, ${height});
          ctx.imageSmoothingQuality = 'high';
          ctx.drawImage(window.__altscoutBitmaps.get(${bitmap.id}), 0, 0, ${width}, ${height});
          const blob = await canvas.convertToBlob({ type: ${JSON.stringify(type)}, quality: ${quality} });
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let bin = '';
          for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return btoa(bin);
        })()`,
      )) as string;
      return new Uint8Array(Buffer.from(b64, 'base64'));
    },
  };
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

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let parsed: DescribeArgs;
  let url: string;
  try {
    parsed = parseDescribeArgs(args);
    url = toUrl(parsed.target);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${USAGE}`);
    return 2;
  }
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

  const browser = await launchChromium();
  try {
    const [scan] = await scanPagesInChromium([url], { browser, detailsFor: ['missing'] });
    if (scan.error) {
      console.error(`Could not scan ${url}: ${scan.error}`);
      return 1;
    }
    const items: JobItemInput[] = scan.findings.filter((f) => f.status === 'missing').map(({ reasons: _reasons, ...f }) => f);
    if (items.length === 0) {
      if (parsed.format === 'json') console.log(JSON.stringify({ page: scan.url, model: parsed.model, images: [], costUsd: 0 }, null, 2));
      else if (parsed.format === 'csv') console.log(formatCsv({ items: [] } as unknown as Job));
      else console.log('No images missing alt text on this page.');
      return 0;
    }
    // The page stays open: it decodes and shrinks images with Chromium's codecs and draws inline SVG.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const codec = pageCodec(page);
    const rasterise = async (svgDataUrl: string | null, selector: string | null, max: number) => {
      const result = (await page.evaluate(`(${rasteriseInPage.toString()})(${JSON.stringify(svgDataUrl)}, ${JSON.stringify(selector)}, ${max})`)) as { dataUrl: string } | { error: string };
      if ('error' in result) throw new ImageSkip('undecodable', result.error);
      return new Uint8Array(Buffer.from(result.dataUrl.split(',')[1], 'base64'));
    };
    const rasteriseSvg = (svg: Uint8Array, max: number) => rasterise(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`, null, max);

    let records: JobRecord[] = [];
    const runner = new JobRunner({
      clock: realClock,
      random: Math.random,
      newId: () => 'cli',
      store: { load: async () => records, save: async (r) => { records = r; } },
      cache: new MemoryCaptionCache(),
      hash: sha256Hex,
      apiHost: () => new URL(apiBase).host,
      async loadImage(input, _record, signal): Promise<PreparedImage> {
        if (!input.src && (input.kind === 'svg' || input.kind === 'role-img')) {
          if (input.frameId !== 0) throw new ImageSkip('undecodable', 'Inline SVG inside a frame is not drawn from the command line yet.');
          return prepareImage({ bytes: await rasterise(null, input.selector, 768), type: 'image/png' }, codec);
        }
        const source = input.src?.startsWith('file:')
          ? await readLocalFile(input.src)
          : await readImageSource(input.src, {
            fetch,
            pageUrl: scan.url,
            signal,
            readBlob: async (blobUrl) => (await page.evaluate(`fetch(${JSON.stringify(blobUrl)}).then((r) => r.blob()).then((b) => new Promise((ok) => { const f = new FileReader(); f.onload = () => ok(f.result); f.readAsDataURL(b); }))`)) as string,
          });
        return prepareImage(source, codec, { rasteriseSvg });
      },
      describe: ({ prompt, image, record, signal }) =>
        describeImage({ apiBase, apiKey, modelId: record.job.modelId, prompt, imageDataUrl: image.dataUrl, signal, detailed: false, openRouter: isOpenRouter(apiBase) }),
      onChange(job) {
        if (process.stderr.isTTY) process.stderr.write(`\r${job.done}/${job.total} described, ${formatUsd(job.costUsd)}   `);
      },
    });
    const started = await runner.start(
      { tabId: 0, pageUrl: scan.url, modelId: parsed.model, items, options: { language: parsed.lang } },
      { provider: isOpenRouter(apiBase) ? 'openrouter' : 'custom', apiBase, concurrency: 4, markAiGenerated: false, length: 'short', regenerate: false, budgetUsd: parsed.budgetUsd, language: '' },
    );
    const job = await runner.settled(started.id);
    if (process.stderr.isTTY) process.stderr.write('\n');
    await context.close();

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
    await browser.close();
  }
}
