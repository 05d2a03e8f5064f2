import type { Job, JobItem } from '../jobs/schema';
import type { Kind } from '../scan/schema';
import { decorativeKindRefusal } from '../page/apply';
import { EMPTY_DRAFT, type ReviewDraft, type ReviewDrafts } from '../jobs/review-draft';

// The draft's shape is owned with the job data it edits; the review logic lives here.
export { EMPTY_DRAFT, type ReviewDraft, type ReviewDrafts };

export type ReviewAction =
  | { type: 'edit'; id: string; text: string }
  | { type: 'toggleReject'; id: string }
  /** A regenerated item shows its new suggestion, not the old edit. */
  | { type: 'forget'; id: string }
  /** The draft stored for the job; what the user did before it arrived stays on top of it. */
  | { type: 'load'; draft: ReviewDraft }
  /** Another job: nothing of the previous job's draft carries over. */
  | { type: 'reset' };

export function reviewReducer(state: ReviewDraft, action: ReviewAction, now = Date.now()): ReviewDraft {
  switch (action.type) {
    case 'load':
      if (state.updatedAt <= action.draft.updatedAt) return action.draft;
      return {
        edits: { ...action.draft.edits, ...state.edits },
        rejected: [...new Set([...action.draft.rejected, ...state.rejected])],
        updatedAt: state.updatedAt,
      };
    case 'reset':
      return EMPTY_DRAFT;
    case 'edit':
      return { ...state, edits: { ...state.edits, [action.id]: action.text }, updatedAt: now };
    case 'toggleReject': {
      const rejected = state.rejected.includes(action.id)
        ? state.rejected.filter((id) => id !== action.id)
        : [...state.rejected, action.id];
      return { ...state, rejected, updatedAt: now };
    }
    case 'forget': {
      const { [action.id]: _dropped, ...edits } = state.edits;
      return { ...state, edits, rejected: state.rejected.filter((id) => id !== action.id), updatedAt: now };
    }
  }
}

/** Keeps the drafts of the most recent jobs only; session storage is small. */
export function withDraft(drafts: ReviewDrafts, jobId: string, draft: ReviewDraft, keep = 20): ReviewDrafts {
  const entries = Object.entries({ ...drafts, [jobId]: draft })
    .sort(([, a], [, b]) => b.updatedAt - a.updatedAt)
    .slice(0, keep);
  return Object.fromEntries(entries);
}

export type Decision = 'accepted' | 'edited' | 'rejected' | 'failed' | 'pending';

export function textFor(item: JobItem, draft: ReviewDraft): string {
  return draft.edits[item.id] ?? item.alt ?? '';
}

export function decisionFor(item: JobItem, draft: ReviewDraft): Decision {
  if (draft.rejected.includes(item.id)) return 'rejected';
  if (item.state === 'failed' || item.state === 'skipped' || item.state === 'cancelled') return 'failed';
  if (item.state !== 'done') return 'pending';
  const edit = draft.edits[item.id];
  return edit != null && edit !== (item.alt ?? '') ? 'edited' : 'accepted';
}

export interface ApplyPlan {
  /** `src`: the image the description was written for; the page skips an element that shows another one now. */
  items: Array<{ id: string; src: string | null; text: string; overwrite: boolean; decorative?: boolean; model?: string; generatedAt?: number }>;
  /** Accepted items whose text box was emptied: applying them would erase, so they are held back. */
  blank: string[];
  /** Accepted decorative verdicts on elements that must have a name, with the reason shown in the review. */
  refused: Array<{ id: string; reason: string }>;
}

/**
 * The accepted and edited suggestions, ready for `applyToTab`. An item that had alt text of its
 * own is in the job only because the user included it (suspicious or decorative), which is the
 * explicit choice the overwrite flag stands for. With `markAiGenerated` the page records which
 * model wrote each text and when (data-altscout-model / data-altscout-time).
 *
 * An accepted "decorative" verdict (empty suggestion, not replaced by a typed description) is
 * applied as alt="" on an <img>; other kinds need a name, so `kindOf` lets them be refused here
 * with the page writer's reason (the page checks again in any case).
 */
export function applyPlan(job: Job, draft: ReviewDraft, markAiGenerated = false, kindOf: (id: string) => Kind | undefined = () => undefined): ApplyPlan {
  const plan: ApplyPlan = { items: [], blank: [], refused: [] };
  for (const item of job.items) {
    const decision = decisionFor(item, draft);
    if (decision !== 'accepted' && decision !== 'edited') continue;
    const text = textFor(item, draft).trim();
    const decorative = !text && item.decorative === true;
    const kind = kindOf(item.id);
    const refusal = decorative && kind ? decorativeKindRefusal(kind) : null;
    if (!text && !decorative) plan.blank.push(item.id);
    else if (refusal) plan.refused.push({ id: item.id, reason: refusal });
    else {
      const mark = markAiGenerated ? { model: job.modelId, generatedAt: job.updatedAt } : {};
      plan.items.push({ id: item.id, src: item.src, text, overwrite: item.oldAlt !== null, ...(decorative ? { decorative } : {}), ...mark });
    }
  }
  return plan;
}

/** What the review says under a suggestion the model judged decorative and left empty. */
export function decorativeNote(kind: Kind | undefined): string {
  const refusal = kind ? decorativeKindRefusal(kind) : null;
  if (refusal) return `The model judged this image decorative. ${refusal}.`;
  return 'The model judged this image decorative: applying marks it so (alt=""), and screen readers skip it. Write a description instead if it carries meaning.';
}
