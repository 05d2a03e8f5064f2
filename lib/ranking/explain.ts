import { MIN_EVIDENCE } from '../evidence/quality';
import type { ModelEvidence, RankedModel } from './schema';

/**
 * Sentences about where a model's figures come from, shared by the ranking's reasons, the popup's
 * tier picks, the models page and the command line, so they say it in the same words.
 */

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `your reviews: N of M accepted unedited`, or null before the first review. */
export function reviewsReason(e: Pick<ModelEvidence, 'reviews' | 'acceptedUnedited'> | null | undefined): string | null {
  return e && e.reviews > 0 ? `your reviews: ${e.acceptedUnedited} of ${e.reviews} accepted unedited` : null;
}

/** `won N of M comparisons`, or null before the first comparison. */
export function comparisonsReason(e: Pick<ModelEvidence, 'comparisons' | 'won'> | null | undefined): string | null {
  return e && e.comparisons > 0 ? `won ${e.won} of ${e.comparisons} comparisons` : null;
}

/** `tied N of M comparisons` ("All equally good"), or null when it never tied. */
export function tiesReason(e: Pick<ModelEvidence, 'comparisons' | 'tied'> | null | undefined): string | null {
  return e && e.tied > 0 ? `tied ${e.tied} of ${e.comparisons} comparisons` : null;
}

/** "your 6 reviews and 2 comparisons"; empty while they do not count yet. */
function yourJudgements(e: ModelEvidence | null | undefined): string {
  if (!e || e.weight === 0) return '';
  const parts = [e.reviews > 0 && plural(e.reviews, 'review'), e.comparisons > 0 && plural(e.comparisons, 'comparison')].filter(Boolean);
  return parts.length ? `your ${parts.join(' and ')}` : '';
}

const CHECK = 'compare on your images to check';

/**
 * One phrase for a quality figure's source, for the tier picks and the models page:
 * "quality from a general benchmark; compare on your images to check",
 * "quality from a vision benchmark and your 3 reviews", "quality from your reviews: 18 of 20
 * accepted unedited", "quality from your comparisons: won 4 of 5", "unrated; compare on your
 * images to check".
 */
export function qualityNote(model: Pick<RankedModel, 'quality' | 'qualitySource' | 'evidence'>): string {
  const e = model.evidence ?? null;
  const mine = yourJudgements(e);
  const source = model.qualitySource ?? (model.quality == null ? 'unrated' : 'general benchmark');
  switch (source) {
    case 'unrated': {
      const n = e ? e.reviews + e.comparisons : 0;
      return n > 0 ? `unrated until ${MIN_EVIDENCE} of your reviews or comparisons (${n} so far)` : `unrated; ${CHECK}`;
    }
    case 'general benchmark':
      return `quality from a general benchmark${mine && ` and ${mine}`}; ${CHECK}`;
    case 'vision benchmark':
      return `quality from a vision benchmark${mine && ` and ${mine}`}`;
    case 'your reviews':
      return `quality from ${reviewsReason(e) ?? 'your reviews'}`;
    case 'your comparisons':
      return `quality from your comparisons: won ${e?.won ?? 0} of ${e?.comparisons ?? 0}`;
  }
}
