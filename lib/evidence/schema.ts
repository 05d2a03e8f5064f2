import { z } from 'zod';
import { ReviewDraftSchema } from '../jobs/review-draft';

/**
 * What the user's own reviews and comparisons say about each captioning model, as kept in
 * `storage.local` (lib/storage.ts `evidenceItem`). It never leaves the browser: the ranking reads
 * only the counts (lib/evidence/quality.ts `summariseEvidence`).
 *
 * Every record has a `key` naming what was judged (a job's item, one image of a comparison), so
 * saving the same judgement again replaces it instead of counting it twice.
 */

/**
 * Per model: the most recent this many review outcomes and this many comparison votes (past
 * 100 the evidence already weighs 87 %, and recent judgements say more about a model that may
 * have changed behind its id). At most ~700 kB of storage.local.
 */
export const MAX_REVIEWS_PER_MODEL = 100;
export const MAX_VOTES_PER_MODEL = 100;
/** Models kept; the one whose latest record is oldest goes first. */
export const MAX_MODELS = 30;
const MAX_KEY = 400;

export const ReviewKindSchema = z.enum(['accepted', 'edited', 'rejected', 'regenerated']);
export type ReviewKind = z.infer<typeof ReviewKindSchema>;

export const ReviewOutcomeSchema = z.object({
  key: z.string().min(1).max(MAX_KEY),
  /** accepted: applied as written; edited: applied after an edit; rejected; regenerated: replaced by a new suggestion. */
  kind: ReviewKindSchema,
  /** Edited only: normalised edit distance between suggestion and applied text, 0 (same) to 1 (nothing kept). */
  distance: z.number().min(0).max(1).optional(),
  /** Epoch ms of the judgement. */
  at: z.number().nonnegative(),
});
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;

export const VoteKindSchema = z.enum(['best', 'tied', 'lost']);
export type VoteKind = z.infer<typeof VoteKindSchema>;

export const VoteSchema = z.object({
  key: z.string().min(1).max(MAX_KEY),
  /** best: chosen as best for the image; tied: "All equally good"; lost: another model was chosen. */
  kind: VoteKindSchema,
  at: z.number().nonnegative(),
});
export type Vote = z.infer<typeof VoteSchema>;

export const ModelEvidenceLogSchema = z.object({
  reviews: z.array(ReviewOutcomeSchema).max(MAX_REVIEWS_PER_MODEL).default([]),
  votes: z.array(VoteSchema).max(MAX_VOTES_PER_MODEL).default([]),
});
export type ModelEvidenceLog = z.infer<typeof ModelEvidenceLogSchema>;

/** Model id → its log. */
export const EvidenceStoreSchema = z
  .record(z.string().min(1).max(MAX_KEY), ModelEvidenceLogSchema)
  .refine((store) => Object.keys(store).length <= MAX_MODELS, { message: `more than ${MAX_MODELS} models` });
export type EvidenceStore = z.infer<typeof EvidenceStoreSchema>;

/**
 * What the ranking reads per model: counts only, none of the records, so reading it costs the
 * same however long the history. Kept next to the log (written with it in one storage call).
 * Linear in the records, with no scoring rule baked in: lib/evidence/quality.ts scores it.
 */
export const EvidenceSummarySchema = z.object({
  reviews: z.number().int().nonnegative(),
  acceptedUnedited: z.number().int().nonnegative(),
  edited: z.number().int().nonnegative(),
  /** Σ (1 − distance) over the edited reviews: how much of the suggested texts the edits kept. */
  editedKept: z.number().nonnegative(),
  rejected: z.number().int().nonnegative(),
  regenerated: z.number().int().nonnegative(),
  comparisons: z.number().int().nonnegative(),
  won: z.number().int().nonnegative(),
  tied: z.number().int().nonnegative(),
  lost: z.number().int().nonnegative(),
});
export type EvidenceSummary = z.infer<typeof EvidenceSummarySchema>;
export const EvidenceSummariesSchema = z.record(z.string(), EvidenceSummarySchema);
export type EvidenceSummaries = z.infer<typeof EvidenceSummariesSchema>;

/** New records for one model, as the pure helpers in lib/evidence/record.ts make them. */
export interface EvidenceUpdate {
  modelId: string;
  reviews?: ReviewOutcome[];
  votes?: Vote[];
}

/**
 * The one message that changes the evidence (`updateEvidence`, answered by the worker, which is
 * then its only writer, so two pages saving at once cannot undo each other's records):
 * - review: a job's suggestions were applied with this draft (edits and rejections);
 * - regenerated: the user asked for a new suggestion in place of a finished one;
 * - comparison: a comparison's choices were saved;
 * - clear: forget one model's records, or everyone's.
 */
export const EvidenceChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('review'), jobId: z.string().min(1).max(200), draft: ReviewDraftSchema }).strict(),
  z.object({ kind: z.literal('regenerated'), jobId: z.string().min(1).max(200), itemId: z.string().min(1).max(200) }).strict(),
  z
    .object({
      kind: z.literal('comparison'),
      choices: z
        .array(
          z.object({
            key: z.string().min(1).max(MAX_KEY),
            models: z.array(z.string().min(1).max(MAX_KEY)).min(2).max(12),
            best: z.string().min(1).max(MAX_KEY).nullable(),
          }).strict(),
        )
        .min(1)
        .max(20),
    })
    .strict(),
  z.object({ kind: z.literal('clear'), modelId: z.string().min(1).max(MAX_KEY).optional() }).strict(),
]);
export type EvidenceChange = z.infer<typeof EvidenceChangeSchema>;
/** How many judgements were recorded (0 for clear), or why nothing was written. */
export const EvidenceChangeResultSchema = z.object({ recorded: z.number().int().nonnegative(), error: z.string().optional() });
export type EvidenceChangeResult = z.infer<typeof EvidenceChangeResultSchema>;
