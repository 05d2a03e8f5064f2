import { useMemo, useRef, useState } from 'react';
import type { CmsInspection } from '@/lib/cms/messages';
import type { RankedModel } from '@/lib/ranking/schema';
import { isLive } from '@/lib/ui/follow-job';
import { costSentence, shortName } from '@/lib/ui/cost';
import { cmsFinding, cmsSelection, cmsSummary, fieldKey, keepOrder, hasAlt, statusText } from '@/lib/ui/cms';
import { currentAltText } from '@/lib/ui/findings';
import { errorText, usePlatform } from './api';
import { images } from '@/lib/ui/format';
import { useAccessRequest } from './hooks/useAccessRequest';
import { useJob } from './hooks/useJob';
import { useJobActions } from './hooks/useJobActions';
import { useModelChoice } from './hooks/useModelChoice';
import { LIBRARY_BATCH, useCmsFields } from './hooks/useCmsFields';
import { useReviewDraft } from './hooks/useReviewDraft';
import { HostAccessPrompt } from './HostAccessPrompt';
import { ModelPicker } from './ModelPicker';
import { JobProgress, type JobAction } from './JobProgress';
import { ReviewList } from './ReviewList';

type Found = Extract<CmsInspection, { found: true }>;

interface Props {
  tabId: number;
  inspection: Found;
  /** Looks at the editing screen again (after filling, or after the editor loaded its page again). */
  reinspect(): Promise<unknown>;
  /** Shows the ordinary page view instead. */
  onLeave(): void;
}

const CREDITS_URL = 'https://openrouter.ai/settings/credits';

/**
 * The popup on a CMS editing screen (issue 15): which editor AltScout recognised, the images being
 * edited (missing alt first), the normal job and review, then "Fill alt text fields" into the
 * editor's own fields, a status per image (saved, or waiting for the editor's save), an opt-in
 * "Save for me", and Undo.
 */
