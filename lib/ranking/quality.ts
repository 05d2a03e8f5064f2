import type { Model } from '../catalog/schema';
import { buildMmmuIndex, matchMmmu, type MmmuRow } from './mmmu';
import mmmuTable from './mmmu.json';
import type { BenchmarkSource } from '../evidence/quality';
import type { Task } from './schema';

/**
 * Quality on one 0–100 scale from the benchmarks that exist for a model.
 *
 * Captioning: the Artificial Analysis intelligence index (catalog) and MMMU (bundled table,
 * multimodal understanding). MMMU is put on the AA scale with the line fitted over the models
 * that have both (see AA_FROM_MMMU), so a model rated by MMMU alone is neither flattered nor
 * punished for it; when both exist the vision benchmark weighs 60 %.
 * Generation: Design Arena image elo (catalog), falling back to its graphic-design/logo elo.
 */

/** The AA index tops out in the low 60s today; 70 leaves headroom before quality saturates. */
export const AA_FULL_SCALE = 70;
/** AA-equivalent of an MMMU score: a line fitted by tests/tools/make-snapshot.ts on the shared catalog. */
export const AA_FROM_MMMU = mmmuTable.aaFromMmmu;
const MMMU_WEIGHT = 0.6;
/** Elo 1000 → 0, 1400 → 100. */
const ELO_FLOOR = 1000;
const ELO_SPAN = 400;

export interface QualityResult {
  /** 0–100, null when unrated. */
  quality: number | null;
  reasons: string[];
  /** Vision benchmark when MMMU (or an image elo) is in the figure, general benchmark when only the AA index is. */
  source: BenchmarkSource;
  /** Set when the scores come from another catalog entry (alias target, preview sibling). */
  from: string | null;
}

type OwnScores = Omit<QualityResult, 'from'>;

let mmmuIndex: Map<string, MmmuRow> | null = null;
const mmmu = () => (mmmuIndex ??= buildMmmuIndex(mmmuTable.rows));

const clamp = (n: number) => Math.max(0, Math.min(100, n));
const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The id a variant shares with its base model: alias marker, `:free`/`:batch` suffix, preview
 * and date tags removed. Used to inherit scores and to avoid recommending one model twice.
 */
export function baseId(id: string): string {
  return id
    .replace(/^~/, '')
    .replace(/:[a-z-]+$/, '')
    .replace(/-(preview|customtools)(?=-|$)/g, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '')
    .replace(/-\d{2}-\d{2}$/, '');
}

function captioningScores(model: Model): OwnScores {
  const row = matchMmmu(mmmu(), model.name);
  const aa = model.aaIndex;
  const reasons: string[] = [];
  if (aa != null) reasons.push(`AA index ${round1(aa)}`);
  if (row) reasons.push(`MMMU ${round1(row.score)}`);
  if (aa == null && !row) return { quality: null, reasons, source: 'unrated' };
  const aaQ = aa == null ? null : (aa / AA_FULL_SCALE) * 100;
  const mmmuQ = row ? (Math.max(0, AA_FROM_MMMU.intercept + AA_FROM_MMMU.slope * row.score) / AA_FULL_SCALE) * 100 : null;
  const q = aaQ != null && mmmuQ != null ? MMMU_WEIGHT * mmmuQ + (1 - MMMU_WEIGHT) * aaQ : (aaQ ?? mmmuQ)!;
  return { quality: clamp(q), reasons, source: row ? 'vision benchmark' : 'general benchmark' };
}

/** Design Arena's elo rates the task itself (people judging generated images): a vision benchmark. */
function generationScores(model: Model): OwnScores {
  const elo = model.arena.image ?? mean([model.arena.graphicdesign, model.arena.logo]);
  if (elo == null) return { quality: null, reasons: [], source: 'unrated' };
  return { quality: clamp(((elo - ELO_FLOOR) / ELO_SPAN) * 100), reasons: [`image elo ${Math.round(elo)}`], source: 'vision benchmark' };
}

function mean(values: Array<number | undefined>): number | null {
  const present = values.filter((v): v is number => v != null);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
}

/**
 * Scores every model once; aliases take their target's scores and unrated variants their
 * base model's ("google/x" from "google/x-preview"), each saying where the figure came from.
 */
export function scoreQuality(models: Model[], task: Task): Map<string, QualityResult> {
  const own = new Map<string, OwnScores>();
  for (const m of models) own.set(m.id, task === 'captioning' ? captioningScores(m) : generationScores(m));

  // The best-rated member of each base family, for unrated siblings to borrow from.
  const familyBest = new Map<string, string>();
  for (const m of models) {
    const q = own.get(m.id)!.quality;
    if (q == null) continue;
    const key = baseId(m.id);
    const prev = familyBest.get(key);
    if (!prev || (own.get(prev)!.quality ?? -1) < q || ((own.get(prev)!.quality ?? -1) === q && m.id < prev)) familyBest.set(key, m.id);
  }

  const out = new Map<string, QualityResult>();
  for (const m of models) {
    const mine = own.get(m.id)!;
    const donor = m.aliasOf && own.get(m.aliasOf)?.quality != null ? m.aliasOf : mine.quality == null ? familyBest.get(baseId(m.id)) : undefined;
    if (donor && donor !== m.id) {
      const d = own.get(donor)!;
      out.set(m.id, { quality: d.quality, reasons: [...d.reasons, `scores of ${donor}`], source: d.source, from: donor });
    } else {
      out.set(m.id, { quality: mine.quality, reasons: mine.quality == null ? ['unrated'] : mine.reasons, source: mine.source, from: null });
    }
  }
  return out;
}
