import { useEffect, useState } from 'react';
import type { Job } from '@/lib/jobs/schema';
import type { Finding } from '@/lib/scan/schema';
import { isTabHighlighted, readSettings } from '@/lib/storage';
import { applyPlan, type ReviewDraft } from '@/lib/ui/review';
import { images } from '@/lib/ui/format';
import { errorText, usePlatform } from '../api';

interface Deps {
  tabId: number;
  /** The job under review and what the user decided about it. */
  job: Job | null;
  draft: ReviewDraft;
  /** The review's view of each image (its kind decides whether "decorative" can be applied). */
  found: Map<string, Finding>;
  /** The scanned top document's token (the summary's `page`): highlights refuse another document. */
  page?: string;
  say(message: string): void;
  /** Told when an action answers that the scanned document is gone (contract 5). */
  onPageChanged(): void;
  /** Counts the page again after it was changed. */
  recount(): Promise<void>;
}

/** Contract 5: a tab action bound to a document that is gone changes nothing and says so. */
export const pageChanged = (answer: object): boolean => (answer as { pageChanged?: unknown }).pageChanged === true;

/** What the popup and the report do to the page: apply, undo, highlight, show one image. */
export function usePageActions({ tabId, job, draft, found, page, say, onPageChanged, recount }: Deps) {
  const platform = usePlatform();
  const [applying, setApplying] = useState(false);
  /** Why accepted items were not written to the page at the last apply, shown beside each. */
  const [notApplied, setNotApplied] = useState<Record<string, string>>({});
  const [highlighted, setHighlighted] = useState(false);

  useEffect(() => {
    isTabHighlighted(tabId).then(setHighlighted, () => undefined);
  }, [tabId]);

  /**
   * What the user did with each suggestion (as written, edited, rejected) becomes evidence about
   * the model, recorded by the worker; applying again replaces the earlier judgement. A failure
   * to record never gets in the way of applying.
   */
  function learn(reviewed: Job, decided: ReviewDraft) {
    platform.send('updateEvidence', { kind: 'review', jobId: reviewed.id, draft: decided }).catch(() => undefined);
  }

  async function apply() {
    if (!job) return;
    // Read now, not when the popup opened: the options page may have changed it since.
    const { value: settings } = await readSettings();
    const plan = applyPlan(job, draft, settings.markAiGenerated, (id) => found.get(id)?.kind);
    const blank = plan.blank.length ? ` ${images(plan.blank.length)} with an empty text box left out.` : '';
    const refused = plan.refused.length ? ` ${images(plan.refused.length)} judged decorative left out: ${plan.refused.length === 1 ? 'it needs' : 'they need'} a description.` : '';
    const notes = Object.fromEntries(plan.refused.map((r) => [r.id, r.reason]));
    setNotApplied(notes);
    if (plan.items.length === 0) {
      say(`Nothing to apply: every suggestion is rejected, failed or empty.${blank}${refused}`);
      learn(job, draft);
      return;
    }
    setApplying(true);
    try {
      const result = await platform.send('applyToTab', { tabId, items: plan.items });
      if (pageChanged(result)) return onPageChanged();
      const skipped = result.skipped.length
        ? ` ${result.skipped.length} skipped: ${result.skipped.map((s) => s.reason).filter((r, i, all) => all.indexOf(r) === i).join('; ')}.`
        : '';
      setNotApplied({ ...notes, ...Object.fromEntries(result.skipped.map((s) => [s.id, s.reason])) });
      learn(job, draft);
      say(`Applied alt text to ${images(result.applied.length)} on the page.${skipped}${blank}${refused}`);
      void recount();
    } catch (e) {
      say(`Could not apply: ${errorText(e)}`);
    } finally {
      setApplying(false);
    }
  }

  async function undo() {
    try {
      // Undo puts back what was applied to this job's images, in the documents their ids name.
      const result = await platform.send('undoTab', { tabId, ids: job ? job.items.map((item) => item.id) : [] });
      if (pageChanged(result)) return onPageChanged();
      say(result.restored ? `Undone: ${images(result.restored)} restored as they were.` : 'Nothing to undo on this page.');
      void recount();
    } catch (e) {
      say(`Could not undo: ${errorText(e)}`);
    }
  }

  async function toggleHighlight() {
    const on = !highlighted;
    try {
      const result = await platform.send('highlightTab', { tabId, on, ...(page ? { page } : {}) });
      if (pageChanged(result)) return onPageChanged();
      setHighlighted(on);
      say(on ? `Highlighted ${images(result.shown)} on the page.` : 'Highlights removed.');
    } catch (e) {
      say(`Could not highlight: ${errorText(e)}`);
    }
  }

  /** `label` is how the list names the image ("Image 3", "Finding 7"). */
  async function reveal(id: string, label: string) {
    try {
      const result = await platform.send('revealInTab', { tabId, id });
      if (pageChanged(result)) return onPageChanged();
      say(result.found ? `${label} is shown on the page.` : `${label} is no longer on the page; reopen AltScout to scan again.`);
    } catch (e) {
      say(`Could not show ${label.toLowerCase()}: ${errorText(e)}`);
    }
  }

  return { apply, undo, toggleHighlight, reveal, applying, notApplied, highlighted };
}
