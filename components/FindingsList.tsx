import { useId, useMemo, useState } from 'react';
import type { Finding } from '@/lib/scan/schema';
import {
  FILTER_LABELS, FILTERS, KIND_LABELS, countFindings, currentAltText, filterFindings, imageUrlText, notShownOnPage, type FindingFilter,
} from '@/lib/ui/findings';

interface Props {
  findings: Finding[];
  /** Scroll the page to the finding and flash it; `label` names it in the status message. */
  onReveal(id: string, label: string): void;
  /** The popup keeps the list behind a disclosure button and leaves out thumbnails. */
  compact?: boolean;
}

/** Every image the scanner judged, for auditors: filter by status, read why, find it on the page. */
export function FindingsList({ findings, onReveal, compact = false }: Props) {
  const id = useId();
  const [open, setOpen] = useState(!compact);
  const [filter, setFilter] = useState<FindingFilter>('all');
  const counts = useMemo(() => countFindings(findings), [findings]);
  const shown = useMemo(() => filterFindings(findings, filter), [findings, filter]);

  const body = (
    <>
      <fieldset className="filters">
        <legend>Show findings</legend>
        {FILTERS.map((f) => (
          <label key={f} className="filter">
            <input type="radio" name={`${id}-filter`} value={f} checked={filter === f} onChange={() => setFilter(f)} />
            {`${FILTER_LABELS[f]} (${counts[f]})`}
          </label>
        ))}
      </fieldset>
      {shown.length === 0 ? (
        <p className="muted small">{filter === 'all' ? 'No images on this page.' : `No ${FILTER_LABELS[filter].toLowerCase()} images on this page.`}</p>
      ) : (
        <ol className={compact ? 'findings compact' : 'findings'} aria-label="Findings">
          {shown.map(({ n, finding }) => (
            <FindingItem key={finding.id} n={n} finding={finding} onReveal={onReveal} thumb={!compact} titleId={`${id}-f${n}`} />
          ))}
        </ol>
      )}
    </>
  );

  return (
    <section aria-labelledby={`${id}-h`} className="findings-panel">
      {compact ? (
        <h2 id={`${id}-h`} className="disclosure">
          <button type="button" className="link" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen(!open)}>
            <span aria-hidden="true">{open ? '▾ ' : '▸ '}</span>
            {`All findings (${findings.length})`}
          </button>
        </h2>
      ) : (
        <h2 id={`${id}-h`}>{`All findings (${findings.length})`}</h2>
      )}
      <div id={`${id}-body`} hidden={!open}>
        {open && body}
      </div>
    </section>
  );
}

function FindingItem({ n, finding, onReveal, thumb, titleId }: { n: number; finding: Finding; onReveal: Props['onReveal']; thumb: boolean; titleId: string }) {
  const label = `Finding ${n}`;
  const web = finding.src != null && /^https?:/.test(finding.src);
  return (
    <li className={`finding finding-${finding.status}`} aria-labelledby={titleId}>
      <div className="item-head">
        {thumb &&
          (finding.src ? (
            <img className="thumb" src={finding.src} alt="" width={56} height={56} loading="lazy" referrerPolicy="no-referrer" />
          ) : (
            <span className="thumb thumb-none" aria-hidden="true">SVG</span>
          ))}
        <div className="item-info">
          <p className="item-title">
            <strong id={titleId}>{label}</strong>
            <span className="muted">{` · ${FILTER_LABELS[finding.status]} · ${KIND_LABELS[finding.kind]}`}</span>
          </p>
          <dl className="facts small">
            <dt>Current alt</dt>
            <dd>{currentAltText(finding.alt)}</dd>
            <dt>{finding.reasons.length === 1 ? 'Reason' : 'Reasons'}</dt>
            <dd>
              {finding.reasons.length === 0 ? 'none' : finding.reasons.length === 1 ? finding.reasons[0].text : (
                <ul>
                  {finding.reasons.map((r) => <li key={r.code}>{r.text}</li>)}
                </ul>
              )}
            </dd>
            <dt>Image URL</dt>
            <dd className="url">
              {web ? (
                <a href={finding.src!} target="_blank" rel="noreferrer">{finding.src}</a>
              ) : (
                imageUrlText(finding.src)
              )}
            </dd>
          </dl>
        </div>
      </div>
      {notShownOnPage(finding) ? (
        <p className="muted small">Not drawn on the page, so there is nothing to show.</p>
      ) : (
        <button type="button" className="reveal" onClick={() => onReveal(finding.id, label)}>
          Show<span className="sr-only">{` finding ${n}`}</span> on page
        </button>
      )}
    </li>
  );
}
