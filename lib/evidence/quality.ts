import type { QualitySource } from '../ranking/schema';
import type { EvidenceStore, EvidenceSummaries, EvidenceSummary, ModelEvidenceLog, ReviewOutcome, Vote } from './schema';

/**
 * Quality from the user's own judgements, folded into the benchmark figure.
 *
 * Each judgement scores 0–1: a suggestion applied as written 1, applied after an edit
 * 0.8 × (1 − normalised edit distance) (a fixed typo keeps most of the credit, a rewrite none),
 * rejected or regenerated 0. In a comparison, the text chosen as best scores 1, "All equally
 * good" 0.8 (good enough, not better), a text another model beat 0.4 (less good than a rival on
 * that image, not necessarily wrong).
 *
 * Judgements count once a model has MIN_EVIDENCE of them (one rejected caption, perhaps of an
 * image that needed none, does not reorder the list). From then on the benchmark prior P (0–100)
 * counts as PRIOR_WEIGHT judgements of score P/100:
 *   quality = (PRIOR_WEIGHT · P + 100 · Σ scores) / (PRIOR_WEIGHT + n)
 * With few judgements the benchmark dominates; past PRIOR_WEIGHT the user's evidence does
 * (20 judgements: 57 %, 45: 75 %). A model no benchmark rates is anchored the same way at
 * NEUTRAL_PRIOR (an average model), so five accepted captions do not make an unknown model the
 * best there is.
 */

/** The benchmark counts as this many reviews. */
export const PRIOR_WEIGHT = 15;
/** Judgements (reviews + comparison votes) a model needs before they change its quality. */
export const MIN_EVIDENCE = 5;
/** Where an unrated model's evidence starts from: neither good nor bad. */
export const NEUTRAL_PRIOR = 50;
/** Edited text keeps at most this share of an unedited accept's credit. */
export const EDITED_CREDIT = 0.8;
export const VOTE_CREDIT: Record<Vote['kind'], number> = { best: 1, tied: 0.8, lost: 0.4 };

export const EMPTY_SUMMARY: EvidenceSummary = {
  reviews: 0, acceptedUnedited: 0, edited: 0, editedKept: 0, rejected: 0, regenerated: 0, comparisons: 0, won: 0, tied: 0, lost: 0,
};

const kept = (distance: number | undefined) => 1 - Math.min(1, Math.max(0, distance ?? 1));

/** Counts of plain judgements (no keys or times needed). */
export function summarise(reviews: ReadonlyArray<Pick<ReviewOutcome, 'kind' | 'distance'>>, votes: ReadonlyArray<Pick<Vote, 'kind'>> = []): EvidenceSummary {
  const s = { ...EMPTY_SUMMARY };
  for (const r of reviews) {
    s.reviews += 1;
    if (r.kind === 'accepted') s.acceptedUnedited += 1;
    else if (r.kind === 'edited') {
      s.edited += 1;
      s.editedKept += kept(r.distance);
    } else if (r.kind === 'rejected') s.rejected += 1;
    else s.regenerated += 1;
  }
  for (const v of votes) {
    s.comparisons += 1;
    if (v.kind === 'best') s.won += 1;
    else if (v.kind === 'tied') s.tied += 1;
    else s.lost += 1;
  }
  return s;
}

/** The stored logs as the ranking takes them: model id → counts. */
export function summariseEvidence(store: EvidenceStore): EvidenceSummaries {
  const out: EvidenceSummaries = {};
  for (const [modelId, log] of Object.entries(store) as Array<[string, ModelEvidenceLog]>) {
    if (log.reviews.length || log.votes.length) out[modelId] = summarise(log.reviews, log.votes);
  }
  return out;
}

/** Σ of the judgements' scores (see above). */
export function evidencePoints(s: EvidenceSummary): number {
  return s.acceptedUnedited + EDITED_CREDIT * s.editedKept + VOTE_CREDIT.best * s.won + VOTE_CREDIT.tied * s.tied + VOTE_CREDIT.lost * s.lost;
}

export type BenchmarkSource = Extract<QualitySource, 'vision benchmark' | 'general benchmark' | 'unrated'>;

export interface BlendedQuality {
  /** 0–100, null while unrated. */
  quality: number | null;
  /** Where most of the figure comes from. */
  source: QualitySource;
  /** Share of the figure that comes from the user's judgements, 0–1. */
  weight: number;
}

/**
 * The benchmark prior (0–100, or null when no benchmark rates the model) shrunk toward the
 * user's evidence. Pure; the source is the benchmark's while it weighs more than the evidence.
 */
export function blendQuality(prior: number | null, priorSource: BenchmarkSource, evidence: EvidenceSummary | undefined): BlendedQuality {
  const n = evidence ? evidence.reviews + evidence.comparisons : 0;
  if (!evidence || n < MIN_EVIDENCE) return { quality: prior, source: prior == null ? 'unrated' : priorSource, weight: 0 };
  const anchor = prior ?? NEUTRAL_PRIOR;
  const quality = (PRIOR_WEIGHT * anchor + 100 * evidencePoints(evidence)) / (PRIOR_WEIGHT + n);
  const weight = n / (PRIOR_WEIGHT + n);
  const mine: QualitySource = evidence.reviews >= evidence.comparisons ? 'your reviews' : 'your comparisons';
  return { quality: Math.max(0, Math.min(100, quality)), source: prior == null || weight > 0.5 ? mine : priorSource, weight };
}
