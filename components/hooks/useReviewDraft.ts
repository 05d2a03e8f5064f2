import { useEffect, useReducer } from 'react';
import { readReviewDrafts, reviewDraftsItem } from '@/lib/storage';
import { EMPTY_DRAFT, reviewReducer, withDraft, type ReviewAction, type ReviewDraft } from '@/lib/ui/review';
import { usePlatform } from '../api';

/**
 * The user's edits and rejections for one job, saved per job in session storage as they are
 * made, so closing the popup or moving to the full report loses nothing typed.
 */
export function useReviewDraft(jobId: string | undefined): { draft: ReviewDraft; dispatch(action: ReviewAction): void } {
  const platform = usePlatform();
  const [draft, dispatch] = useReducer((s: ReviewDraft, a: ReviewAction) => reviewReducer(s, a, platform.now()), EMPTY_DRAFT);

  useEffect(() => {
    dispatch({ type: 'reset' });
    if (!jobId) return;
    let stale = false;
    readReviewDrafts().then((drafts) => !stale && dispatch({ type: 'load', draft: drafts[jobId] ?? EMPTY_DRAFT }));
    return () => {
      stale = true;
    };
  }, [jobId]);

  useEffect(() => {
    // updatedAt 0: loaded or empty, nothing the user did yet.
    if (!jobId || draft.updatedAt === 0) return;
    readReviewDrafts().then((drafts) => reviewDraftsItem.setValue(withDraft(drafts, jobId, draft)));
  }, [jobId, draft]);

  return { draft, dispatch };
}
