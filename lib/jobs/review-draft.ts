import { z } from 'zod';

/**
 * What the user decided about a job's suggestions: edited texts and rejected items. Kept apart
 * from the job (which the background owns) and saved per job (storage.session, see
 * `reviewDraftsItem`), so closing the popup or moving to the full report loses no edit. The
 * review logic that reads and changes drafts is `lib/ui/review.ts`.
 */
export const ReviewDraftSchema = z.object({
  edits: z.record(z.string(), z.string().max(2000)).default({}),
  rejected: z.array(z.string()).default([]),
  updatedAt: z.number().default(0),
});
export type ReviewDraft = z.infer<typeof ReviewDraftSchema>;
export const EMPTY_DRAFT: ReviewDraft = { edits: {}, rejected: [], updatedAt: 0 };

export const ReviewDraftsSchema = z.record(z.string(), ReviewDraftSchema);
export type ReviewDrafts = z.infer<typeof ReviewDraftsSchema>;
