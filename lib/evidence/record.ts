import { distance as levenshtein } from 'fastest-levenshtein';
import type { Job } from '../jobs/schema';
import { decisionFor, textFor, type ReviewDraft } from '../ui/review';
import type { EvidenceUpdate, ReviewOutcome, Vote } from './schema';

/**
 * Pure helpers that turn what the user did into evidence records, so the UI only calls them and
 * hands the result to `recordEvidence` (lib/storage.ts):
 * - `reviewOutcomes(job, draft, now)` when a review is applied,
 * - `regenerationOutcome(job, itemId, now)` when a suggestion is regenerated,
 * - `comparisonVotes(choices, now)` when a comparison's choices are saved.
 */

const squash = (text: string) => text.trim().replace(/\s+/g, ' ');

/**
 * Levenshtein distance over the longer text's length, whitespace runs counted once:
 * 0 for the same text, 1 when nothing was kept.
 */
export function editDistance(before: string, after: string): number {
  const a = squash(before);
  const b = squash(after);
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 0 : levenshtein(a, b) / longest;
}

/** The key of one item's review: one judgement per suggestion of a job, replaced when saved again. */
export const reviewKey = (jobId: string, itemId: string) => `${jobId}/${itemId}`;

/**
 * The judgement on every finished suggestion of a job: applied as written, applied after an edit
 * (with its edit distance; an edit that changes only whitespace counts as unedited), or rejected.
 * Failed and pending items say nothing about the model. A caption served from the cache was
 * judged when it was first written, so it is not counted again.
 */
export function reviewOutcomes(job: Pick<Job, 'id' | 'modelId' | 'items'>, draft: ReviewDraft, now: number): EvidenceUpdate {
  const reviews: ReviewOutcome[] = [];
  for (const item of job.items) {
    if (item.cached) continue;
    const decision = decisionFor(item, draft);
    const key = reviewKey(job.id, item.id);
    if (decision === 'rejected') {
      if (item.state === 'done') reviews.push({ key, kind: 'rejected', at: now });
    } else if (decision === 'accepted') {
      reviews.push({ key, kind: 'accepted', at: now });
    } else if (decision === 'edited') {
      const distance = editDistance(item.alt ?? '', textFor(item, draft));
      reviews.push(distance === 0 ? { key, kind: 'accepted', at: now } : { key, kind: 'edited', distance, at: now });
    }
  }
  return { modelId: job.modelId, reviews };
}

/**
 * Asking for a new suggestion in place of a finished one judges the old one; null when the item
 * had no suggestion (a failed item is retried, not judged). Each regeneration is its own record.
 */
export function regenerationOutcome(job: Pick<Job, 'id' | 'modelId' | 'items'>, itemId: string, now: number): EvidenceUpdate | null {
  const item = job.items.find((i) => i.id === itemId);
  if (!item || item.state !== 'done') return null;
  return { modelId: job.modelId, reviews: [{ key: `${reviewKey(job.id, item.id)}/regenerated/${now}`, kind: 'regenerated', at: now }] };
}

/** One image of a comparison: the models whose texts were shown and the user's choice. */
export interface ComparisonChoice {
  /** Stable for this image of this comparison run (e.g. `${runId}/${imageIndex}`): saving again replaces. */
  key: string;
  /** Model ids whose descriptions were shown side by side for the image. */
  models: string[];
  /** The model chosen as best, 'all' for "All equally good", null while unanswered. */
  best: string | 'all' | null;
}

const voteKind = (choice: ComparisonChoice, modelId: string): Vote['kind'] =>
  choice.best === 'all' ? 'tied' : choice.best === modelId ? 'best' : 'lost';

/** Answered choices only; a choice naming a model that was not shown is ignored. */
function answered(choices: ComparisonChoice[]): ComparisonChoice[] {
  return choices.filter((c) => c.best != null && (c.best === 'all' || c.models.includes(c.best)) && new Set(c.models).size > 1);
}

/** Votes per model from saved comparison choices: best, tied ("All equally good") or lost. */
export function comparisonVotes(choices: ComparisonChoice[], now: number): EvidenceUpdate[] {
  const byModel = new Map<string, Vote[]>();
  for (const choice of answered(choices)) {
    for (const modelId of new Set(choice.models)) {
      const votes = byModel.get(modelId) ?? [];
      votes.push({ key: choice.key, kind: voteKind(choice, modelId), at: now });
      byModel.set(modelId, votes);
    }
  }
  return [...byModel].map(([modelId, votes]) => ({ modelId, votes }));
}

export interface ComparisonTally {
  modelId: string;
  /** Answered images this model took part in. */
  shown: number;
  best: number;
  tied: number;
}

/**
 * Per model, how often it was chosen or tied, most wins first (then best-or-tied, then id): what
 * the comparison's summary says ("best or tied on 4 of 5"); the first entry is the winner
 * when it won at least once.
 */
export function tallyComparison(choices: ComparisonChoice[]): ComparisonTally[] {
  const tally = new Map<string, ComparisonTally>();
  for (const choice of answered(choices)) {
    for (const modelId of new Set(choice.models)) {
      const t = tally.get(modelId) ?? { modelId, shown: 0, best: 0, tied: 0 };
      const kind = voteKind(choice, modelId);
      t.shown += 1;
      if (kind === 'best') t.best += 1;
      if (kind === 'tied') t.tied += 1;
      tally.set(modelId, t);
    }
  }
  return [...tally.values()].sort((a, b) => b.best - a.best || b.best + b.tied - (a.best + a.tied) || a.modelId.localeCompare(b.modelId));
}
