import type { Catalog, Model } from '../catalog/schema';
import { costPerRequest, isFree, requestTokens } from './cost';
import { formatSeconds } from './format';
import { formatUsd } from '../money';
import { isCandidate } from './profiles';
import { baseId, scoreQuality, type QualityResult } from './quality';
import { blendQuality } from '../evidence/quality';
import type { EvidenceSummaries, EvidenceSummary } from '../evidence/schema';
import { comparisonsReason, reviewsReason, tiesReason } from './explain';
import type { LatencySource, ModelEvidence, RankedModel, Ranking, Task, Tier } from './schema';

/**
 * The ranking: pure over a catalog, the clock, what the user's own runs measured and what the
 * user's reviews and comparisons said (captioning: lib/evidence/quality.ts folds them into quality).
 *
 * Default order: recommendable models first, rated before unrated, then a composite score
 *   score = 0.60 · quality + 0.25 · price score + 0.15 · speed
 * where price score is log-scaled ($0.01 per 1,000 images → 100, $100 → 0) and speed maps
 * latency log-scaled (0.5 s → 100, 30 s → 0). Every input is continuous, so two models tie only
 * when their quality, price and latency are equal; ids break such ties for a stable order.
 */

export interface MeasuredStats {
  runs: number;
  totalCostUsd: number;
  latenciesMs: number[];
}

export interface RankOptions {
  task: Task;
  /** Epoch ms; decides which models are retired. */
  now: number;
  /** Per model, what real runs recorded (lib/storage.ts modelStatsItem). */
  stats?: Record<string, MeasuredStats>;
  /** Per model, OpenRouter's p50 time to first token in seconds (from /models/{id}/endpoints). */
  endpointLatency?: Record<string, number>;
  /** Per model, the user's reviews and comparison votes (lib/storage.ts `readEvidenceSummary`); captioning only. */
  evidence?: EvidenceSummaries;
  /** Runners-up per tier besides the pick. */
  runnersUp?: number;
}

export type RankResult = Omit<Ranking, 'catalog'>;

const WEIGHTS = { quality: 0.6, price: 0.25, speed: 0.15 };
const PRICE_BEST = 0.01;
const PRICE_WORST = 100;
const FAST_S = 0.5;
const SLOW_S = 30;
/** Seconds before the first token, and tokens a second after it, when nothing was measured. */
const BASE_LATENCY_S: Record<Task, number> = { captioning: 1.2, generation: 8 };
const TOKENS_PER_S = 60;
/** The user's own runs beat OpenRouter's figure from this many on; fewer are used only when OpenRouter has none. */
export const MIN_OWN_RUNS = 3;
/** A model retiring within this many days is still recommended, with a warning. */
const RETIRING_SOON_MS = 30 * 86_400_000;

const clamp01 = (n: number) => Math.max(0, Math.min(1, n));
const logScale = (value: number, best: number, worst: number) =>
  100 * clamp01((Math.log(worst) - Math.log(Math.max(value, 1e-12))) / (Math.log(worst) - Math.log(best)));

export function priceScore(usdPer1k: number): number {
  return usdPer1k <= 0 ? 100 : logScale(usdPer1k, PRICE_BEST, PRICE_WORST);
}

