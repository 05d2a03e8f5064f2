import { TIER_LABELS, TaskSchema, TierSchema, type RankedModel, type Ranking, type Task, type Tier } from '../ranking/schema';
import { age } from './format';
import { formatSeconds } from '../ranking/format';
import { comparisonsReason, qualityNote, reviewsReason } from '../ranking/explain';

export interface TierChoice {
  tier: Tier;
  label: string;
  model: RankedModel | null;
}

export function tierChoices(ranking: Ranking): TierChoice[] {
  const byId = new Map(ranking.models.map((m) => [m.id, m]));
  return TierSchema.options.map((tier) => {
    const pick = ranking.tiers[tier].pick;
    return { tier, label: TIER_LABELS[tier], model: (pick && byId.get(pick)) || null };
  });
}

/** Order in which a first-time user gets a default: cheap but decent first. */
const DEFAULT_ORDER: Tier[] = ['budget', 'balanced', 'best', 'free'];

/** The remembered model while the catalog still has it; otherwise a sensible default. */
export function resolveModel(ranking: Ranking, rememberedId: string | null): RankedModel | null {
  const remembered = rememberedId ? ranking.models.find((m) => m.id === rememberedId) : undefined;
  if (remembered) return remembered;
  const choices = tierChoices(ranking);
  for (const tier of DEFAULT_ORDER) {
    const model = choices.find((c) => c.tier === tier)?.model;
    if (model) return model;
  }
  return ranking.models[0] ?? null;
}

/**
 * When a model disappears mid-job, the next candidate of the tier it was chosen from (its
 * runner-up), else the default choice, never the gone model itself.
 */
export function nextInTier(ranking: Ranking, goneId: string): { model: RankedModel; tier: Tier | null } | null {
  const byId = new Map(ranking.models.map((m) => [m.id, m]));
  for (const tier of TierSchema.options) {
    const { pick, runnersUp } = ranking.tiers[tier];
    const line = [pick, ...runnersUp].filter((id): id is string => id != null);
    const at = line.indexOf(goneId);
    if (at < 0) continue;
    const next = line.slice(at + 1).map((id) => byId.get(id)).find((m) => m != null);
    if (next) return { model: next, tier };
  }
  const fallback = resolveModel({ ...ranking, models: ranking.models.filter((m) => m.id !== goneId) }, null);
  return fallback && fallback.id !== goneId ? { model: fallback, tier: null } : null;
}

export type SortKey = 'rank' | 'name' | 'quality' | 'price' | 'speed';
export type SortDir = 'ascending' | 'descending';

/** Unknown values sort last in either direction: "unrated" is not "worst". */
export function sortModels(models: RankedModel[], key: SortKey, dir: SortDir): RankedModel[] {
  const value = (m: RankedModel): number | string | null => {
    switch (key) {
      case 'rank': return m.rank;
      case 'name': return m.name.toLowerCase();
      case 'quality': return m.quality;
      case 'price': return m.free ? 0 : m.usdPer1kImages;
      case 'speed': return m.speed;
    }
  };
  const sign = dir === 'ascending' ? 1 : -1;
  return [...models].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va == null || vb == null) return va == null ? (vb == null ? a.rank - b.rank : 1) : -1;
    if (va < vb) return -sign;
    if (va > vb) return sign;
    return a.rank - b.rank;
  });
}

export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** The bundled snapshot is always worth flagging; a cached list once it is a day old. */
export function isStale(catalog: Ranking['catalog'], now: number): boolean {
  if (catalog.source === 'snapshot') return true;
  return catalog.fetchedAt != null && now - catalog.fetchedAt > STALE_AFTER_MS;
}

const SOURCE_WORDS: Record<Ranking['catalog']['source'], string> = {
  live: 'OpenRouter’s live catalog',
  cache: 'a saved copy of OpenRouter’s catalog',
  snapshot: 'the copy bundled with AltScout',
  custom: 'your server’s model list (not ranked)',
};

/** Where the prices come from and how old they are, in one sentence for the models page. */
export function catalogLine(catalog: Ranking['catalog'], now: number): string {
  const parts = [`Prices from ${SOURCE_WORDS[catalog.source]}`];
  if (catalog.fetchedAt != null) parts.push(catalog.source === 'snapshot' ? `taken ${age(catalog.fetchedAt, now)}` : `fetched ${age(catalog.fetchedAt, now)}`);
  let line = parts.join(', ');
  const counts = [
    catalog.modelCount != null && `${catalog.modelCount.toLocaleString('en-US')} models in the catalog`,
    catalog.skipped > 0 && `${catalog.skipped.toLocaleString('en-US')} malformed ${catalog.skipped === 1 ? 'entry' : 'entries'} skipped`,
  ].filter(Boolean);
  if (counts.length) line += ` (${counts.join('; ')})`;
  return `${line}.${catalog.refreshing ? ' A refresh is running.' : ''}`;
}

/** models.html?task=generation opens the generation ranking; anything else means captioning. */
export function taskFromSearch(search: string): Task {
  return TaskSchema.safeParse(new URLSearchParams(search).get('task')).data ?? 'captioning';
}

/** "quality 62" or "unrated": the figure; its source is said beside it (`qualityNote`, `sourceLabel`). */
export function qualityFigure(m: Pick<RankedModel, 'quality'>): string {
  return m.quality == null ? 'unrated' : `quality ${Math.round(m.quality)}`;
}

/** The short name of where a quality figure comes from, for table cells: "vision benchmark", "your reviews", "unrated". */
export function sourceLabel(m: Pick<RankedModel, 'quality' | 'qualitySource'>): string {
  return m.qualitySource ?? (m.quality == null ? 'unrated' : 'general benchmark');
}

/** "~2.1 s (your runs)", "~1.9 s (OpenRouter)", "~1.8 s (estimate)"; null when nothing is known. */
export function latencyText(m: Pick<RankedModel, 'latencySeconds' | 'latencySource'>): string | null {
  if (m.latencySeconds == null) return null;
  return `~${formatSeconds(m.latencySeconds)} (${m.latencySource ?? 'estimate'})`;
}

/**
 * The sentence under a tier pick: where its quality comes from, and once the user has reviewed
 * any of its suggestions, how many were accepted unedited ("quality from a general benchmark;
 * compare on your images to check · your reviews: 3 of 4 accepted unedited").
 */
export function tierNote(m: Pick<RankedModel, 'quality' | 'qualitySource' | 'evidence'>): string {
  const note = qualityNote(m);
  const reviews = reviewsReason(m.evidence);
  const won = comparisonsReason(m.evidence);
  const said = m.qualitySource === 'your comparisons' ? [reviews] : [reviews, won];
  const extra = said.filter((r): r is string => r != null && !note.includes(r));
  return [note, ...extra].join(' · ');
}
