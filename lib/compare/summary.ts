import type { Job, JobItem } from '../jobs/schema';
import type { RankedModel } from '../ranking/schema';
import { formatUsd } from '../money';
import { tallyComparison, type ComparisonChoice, type ComparisonTally } from '../evidence/record';
import { formatSeconds } from '../ranking/format';
import type { Comparison, ComparisonModel } from './schema';

/**
 * What a comparison costs before it runs, what each description cost and how long it took, and
 * the summary after the votes: pure, so the comparison page and the command line say the same.
 */

type Priced = Pick<RankedModel, 'id' | 'free' | 'usdPer1kImages'>;

/** Estimated total for `images` images with every model; `unknown` lists models without a price. */
export function comparisonCost(models: readonly Priced[], images: number): { usd: number; unknown: string[] } {
  let usd = 0;
  const unknown: string[] = [];
  for (const m of models) {
    if (m.free) continue;
    if (m.usdPer1kImages == null) unknown.push(m.id);
    else usd += (m.usdPer1kImages * images) / 1000;
  }
  return { usd, unknown };
}

/** "Run 5 images through 4 models (20 descriptions): about $0.03 in all." */
export function comparisonCostSentence(models: ReadonlyArray<Priced & { name: string }>, images: number): string {
  const { usd, unknown } = comparisonCost(models, images);
  const what = `${images} ${images === 1 ? 'image' : 'images'} × ${models.length} ${models.length === 1 ? 'model' : 'models'} = ${images * models.length} descriptions`;
  const total = usd === 0 ? 'free' : `about ${formatUsd(usd)} in all`;
  const missing = unknown.length ? `, plus ${unknown.length === 1 ? 'one model' : `${unknown.length} models`} with no published price` : '';
  return `${what}: ${total}${missing} (descriptions AltScout already has cost nothing).`;
}

/** A finding's description by one model's job, as the side-by-side view shows it. */
export interface ComparedText {
  modelId: string;
  state: JobItem['state'] | 'not started';
  text: string | null;
  decorative: boolean;
  error: string | null;
  costUsd: number;
  cached: boolean;
  latencyMs: number | null;
}

export function comparedText(modelId: string, job: Job | null | undefined, imageId: string): ComparedText {
  const item = job?.items.find((i) => i.id === imageId);
  if (!item) return { modelId, state: 'not started', text: null, decorative: false, error: null, costUsd: 0, cached: false, latencyMs: null };
  return {
    modelId,
    state: item.state,
    text: item.state === 'done' ? (item.alt ?? '') : null,
    decorative: item.decorative === true,
    error: item.error ?? null,
    costUsd: item.costUsd,
    cached: item.cached,
    latencyMs: item.latencyMs ?? null,
  };
}

/** "$0.0003 · 1.2 s", "free · 0.8 s", "described before: no charge", "waiting…". */
export function costAndLatency(t: ComparedText): string {
  if (t.state === 'queued' || t.state === 'running' || t.state === 'not started') return 'waiting…';
  if (t.state !== 'done') return 'no charge';
  if (t.cached) return 'described before: no charge';
  const parts = [t.costUsd === 0 ? 'free' : formatUsd(t.costUsd)];
  if (t.latencyMs != null) parts.push(formatSeconds(t.latencyMs / 1000));
  return parts.join(' · ');
}

/** The saved radio choices as the evidence model takes them: one per image every model answered. */
export function comparisonChoices(comparison: Pick<Comparison, 'id' | 'images' | 'models' | 'choices'>): ComparisonChoice[] {
  const models = comparison.models.map((m) => m.id);
  return comparison.images.map((image) => ({
    key: `${comparison.id}/${image.id}`,
    models,
    best: comparison.choices[image.id] ?? null,
  }));
}

/**
 * Cost per 1,000 images as this comparison measured it (the paid descriptions' average), else the
 * ranking's figure, else null.
 */
export function measuredUsdPer1k(job: Job | null | undefined, ranked?: Pick<RankedModel, 'free' | 'usdPer1kImages'>): number | null {
  const paid = job?.items.filter((i) => i.state === 'done' && !i.cached) ?? [];
  if (paid.length) return (1000 * paid.reduce((sum, i) => sum + i.costUsd, 0)) / paid.length;
  if (ranked?.free) return 0;
  return ranked?.usdPer1kImages ?? null;
}

export interface SummaryLine {
  modelId: string;
  sentence: string;
  tally: ComparisonTally;
}

/** "GPT-5.6 Luna: best or tied on 4 of 5 at $0.25 per 1,000 images", most wins first. */
export function summaryLines(
  choices: ComparisonChoice[],
  models: readonly ComparisonModel[],
  usdPer1k: (modelId: string) => number | null,
): SummaryLine[] {
  const names = new Map(models.map((m) => [m.id, m.name]));
  return tallyComparison(choices).map((tally) => {
    const price = usdPer1k(tally.modelId);
    const at = price == null ? ', price unknown' : price === 0 ? ', free' : ` at ${formatUsd(price)} per 1,000 images`;
    const sentence = `${names.get(tally.modelId) ?? tally.modelId}: best or tied on ${tally.best + tally.tied} of ${tally.shown}${at}`;
    return { modelId: tally.modelId, sentence, tally };
  });
}

/** The model to offer for this site: the one chosen best most often, when it was chosen at least once and alone at the top. */
export function comparisonWinner(lines: readonly SummaryLine[]): string | null {
  const [first, second] = lines;
  if (!first || first.tally.best === 0) return null;
  if (second && second.tally.best === first.tally.best && second.tally.tied === first.tally.tied) return null;
  return first.modelId;
}