export function speedScore(seconds: number): number {
  return logScale(seconds, FAST_S, SLOW_S);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

interface Entry {
  model: Model;
  out: RankedModel;
  rated: boolean;
  score: number;
  dedupeKey: string;
}

function notRecommendedReason(model: Model, now: number): string | null {
  if (model.expires && Date.parse(model.expires) <= now) return `retired on ${model.expires}`;
  if (model.aliasOf) return `alias of ${model.aliasOf}`;
  if (model.id.endsWith(':batch')) return 'batch variant: answers arrive late';
  if (model.id.startsWith('openrouter/') || model.tokenizer === 'Router') return 'router: the model behind it varies';
  if (model.output.includes('audio') || /guard|safety/.test(model.id)) return 'made for audio or safety checks, not descriptions';
  return null;
}

function reasoningKind(model: Model): NonNullable<RankedModel['reasoning']> {
  if (!model.reasoning) return 'none';
  return model.reasoning.mandatory ? 'mandatory' : 'optional';
}

function evidenceOut(e: EvidenceSummary, weight: number): ModelEvidence {
  const { reviews, acceptedUnedited, edited, rejected, regenerated, comparisons, won, tied } = e;
  return { reviews, acceptedUnedited, edited, rejected, regenerated, comparisons, won, tied, weight: Math.round(weight * 1000) / 1000 };
}

/** The benchmark prior, shrunk toward the user's own judgements as they grow; its reasons first. */
function qualityFor(prior: QualityResult, evidence: EvidenceSummary | undefined, reasons: string[]) {
  const quality = blendQuality(prior.quality, prior.source, evidence);
  for (const r of prior.reasons) reasons.push(r === 'unrated' && quality.quality != null ? 'no benchmark' : r);
  if (evidence) for (const r of [reviewsReason(evidence), comparisonsReason(evidence), tiesReason(evidence)]) if (r) reasons.push(r);
  return quality;
}

/**
 * Seconds for one request and where the figure comes from: the user's own median once there are
 * MIN_OWN_RUNS (a run or two may have waited out a retry), else OpenRouter's p50 to first token
 * plus the answer's tokens, else the user's few runs, else an estimate.
 */
function latencyFor(model: Model, task: Task, options: RankOptions, generated: number, reasons: string[]): { latency: number; source: LatencySource } {
  const own = options.stats?.[model.id]?.latenciesMs ?? [];
  const endpoint = options.endpointLatency?.[model.id];
  if (own.length >= MIN_OWN_RUNS || (own.length > 0 && endpoint == null)) {
    const latency = median(own) / 1000;
    reasons.push(`median ${formatSeconds(latency)} over your ${own.length === 1 ? 'run' : `${own.length} runs`}`);
    return { latency, source: 'your runs' };
  }
  if (endpoint != null) {
    const latency = endpoint + generated / TOKENS_PER_S;
    reasons.push(`~${formatSeconds(latency)} (OpenRouter latency)`);
    return { latency, source: 'OpenRouter' };
  }
  const latency = BASE_LATENCY_S[task] + generated / TOKENS_PER_S;
  reasons.push(`~${formatSeconds(latency)} (estimate)`);
  return { latency, source: 'estimate' };
}

function entryFor(model: Model, task: Task, options: RankOptions, prior: QualityResult): Entry {
  const reasons: string[] = [];
  const evidence = task === 'captioning' ? options.evidence?.[model.id] : undefined;
  const quality = qualityFor(prior, evidence, reasons);
  const free = isFree(model);
  const measured = options.stats?.[model.id];

  const { usd: usdPerRequest, source: costSource } = costPerRequest(model, task, measured)!;
  const usdPer1k = usdPerRequest * 1000;
  if (free) reasons.push(model.id.endsWith(':free') ? 'free, rate-limited' : 'free');
  else reasons.push(`${costSource === 'measured' ? 'measured ' : ''}${formatUsd(usdPer1k)} per 1,000 images`);

  const tokens = requestTokens(model, task);
  const kind = reasoningKind(model);
  reasons.push(kind === 'mandatory' ? `mandatory reasoning (~${tokens.reasoning} tokens)` : kind === 'optional' ? 'reasoning off' : 'no reasoning');
  const { latency, source: latencySource } = latencyFor(model, task, options, tokens.answer + tokens.reasoning, reasons);
  const speed = speedScore(latency);
  const q = quality.quality;
  const score = WEIGHTS.quality * (q ?? 0) + WEIGHTS.price * priceScore(usdPer1k) + WEIGHTS.speed * speed;

  const blocked = notRecommendedReason(model, options.now);
  if (blocked) reasons.push(blocked);
  else if (model.expires && Date.parse(model.expires) - options.now < RETIRING_SOON_MS) reasons.push(`retires on ${model.expires}`);

  return {
    model,
    rated: q != null,
    score,
    dedupeKey: `${baseId(model.id)}${free ? ':free' : ''}`,
    out: {
      rank: 1,
      id: model.id,
      name: model.name,
      tier: null,
      quality: q == null ? null : Math.round(q * 10) / 10,
      qualitySource: quality.source,
      evidence: evidence && evidence.reviews + evidence.comparisons > 0 ? evidenceOut(evidence, quality.weight) : null,
      usdPer1kImages: usdPer1k,
      costSource,
      speed: Math.round(speed * 10) / 10,
      free,
      reasons,
      score: Math.round(score * 1000) / 1000,
      latencySeconds: Math.round(latency * 100) / 100,
      latencySource,
      reasoning: kind,
      recommended: !blocked,
    },
  };
}

const byDefaultOrder = (a: Entry, b: Entry) =>
  Number(b.out.recommended) - Number(a.out.recommended) ||
  Number(b.rated) - Number(a.rated) ||
  b.score - a.score ||
  a.model.id.localeCompare(b.model.id);

const byQuality = (a: Entry, b: Entry) =>
  Number(b.rated) - Number(a.rated) ||
  (b.out.quality ?? 0) - (a.out.quality ?? 0) ||
  a.out.usdPer1kImages! - b.out.usdPer1kImages! ||
  b.score - a.score ||
  a.model.id.localeCompare(b.model.id);

const byScore = (a: Entry, b: Entry) => Number(b.rated) - Number(a.rated) || b.score - a.score || a.model.id.localeCompare(b.model.id);

/**
 * Tier lists, disjoint so the four picks are four real choices. Pools: Free (free models by
 * score), Best quality (paid, by quality), Budget (the cheapest quarter of paid models, by
 * quality), Balanced (paid rated models by the composite score: quality per dollar). Every tier
 * takes its pick before any takes a runner-up, so a small catalog still fills all four.
 */
function assignTiers(entries: Entry[], runnersUp: number): Ranking['tiers'] {
  const eligible = entries.filter((e) => e.out.recommended);
  const paid = eligible.filter((e) => !e.out.free);
  const costs = paid.map((e) => e.out.usdPer1kImages!).sort((a, b) => a - b);
  const budgetCap = costs.length ? costs[Math.max(0, Math.ceil(costs.length / 4) - 1)] : 0;
  const pools: Array<[Tier, Entry[]]> = [
    ['free', eligible.filter((e) => e.out.free).sort(byScore)],
    ['best', paid.filter((e) => e.rated).sort(byQuality)],
    ['budget', paid.filter((e) => e.out.usdPer1kImages! <= budgetCap).sort(byQuality)],
    ['balanced', paid.filter((e) => e.rated).sort(byScore)],
  ];
  const chosen = new Map<Tier, string[]>(pools.map(([tier]) => [tier, []]));
  const taken = new Set<string>();
  for (let round = 0; round <= runnersUp; round++) {
    for (const [tier, pool] of pools) {
      const next = pool.find((e) => !taken.has(e.model.id));
      if (!next) continue;
      taken.add(next.model.id);
      next.out.tier = tier;
      chosen.get(tier)!.push(next.model.id);
    }
  }
  const pickOf = (tier: Tier) => {
    const ids = chosen.get(tier)!;
    return { pick: ids[0] ?? null, runnersUp: ids.slice(1) };
  };
  return { free: pickOf('free'), budget: pickOf('budget'), balanced: pickOf('balanced'), best: pickOf('best') };
}

/** Ranks the task's candidates in a catalog. Pure: same inputs, same ranking. */
export function rankModels(catalog: Catalog, options: RankOptions): RankResult {
  const { task } = options;
  if (catalog.kind === 'custom') return unranked(catalog, task);

  const candidates = catalog.models.filter((m) => isCandidate(m, task));
  const qualities = scoreQuality(candidates, task);
  const entries = candidates.map((m) => entryFor(m, task, options, qualities.get(m.id)!));

  // One recommendation per model: a preview, dated or re-listed copy of a better-placed model is
  // listed but not recommended.
  entries.sort(byDefaultOrder);
  const firstOf = new Map<string, string>();
  for (const e of entries) {
    if (!e.out.recommended) continue;
    const first = firstOf.get(e.dedupeKey);
    if (first) {
      e.out.recommended = false;
      e.out.reasons.push(`same model as ${first}`);
    } else {
      firstOf.set(e.dedupeKey, e.model.id);
    }
  }
  entries.sort(byDefaultOrder);

  const tiers = assignTiers(entries, options.runnersUp ?? 3);
  const models = entries.map((e, i) => ({ ...e.out, rank: i + 1 }));
  return { task, models, tiers };
}

/** An OpenAI-style server lists ids only: show them in its order, with nothing to rank by. */
function unranked(catalog: Catalog, task: Task): RankResult {
  const empty = { pick: null, runnersUp: [] };
  return {
    task,
    models: catalog.models.map((m, i) => ({
      rank: i + 1, id: m.id, name: m.name, tier: null, quality: null, qualitySource: 'unrated' as const, evidence: null,
      usdPer1kImages: null, costSource: 'unknown' as const, speed: null, free: false,
      reasons: ['listed by your server, which publishes no prices or benchmarks'],
      score: null, latencySeconds: null, latencySource: null, reasoning: 'unknown' as const, recommended: true,
    })),
    tiers: { free: empty, budget: { ...empty }, balanced: { ...empty }, best: { ...empty } },
  };
}

/** What `getRanking({tier})` returns: the tier's pick and runners-up, in that order. */
export function onlyTier(ranking: Ranking, tier: Tier): Ranking {
  const ids = [ranking.tiers[tier].pick, ...ranking.tiers[tier].runnersUp].filter((id): id is string => id != null);
  const byId = new Map(ranking.models.map((m) => [m.id, m]));
  return { ...ranking, models: ids.map((id) => byId.get(id)!).filter(Boolean) };
}
