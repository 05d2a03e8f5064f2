import type { Job, JobItem } from '@/lib/jobs/schema';
import type { Finding } from '@/lib/scan/schema';
import { decisionFor, decorativeNote, textFor, type ReviewAction, type ReviewDraft } from '@/lib/ui/review';
import { currentAltText as currentAlt } from '@/lib/ui/findings';

interface Props {
  job: Job;
  findings: Map<string, Finding>;
  draft: ReviewDraft;
  dispatch(action: ReviewAction): void;
  onCopy(text: string): void;
  onRetry(item: JobItem, regenerate: boolean): void;
  /** Scroll the page to the image and flash it; `label` ("Image 3") names it in the status message. */
  onReveal?(id: string, label: string): void;
  /** Reasons accepted items were left off the page at the last apply. */
  notApplied?: Record<string, string>;
  busy: boolean;
}

const STATUS_WORDS: Record<string, string> = {
  missing: 'missing alt',
  suspicious: 'suspicious alt',
  decorative: 'decorative',
  ok: 'has alt',
  ignored: 'ignored',
};

const describedBy = (ids: Array<string | false | undefined>) => ids.filter(Boolean).join(' ') || undefined;

/** One entry per image: thumbnail, current alt, the suggestion to edit, and what to do with it. */
export function ReviewList({ job, findings, draft, dispatch, onCopy, onRetry, onReveal, notApplied = {}, busy }: Props) {
  return (
    <ol className="review" aria-label="Suggestions">
      {job.items.map((item, index) => (
        <ReviewItem
          key={item.id}
          n={index + 1}
          item={item}
          finding={findings.get(item.id)}
          draft={draft}
          dispatch={dispatch}
          onCopy={onCopy}
          onRetry={onRetry}
          onReveal={onReveal}
          note={notApplied[item.id]}
          busy={busy}
        />
      ))}
    </ol>
  );
}

function ReviewItem({ n, item, finding, draft, dispatch, onCopy, onRetry, onReveal, note, busy }: Omit<Props, 'job' | 'findings' | 'notApplied'> & { n: number; item: JobItem; finding?: Finding; note?: string }) {
  const fieldId = `alt-${n}`;
  const titleId = `image-${n}`;
  const decision = decisionFor(item, draft);
  const rejected = decision === 'rejected';
  const text = textFor(item, draft);
  return (
    <li className={`item item-${decision} state-${item.state}`} aria-labelledby={titleId}>
      <div className="item-head">
        {item.src ? (
          <img className="thumb" src={item.src} alt="" width={56} height={56} loading="lazy" referrerPolicy="no-referrer" />
        ) : (
          <span className="thumb thumb-none" aria-hidden="true">SVG</span>
        )}
        <div className="item-info">
          <p className="item-title">
            <strong id={titleId}>Image {n}</strong>
            {finding && <span className="muted"> · {STATUS_WORDS[finding.status] ?? finding.status}</span>}
            {item.cached && <span className="muted"> · cached</span>}
          </p>
          <p className="muted small item-alt">Current alt: {currentAlt(item.oldAlt)}</p>
          {onReveal && (
            <button type="button" className="link reveal" onClick={() => onReveal(item.id, `Image ${n}`)}>
              Show<span className="sr-only">{` image ${n}`}</span> on page
            </button>
          )}
        </div>
      </div>
      {item.state === 'done' ? (
        <>
          <label htmlFor={fieldId} className="small">
            Alt text for image {n}
          </label>
          <textarea
            id={fieldId}
            rows={2}
            maxLength={2000}
            value={text}
            aria-describedby={describedBy([rejected && `${fieldId}-note`, item.decorative && !text && `${fieldId}-decorative`, note && !rejected && `${fieldId}-not-applied`])}
            onChange={(e) => dispatch({ type: 'edit', id: item.id, text: e.target.value })}
          />
          {item.decorative && !text && <p id={`${fieldId}-decorative`} className="muted small">{decorativeNote(finding?.kind)}</p>}
          {note && !rejected && (
            <p id={`${fieldId}-not-applied`} className="error small">
              Not applied: {note}.
            </p>
          )}
          {rejected && (
            <p id={`${fieldId}-note`} className="muted small">
              Rejected: this image keeps its current alt.
            </p>
          )}
          {item.longDescription && (
            <details>
              <summary>Long description</summary>
              <p className="small">{item.longDescription}</p>
            </details>
          )}
          <div className="row">
            <button type="button" aria-pressed={rejected} onClick={() => dispatch({ type: 'toggleReject', id: item.id })}>
              Reject
            </button>
            <button type="button" onClick={() => onCopy(text)}>
              Copy
            </button>
            <button type="button" disabled={busy} onClick={() => onRetry(item, true)}>
              Regenerate
            </button>
          </div>
        </>
      ) : item.state === 'failed' || item.state === 'cancelled' ? (
        <div className="row">
          <p className={item.state === 'failed' ? 'error small item-error' : 'muted small item-error'}>
            {item.state === 'failed' ? `Failed: ${item.error ?? 'no reason given'}` : `Not described: ${item.error ?? 'the job stopped first.'}`}
          </p>
          <button type="button" disabled={busy} onClick={() => onRetry(item, false)}>
            Retry
          </button>
        </div>
      ) : (
        <p className="muted small">
          {ITEM_STATE_WORDS[item.state]}
          {item.error ? ` ${item.error}` : ''}
        </p>
      )}
    </li>
  );
}

const ITEM_STATE_WORDS: Record<JobItem['state'], string> = {
  queued: 'Waiting…',
  running: 'Describing…',
  done: '',
  failed: '',
  skipped: 'Skipped.',
  cancelled: '',
};
