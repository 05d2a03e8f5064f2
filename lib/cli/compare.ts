import { PROVIDER_ENV_HELP, providerFromEnv } from './provider-env';
import { captionerFor, chooseCaptioner } from '../caption/captioner';
import { JobRunner } from '../jobs/runner';
import { MemoryCaptionCache, sha256Hex } from '../jobs/cache';
import { realClock } from '../jobs/limits';
import type { Job, JobItemInput } from '../jobs/schema';
import { formatUsd } from '../money';
import { chooseComparisonImages, DEFAULT_COMPARISON_IMAGES, MAX_COMPARISON_IMAGES } from '../compare/images';
import { comparedText, costAndLatency, measuredUsdPer1k, type ComparedText } from '../compare/summary';
import { formatSeconds } from '../ranking/format';
import { intValue, numberValue, parseCommand, runCommand, stringValue, UsageError, type CommandSpec, type Parsed } from './args';
import { describeImageLoader, withScannedPage } from './describe';
import { toUrl } from './pages';

/**
 * `altscout compare`: the same images of one page described by several models, side by side with
 * each description's cost and latency: the command-line twin of the extension's "Compare models"
 * (images chosen the same way, lib/compare). Judging them is left to the reader: nothing is voted
 * or stored.
 */

export const MAX_COMPARED_MODELS = 12;

export const COMPARE_SPEC: CommandSpec = {
  name: 'compare',
  usage: '<url-or-file> --models <id,id[,id…]> [options]',
  description: `Scans the page in headless Chromium, picks images as varied as the page allows (missing alt first,
then different sizes and settings), describes the same images with every model, and prints each
image with one description per model, its cost and how long the model took (a table, or JSON: one
object per image with one entry per model). Images are read as "describe" reads them.`,
  options: {
    models: { type: 'string', value: 'IDS', help: `two to ${MAX_COMPARED_MODELS} model ids, comma-separated, e.g. google/gemini-2.5-flash,openai/gpt-5-mini (required)` },
    images: { type: 'string', value: 'N', help: `how many images (default ${DEFAULT_COMPARISON_IMAGES}, at most ${MAX_COMPARISON_IMAGES})` },
    lang: { type: 'string', value: 'CODE', help: "language of the descriptions (default: the page's lang)" },
    json: { type: 'boolean', help: 'print JSON instead of a table' },
    budget: { type: 'string', value: 'USD', help: 'stop each model once this many US dollars are spent on it (default 1)' },
  },
  footer: `${PROVIDER_ENV_HELP}
Exit codes: 0 every model described every image (or skipped it with a reason), 1 some failed or a
model stopped, 2 usage error (or Chromium would not start).`,
};

export interface CompareArgs {
  target: string;
  models: string[];
  images: number;
  lang: string;
  json: boolean;
  budgetUsd: number;
}

export function checkCompareArgs({ values, positionals }: Parsed): CompareArgs {
  if (positionals.length > 1) throw new UsageError('Compare on one page at a time.');
  if (!positionals.length) throw new UsageError('Give the URL or HTML file of the page to compare on.');
  const list = stringValue(values, 'models');
  if (!list) throw new UsageError('Give the models to compare with --models, e.g. --models google/gemini-2.5-flash,openai/gpt-5-mini.');
  const models = [...new Set(list.split(',').map((m) => m.trim()).filter(Boolean))];
  if (models.length < 2) throw new UsageError(`--models needs at least two different model ids (got "${list}").`);
  if (models.length > MAX_COMPARED_MODELS) throw new UsageError(`--models takes at most ${MAX_COMPARED_MODELS} models (got ${models.length}).`);
  return {
    target: positionals[0],
    models,
    images: intValue(values, 'images', { min: 1, max: MAX_COMPARISON_IMAGES }, DEFAULT_COMPARISON_IMAGES),
    lang: stringValue(values, 'lang') ?? '',
    json: values.json === true,
    budgetUsd: numberValue(values, 'budget', { above: 0, max: 1000 }, 1),
  };
}

/** argv → arguments, throwing UsageError (tests and callers that parse without running). */
export function parseCompareArgs(argv: string[]): CompareArgs {
  const parsed = parseCommand(COMPARE_SPEC, argv);
  if (parsed === 'help') throw new UsageError('--help asks for the help text.');
  return checkCompareArgs(parsed);
}

export interface ComparedImage {
  src: string;
  selector: string;
  /** The image's status on the page when it was chosen (missing first). */
  status: string;
  descriptions: Array<{ model: string; state: ComparedText['state']; alt: string | null; decorative: boolean; error: string | null; costUsd: number; latencyMs: number | null; cached: boolean }>;
}

/** One object per image, one entry per model (in the order the models were given). */
export function comparedImages(items: ReadonlyArray<Pick<JobItemInput, 'id' | 'src' | 'selector' | 'status'>>, models: readonly string[], jobs: ReadonlyMap<string, Job | null>): ComparedImage[] {
  return items.map((item) => ({
    src: item.src ?? '',
    selector: item.selector,
    status: item.status,
    descriptions: models.map((model) => {
      const t = comparedText(model, jobs.get(model), item.id);
      return { model, state: t.state, alt: t.text, decorative: t.decorative, error: t.error, costUsd: t.costUsd, latencyMs: t.latencyMs, cached: t.cached };
    }),
  }));
}