export function CmsWorkbench({ tabId, inspection: latest, reinspect, onLeave }: Props) {
  // The list keeps the order it first had: a field that gets filled stays where it was.
  const [firstSeen] = useState(() => new Map(latest.items.map((i) => [fieldKey(i.id), cmsFinding(i)])));
  const [firstOrder] = useState(() => latest.items.map((i) => fieldKey(i.id)));
  const inspection = useMemo(() => ({ ...latest, items: keepOrder(latest.items, firstOrder) }), [latest, firstOrder]);
  const platform = usePlatform();
  const [message, say] = useState('');
  const [replaceWritten, setReplaceWritten] = useState(false);
  const models = useModelChoice();
  const fields = useCmsFields({ tabId, inspection, reinspect, say });
  const { statuses, busy, libraryKeys, waiting } = fields;
  const { job: tabJob, answered } = useJob({ tabId });
  // The tab's latest job is this editor's only when it describes this editor's fields.
  const keys = useMemo(() => new Set([...inspection.items, ...inspection.libraryIds.map((id) => ({ id }))].map((i) => fieldKey(i.id)).concat(libraryKeys)), [inspection, libraryKeys]);
  const job = tabJob && tabJob.items.some((i) => keys.has(fieldKey(i.id))) ? tabJob : null;
  const { draft, dispatch } = useReviewDraft(job?.id);
  // The review shows each image as it was when first listed (a field AltScout filled is still the one that had no alt).
  const found = useMemo(() => new Map((job?.items ?? []).map((i) => [i.id, { ...(firstSeen.get(fieldKey(i.id)) ?? cmsFinding({ id: i.id, src: i.src ?? '', alt: i.oldAlt ?? '', label: '', save: { kind: 'at-once' } })), id: i.id }] as const)), [job, firstSeen]);
  const access = useAccessRequest(say);
  const selected = useMemo(() => cmsSelection(inspection.items, replaceWritten).map(cmsFinding), [inspection, replaceWritten]);
  const jobs = useJobActions({ tabId, pageUrl: inspection.url, selected, model: models.model, job, answered, dispatch, access, say });
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const withAlt = inspection.items.filter(hasAlt).length;
  const live = job != null && isLive(job);
  const saveButton = inspection.items.find((i) => i.save.kind === 'with-post')?.save;

  const generate = () => void jobs.generate();

  async function choose(next: RankedModel) {
    try {
      await models.choose(next);
    } catch (e) {
      say(`${next.name} is used for this page but not remembered. ${errorText(e)}`);
    }
  }

  function onJobAction(action: JobAction) {
    if (action === 'top-up') void platform.openTab(CREDITS_URL);
    else if (action === 'open-options' || action === 'raise-budget' || action === 'pick-model') void platform.openOptions();
    else generate();
  }

  const reason = !models.model ? 'Choose a model first.' : selected.length === 0 ? 'No images without alt text to describe.' : null;
  return (
    <main className="popup">
      <header className="top">
        <h1>AltScout</h1>
        <button type="button" className="link" onClick={() => void platform.openOptions()}>
          Settings
        </button>
      </header>
      <p ref={summaryRef} tabIndex={-1} role="status" aria-label="Page summary" className="summary">
        {cmsSummary(inspection)}
      </p>
      {inspection.postTitle && <p className="muted small page-line">Editing “{inspection.postTitle}”</p>}

      {inspection.items.length > 0 && (
        <section aria-labelledby="cms-images-h">
          <h2 id="cms-images-h">Images in this editor</h2>
          <ol className="findings" aria-label="Images in this editor">
            {inspection.items.map((item, index) => {
              const status = statuses[fieldKey(item.id)];
              const titleId = `cms-image-${index + 1}`;
              return (
                <li key={item.id} className={`finding finding-${hasAlt(item) ? 'ok' : 'missing'}`} aria-labelledby={titleId}>
                  <div className="item-head">
                    <img className="thumb" src={item.src} alt="" width={56} height={56} loading="lazy" referrerPolicy="no-referrer" />
                    <div className="item-info">
                      <p className="item-title">
                        <strong id={titleId}>Image {index + 1}</strong>
                        <span className="muted">{hasAlt(item) ? ' · has alt text' : ' · no alt text'}</span>
                      </p>
                      <p className="muted small item-alt">Alt text: {currentAltText(hasAlt(item) ? item.alt : null)}</p>
                      {status && <p className={status.kind === 'not-filled' || status.kind === 'failed' ? 'error small' : 'small'}>{statusText(status)}</p>}
                    </div>
                  </div>
                </li>
              );
            })}
          </ol>
        </section>
      )}

      {access.need && <HostAccessPrompt need={access.need} onChoose={access.grant} onCancel={access.dismiss} />}

      {!live && !access.need && (inspection.items.length > 0 || inspection.mediaLibrary) && (
        <>
          {models.ranking ? (
            <ModelPicker ranking={models.ranking} chosenId={models.model?.id ?? null} onChoose={choose} onRefresh={() => void models.refresh().catch((e) => say(`Could not refresh the model list: ${errorText(e)}`))} refreshing={models.refreshing} now={platform.now()} />
          ) : (
            <p className={models.loadError ? 'error' : 'muted'}>{models.loadError ? `Could not load the model list: ${models.loadError}` : 'Loading models…'}</p>
          )}
          {inspection.items.length > 0 && (
          <section className="run">
            {withAlt > 0 && (
              <label className="check">
                <input type="checkbox" checked={replaceWritten} onChange={(e) => setReplaceWritten(e.target.checked)} />
                {` Also describe images that have alt text (${withAlt}; replaces it)`}
              </label>
            )}
            <p className="cost" id="cms-cost">
              {reason ?? costSentence(selected.length, { ...models.model!, name: shortName(models.model!.name) })}
            </p>
            <button type="button" className="primary" aria-describedby="cms-cost" disabled={reason != null || jobs.busy === 'start'} onClick={generate}>
              {jobs.busy === 'start' ? 'Starting…' : 'Generate alt text'}
            </button>
          </section>
          )}
          {inspection.mediaLibrary && (
            <section className="run" aria-labelledby="cms-library-h">
              <h2 id="cms-library-h">Media library</h2>
              <p className="muted small" id="cms-library-note">
                Describes the library’s images without alt text, {LIBRARY_BATCH} at a time, with the model above; review them, then fill. WordPress saves each one at once.
              </p>
              <button type="button" aria-describedby="cms-library-note" disabled={!models.model || busy != null} onClick={() => models.model && void fields.describeLibrary(models.model.id, answered)}>
                Describe the media library
              </button>
            </section>
          )}
        </>
      )}

      {job && (
        <>
          <JobProgress job={job} now={platform.now()} onCancel={() => void jobs.cancel()} onAction={onJobAction} />
          <h2>Review</h2>
          <ReviewList job={job} findings={found} draft={draft} dispatch={dispatch} onCopy={(t) => void platform.copy(t).then(() => say('Copied.'), (e) => say(`Could not copy: ${errorText(e)}`))} onRetry={jobs.retry} busy={jobs.busy != null || busy != null} />
          <div className="actions">
            <div className="row">
              <button type="button" className="primary" onClick={() => void fields.fill(job, draft)} disabled={busy != null || live}>
                Fill alt text fields
              </button>
              <button type="button" onClick={() => void fields.undo()} disabled={busy != null}>
                Undo
              </button>
              {waiting && (
                <button type="button" onClick={() => void fields.saveForMe()} disabled={busy != null} aria-describedby="cms-save-hint">
                  Save for me
                </button>
              )}
            </div>
            {waiting && saveButton?.kind === 'with-post' && (
              <p id="cms-save-hint" className="muted small">
                {saveButton.hint}, or choose “Save for me” to have AltScout click {saveButton.button} for you.
              </p>
            )}
          </div>
        </>
      )}
      <p role="status" aria-label="Last action" className="message">
        {message}
      </p>
      <button type="button" className="link" onClick={onLeave}>
        Scan the whole page instead
      </button>
    </main>
  );
}
