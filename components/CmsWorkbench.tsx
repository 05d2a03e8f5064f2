import { useMemo, useRef, useState } from 'react';
import type { CmsInspection } from '@/lib/cms/messages';
import type { RankedModel } from '@/lib/ranking/schema';
import { applyPlan } from '@/lib/ui/review';
import { isLive } from '@/lib/ui/follow-job';
import { costSentence, shortName } from '@/lib/ui/cost';
import { cmsFinding, cmsSelection, cmsSummary, fieldKey, fillMessage, keepOrder, fillStatuses, hasAlt, statusText, undoMessage, type FieldStatus } from '@/lib/ui/cms';
import { currentAltText } from '@/lib/ui/findings';
import { errorText, usePlatform } from './api';
import { startJob } from './start-job';
import { images } from '@/lib/ui/format';
import { useAccessRequest } from './hooks/useAccessRequest';
import { useJob } from './hooks/useJob';
import { useJobActions } from './hooks/useJobActions';
import { useModelChoice } from './hooks/useModelChoice';
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
/** Images per "Describe the media library" job: a review a person can go through. */
const LIBRARY_BATCH = 100;

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
  const [statuses, setStatuses] = useState<Record<string, FieldStatus>>({});
  const [filled, setFilled] = useState<string[]>([]);
  const [busy, setBusy] = useState<null | 'fill' | 'save' | 'undo' | 'library'>(null);
  const models = useModelChoice();
  const { job: tabJob, answered } = useJob({ tabId });
  // The tab's latest job is this editor's only when it describes this editor's fields.
  const [libraryKeys, setLibraryKeys] = useState<string[]>([]);
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
  const waiting = Object.values(statuses).some((s) => s.kind === 'waiting');

  const generate = () => void jobs.generate();

  /** "Describe the media library": the next batch of images without alt text, through the ordinary job and review. */
  async function describeLibrary() {
    if (!models.model) return;
    setBusy('library');
    say('Listing the media library’s images without alt text…');
    try {
      const listed = await platform.send('cmsLibrary', { tabId, doc: inspection.doc, max: LIBRARY_BATCH });
      if (listed.pageChanged || (listed.error && !listed.ids.length)) {
        say(listed.error ?? 'The media library page changed; open AltScout again.');
        return;
      }
      if (!listed.ids.length) {
        say(`Every image in the media library has alt text (${images(listed.total)}).`);
        return;
      }
      setLibraryKeys(listed.ids.map(fieldKey));
      const rest = listed.withoutAlt - listed.ids.length;
      say(`${images(listed.withoutAlt)} in the media library ${listed.withoutAlt === 1 ? 'has' : 'have'} no alt text; describing ${rest > 0 ? `the first ${listed.ids.length}` : listed.ids.length === 1 ? 'it' : 'them all'}.`);
      answered(await startJob(platform, { tabId, modelId: models.model.id, target: { kind: 'findings', ids: listed.ids } }));
      await reinspect();
    } catch (e) {
      say(`Could not describe the media library: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

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

  async function fill() {
    if (!job) return;
    const plan = applyPlan(job, draft);
    const items = plan.items.filter((i) => i.text);
    const leftEmpty = plan.items.length - items.length;
    if (!items.length) {
      say(plan.blank.length ? 'The accepted suggestions are empty: write the text first.' : 'No accepted suggestions to fill in.');
      return;
    }
    setBusy('fill');
    say('Filling the alt text fields…');
    try {
      // Ids name the document inspected; after the editor loaded its page again they are matched by field.
      const current = new Map(inspection.items.map((i) => [fieldKey(i.id), i.id]));
      const result = await platform.send('cmsFill', {
        tabId,
        items: items.map((i) => ({ id: current.get(fieldKey(i.id)) ?? i.id, alt: i.text, overwrite: i.overwrite })),
      });
      setStatuses((s) => ({ ...s, ...fillStatuses(result) }));
      setFilled(result.results.filter((r) => r.ok).map((r) => r.id));
      say(fillMessage(result, leftEmpty));
      await reinspect();
    } catch (e) {
      say(`Could not fill the fields: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function saveForMe() {
    setBusy('save');
    say('Saving in the editor…');
    try {
      const result = await platform.send('cmsSave', { tabId, doc: inspection.doc });
      if (result.ok) {
        setStatuses((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.kind === 'waiting' ? { kind: 'saved' } : v])));
        if (result.reloaded) setFilled([]);
      }
      say(result.message);
      await reinspect();
    } catch (e) {
      say(`Could not save: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function undo() {
    if (!filled.length) {
      say('Nothing filled by AltScout on this page to undo.');
      return;
    }
    setBusy('undo');
    try {
      const result = await platform.send('cmsUndo', { tabId, ids: filled });
      say(undoMessage(result, saveButton?.kind === 'with-post' ? saveButton.button : 'Update'));
      const restored = new Set(result.restored.map(fieldKey));
      setStatuses((s) => Object.fromEntries(Object.entries(s).filter(([k]) => !restored.has(k))));
      setFilled((f) => f.filter((id) => !result.restored.includes(id)));
      await reinspect();
    } catch (e) {
      say(`Could not undo: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
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
              <button type="button" aria-describedby="cms-library-note" disabled={!models.model || busy != null} onClick={() => void describeLibrary()}>
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
              <button type="button" className="primary" onClick={() => void fill()} disabled={busy != null || live}>
                Fill alt text fields
              </button>
              <button type="button" onClick={() => void undo()} disabled={busy != null}>
                Undo
              </button>
              {waiting && (
                <button type="button" onClick={() => void saveForMe()} disabled={busy != null} aria-describedby="cms-save-hint">
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