/** Each model's total, and its cost per 1,000 images as this run measured it. */
export function modelTotals(models: readonly string[], jobs: ReadonlyMap<string, Job | null>) {
  return models.map((model) => {
    const job = jobs.get(model) ?? null;
    const done = job?.items.filter((i) => i.state === 'done') ?? [];
    const latencies = done.flatMap((i) => (i.latencyMs == null ? [] : [i.latencyMs])).sort((a, b) => a - b);
    return {
      model,
      state: job?.state ?? 'not started',
      described: done.length,
      costUsd: job?.costUsd ?? 0,
      usdPer1kImages: measuredUsdPer1k(job),
      medianLatencyMs: latencies.length ? latencies[Math.floor((latencies.length - 1) / 2)] : null,
      error: job?.error?.message ?? null,
    };
  });
}

export function formatCompareTable(images: readonly ComparedImage[], totals: ReturnType<typeof modelTotals>): string {
  const width = Math.min(40, Math.max(...totals.map((t) => t.model.length)));
  const blocks = images.map((image, i) => {
    const lines = image.descriptions.map((d) => {
      const text = d.state === 'done' ? (d.decorative || d.alt === '' ? '"" (judged decorative)' : d.alt) : `${d.state}${d.error ? `: ${d.error}` : ''}`;
      const t: ComparedText = { modelId: d.model, state: d.state, text: d.alt, decorative: d.decorative, error: d.error, costUsd: d.costUsd, cached: d.cached, latencyMs: d.latencyMs };
      return `  ${d.model.padEnd(width)}  ${text}  [${costAndLatency(t)}]`;
    });
    return [`Image ${i + 1} (${image.status}): ${image.src || '(inline)'}`, `  ${image.selector}`, ...lines].join('\n');
  });
  const summary = totals.map((t) => {
    const per1k = t.usdPer1kImages == null ? 'price unknown' : t.usdPer1kImages === 0 ? 'free' : `${formatUsd(t.usdPer1kImages)} per 1,000 images`;
    const speed = t.medianLatencyMs == null ? '' : `, median ${formatSeconds(t.medianLatencyMs / 1000)}`;
    return `  ${t.model.padEnd(width)}  ${t.described} of ${images.length} described, ${formatUsd(t.costUsd)} spent, ${per1k}${speed}${t.error ? ` (${t.error})` : ''}`;
  });
  return `${blocks.join('\n\n')}\n\nBy model:\n${summary.join('\n')}`;
}

export function run(argv: string[]): Promise<number> {
  return runCommand(COMPARE_SPEC, argv, (parsed) => {
    const args = checkCompareArgs(parsed);
    return { ...args, url: toUrl(args.target) };
  }, compare);
}

async function compare(parsed: CompareArgs & { url: string }): Promise<number> {
  const { url } = parsed;
  const provider = providerFromEnv();
  if ('error' in provider) {
    console.error(provider.error);
    return 2;
  }
  const { apiBase, apiKey } = provider;

  return withScannedPage('compare', url, { detailsFor: ['missing', 'suspicious', 'decorative', 'ok'] }, async ({ scan, worlds, close }, codecPage) => {
    const byId = new Map(scan.findings.map((f) => [f.id, f]));
    const items: JobItemInput[] = chooseComparisonImages(scan.findings, parsed.images).map((id) => {
      const { reasons: _reasons, ...f } = byId.get(id)!;
      return f;
    });
    if (items.length === 0) {
      if (parsed.json) console.log(JSON.stringify({ page: scan.url, models: modelTotals(parsed.models, new Map()), images: [] }, null, 2));
      else console.log('No images to compare on this page.');
      return 0;
    }

    let records: unknown[] = [];
    let ids = 0;
    const runner = new JobRunner({
      clock: realClock,
      random: Math.random,
      newId: () => `cli-${++ids}`,
      store: { load: async () => records, save: async (r) => { records = r; } },
      cache: new MemoryCaptionCache(),
      hash: sha256Hex,
      loadImage: describeImageLoader({ pageUrl: scan.url, worlds, codecPage }),
      describe: ({ prompt, image, record, signal }) =>
        captionerFor(chooseCaptioner(record.settings, record.job.modelId), { apiKey: async () => apiKey })({ modelId: record.job.modelId, prompt, imageDataUrl: image.dataUrl, signal, detailed: false }),
    });
    const settings = { provider: 'custom', apiBase, concurrency: 4, markAiGenerated: false, length: 'short', budgetUsd: parsed.budgetUsd, language: parsed.lang } as const;
    // One job per model, all at once: each model gets the same images, paced like the extension's.
    const jobs = new Map<string, Job | null>();
    await Promise.all(
      parsed.models.map(async (model) => {
        try {
          const started = await runner.start({ tabId: 0, pageUrl: scan.url, modelId: model, items }, settings);
          jobs.set(model, await runner.settled(started.id));
        } catch (error) {
          console.error(`${model} did not start: ${error instanceof Error ? error.message : String(error)}`);
          jobs.set(model, null);
        }
      }),
    );
    await close();

    const images = comparedImages(items, parsed.models, jobs);
    const totals = modelTotals(parsed.models, jobs);
    if (parsed.json) console.log(JSON.stringify({ page: scan.url, models: totals, images }, null, 2));
    else console.log(formatCompareTable(images, totals));
    const allDone = parsed.models.every((m) => {
      const job = jobs.get(m);
      return job != null && job.state === 'done' && job.items.every((i) => i.state !== 'failed');
    });
    return allDone ? 0 : 1;
  });
}
