import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Job, JobItem } from '@/lib/jobs/schema';
import type { PageSummary } from '@/lib/page/schema';
import type { RankedModel, Ranking } from '@/lib/ranking/schema';
import type { Settings } from '@/lib/settings/schema';
import type { Finding } from '@/lib/scan/schema';
import { isTabHighlighted, readReviewDrafts, readSettings, reviewDraftsItem, settingsItem } from '@/lib/storage';
import { nextInTier, resolveModel } from '@/lib/ui/models';
import { TIER_LABELS } from '@/lib/ranking/schema';
import { applyPlan, EMPTY_DRAFT, reviewReducer, withDraft, type ReviewAction } from '@/lib/ui/review';
import { DEFAULT_INCLUSION, includedFindings, toJobItems, type Inclusion } from '@/lib/ui/selection';
import { withDetails } from '@/lib/scan/details';
import { exportFileName, reportRows, toCsv, toJson } from '@/lib/ui/export';
import { images } from '@/lib/ui/format';
import { isSingleImageJob } from '@/lib/ui/single-image';
import { errorText, usePlatform } from './api';
import { PageSummaryView } from './PageSummaryView';
import { StatusCounts } from './StatusCounts';
import { ModelPicker } from './ModelPicker';
import { RunPanel } from './RunPanel';
import { JobProgress, type JobAction } from './JobProgress';
import { ReviewList } from './ReviewList';
import { FindingsList } from './FindingsList';

const POLL_MS = 400;
const CREDITS_URL = 'https://openrouter.ai/settings/credits';
const isLive = (job: Job | null) => job != null && (job.state === 'running' || job.state === 'paused');

/**
 * The whole review flow for one tab: page summary, model choice, generate, review, apply,
 * undo, export. The popup and the full report page both render it.
 */
export function Workbench({ tabId, mode }: { tabId: number; mode: 'popup' | 'report' }) {
  const platform = usePlatform();
  const [summary, setSummary] = useState<PageSummary | null>(null);
  const [summaryError, setSummaryError] = useState<string | null>(null);
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [rankingError, setRankingError] = useState<string | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [modelId, setModelId] = useState<string | null>(null);
  const [inclusion, setInclusion] = useState<Inclusion>(DEFAULT_INCLUSION);
  const [job, setJob] = useState<Job | null>(null);
  const [draft, dispatch] = useReducer((s: typeof EMPTY_DRAFT, a: ReviewAction) => reviewReducer(s, a, platform.now()), EMPTY_DRAFT);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState<null | 'start' | 'apply' | 'retry' | 'refresh'>(null);
  const [highlight, setHighlight] = useState(false);
  /** Why accepted items were not written to the page at the last apply, shown beside each. */
  const [notApplied, setNotApplied] = useState<Record<string, string>>({});
  const pickerRef = useRef<HTMLDivElement>(null);
  const jobId = job?.id;

  const fail = useCallback((prefix: string) => (e: unknown) => setMessage(`${prefix}: ${errorText(e)}`), []);

  useEffect(() => {
    platform.send('getPageSummary', { tabId }).then(setSummary, (e) => setSummaryError(errorText(e)));
    isTabHighlighted(tabId).then(setHighlight, () => undefined);
    platform.send('getJob', { tabId }).then((j) => j && !isSingleImageJob(j) && setJob(j), fail('Could not read the running job'));
    Promise.all([readSettings(), platform.send('getRanking', { task: 'captioning' })]).then(
      ([{ value }, r]) => {
        setSettings(value);
        setRanking(r);
        setModelId(resolveModel(r, value.modelId)?.id ?? null);
      },
      (e) => setRankingError(errorText(e)),
    );
  }, [platform, tabId, fail]);

  // A running job is polled until it settles; reopening the popup picks it up again above.
  useEffect(() => {
    if (!isLive(job)) return;
    const timer = setTimeout(() => {
      platform.send('getJob', { id: job!.id }).then(
        (next) => next && setJob((cur) => (cur?.id === next.id ? next : cur)),
        fail('Lost track of the job'),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job, platform, fail]);

  // Edits live per job in session storage, so nothing typed is lost when the popup closes.
  useEffect(() => {
    if (!jobId) return;
    let stale = false;
    readReviewDrafts().then((drafts) => !stale && dispatch({ type: 'load', draft: drafts[jobId] ?? EMPTY_DRAFT }));
    return () => {
      stale = true;
    };
  }, [jobId]);
  useEffect(() => {
    if (!jobId || draft.updatedAt === 0) return;
    readReviewDrafts().then((drafts) => reviewDraftsItem.setValue(withDraft(drafts, jobId, draft)));
  }, [jobId, draft]);

  // The review shows each image as it was found; a recount after apply only updates the summary.
  const [found, setFound] = useState<Finding[]>([]);
  useEffect(() => {
    if (summary?.supported) setFound((prev) => (prev.length ? prev : summary.findings));
  }, [summary]);
  const findings = useMemo(() => new Map(found.map((f) => [f.id, f])), [found]);
  const selected = useMemo(() => (summary?.supported ? includedFindings(summary.findings, inclusion) : []), [summary, inclusion]);
  const model = ranking?.models.find((m) => m.id === modelId) ?? null;
  const live = isLive(job);

  /** The counts change once alt text is applied or undone; the review itself keeps the job's view. */
  function rescan() {
    platform.send('getPageSummary', { tabId }).then(setSummary, () => undefined);
  }

  async function choose(next: RankedModel) {
    setModelId(next.id);
    // A settings value that failed validation is left as stored rather than overwritten with defaults.
    const { value, error } = await readSettings();
    if (!error) await settingsItem.setValue({ ...value, modelId: next.id });
  }

  async function generate() {
    if (!summary?.supported || !model) return;
    setBusy('start');
    setMessage('');
    try {
      // The scan leaves out what only the captioner needs; fetch it for just these images. Images
      // whose frame has gone keep the scan's context and are described from the picture alone.
      const { details } = await platform.send('getFindingDetails', { tabId, ids: selected.map((f) => f.id) });
      const started = await platform.send('startJob', {
        tabId,
        pageUrl: summary.url,
        modelId: model.id,
        items: toJobItems(withDetails(selected, details)),
        options: { language: settings?.language || undefined, length: settings?.length },
      });
      setJob(started);
    } catch (e) {
      setMessage(`Could not start: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function retry(item: JobItem, regenerate: boolean) {
    if (!job) return;
    setBusy('retry');
    try {
      const next = await platform.send('retryItem', { jobId: job.id, itemId: item.id, regenerate });
      if (regenerate) dispatch({ type: 'forget', id: item.id });
      setJob(next);
    } catch (e) {
      setMessage(`Could not ${regenerate ? 'regenerate' : 'retry'}: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function apply() {
    if (!job) return;
    const plan = applyPlan(job, draft, settings?.markAiGenerated ?? false, (id) => findings.get(id)?.kind);
    const blank = plan.blank.length ? ` ${images(plan.blank.length)} with an empty text box left out.` : '';
    const refused = plan.refused.length ? ` ${images(plan.refused.length)} judged decorative left out: ${plan.refused.length === 1 ? 'it needs' : 'they need'} a description.` : '';
    const notes = Object.fromEntries(plan.refused.map((r) => [r.id, r.reason]));
    setNotApplied(notes);
    if (plan.items.length === 0) {
      setMessage(`Nothing to apply: every suggestion is rejected, failed or empty.${blank}${refused}`);
      return;
    }
    setBusy('apply');
    try {
      const result = await platform.send('applyToTab', { tabId, items: plan.items });
      const skipped = result.skipped.length
        ? ` ${result.skipped.length} skipped: ${result.skipped.map((s) => s.reason).filter((r, i, all) => all.indexOf(r) === i).join('; ')}.`
        : '';
      setNotApplied({ ...notes, ...Object.fromEntries(result.skipped.map((s) => [s.id, s.reason])) });
      setMessage(`Applied alt text to ${images(result.applied.length)} on the page.${skipped}${blank}${refused}`);
      rescan();
    } catch (e) {
      setMessage(`Could not apply: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function undo() {
    try {
      const { restored } = await platform.send('undoTab', { tabId });
      setMessage(restored ? `Undone: ${images(restored)} restored as they were.` : 'Nothing to undo on this page.');
      rescan();
    } catch (e) {
      setMessage(`Could not undo: ${errorText(e)}`);
    }
  }

  function exportAs(kind: 'csv' | 'json') {
    if (!job) return;
    const rows = reportRows(job, found, draft);
    const text = kind === 'csv' ? toCsv(rows) : toJson(rows, job, new Date(platform.now()));
    platform.download(exportFileName(job.pageUrl, kind, new Date(platform.now())), kind === 'csv' ? 'text/csv' : 'application/json', text);
    setMessage(`Exported ${rows.length} ${rows.length === 1 ? 'row' : 'rows'} as ${kind.toUpperCase()}.`);
  }

  async function toggleHighlight() {
    const on = !highlight;
    try {
      const { shown } = await platform.send('highlightTab', { tabId, on });
      setHighlight(on);
      setMessage(on ? `Highlighted ${images(shown)} on the page.` : 'Highlights removed.');
    } catch (e) {
      setMessage(`Could not highlight: ${errorText(e)}`);
    }
  }

  /** `label` is how the list names the image ("Image 3", "Finding 7"). */
  async function reveal(id: string, label: string) {
    try {
      const { found } = await platform.send('revealInTab', { tabId, id });
      setMessage(found ? `${label} is shown on the page.` : `${label} is no longer on the page; reopen AltScout to scan again.`);
    } catch (e) {
      setMessage(`Could not show ${label.toLowerCase()}: ${errorText(e)}`);
    }
  }

  async function refresh() {
    setBusy('refresh');
    try {
      const next = await platform.send('refreshCatalog', {});
      setRanking(next);
      if (!next.models.some((m) => m.id === modelId)) setModelId(resolveModel(next, modelId)?.id ?? null);
    } catch (e) {
      setMessage(`Could not refresh the model list: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  function onJobAction(action: JobAction) {
    if (action === 'top-up') void platform.openTab(CREDITS_URL);
    else if (action === 'open-options' || action === 'raise-budget') void platform.openOptions();
    else if (action === 'pick-model') void pickNextModel();
    else void generate();
  }

  async function pickNextModel() {
    const next = ranking && job ? nextInTier(ranking, job.modelId) : null;
    if (!next) {
      pickerRef.current?.querySelector<HTMLInputElement>('input[type=radio]:not(:disabled)')?.focus();
      return;
    }
    await choose(next.model);
    const where = next.tier ? `the next model in the ${TIER_LABELS[next.tier]} tier` : 'the recommended model';
    setMessage(`Switched to ${next.model.name}, ${where}. Choose "Generate alt text" to continue.`);
  }

  async function copy(text: string) {
    try {
      await platform.copy(text);
      setMessage('Copied.');
    } catch (e) {
      setMessage(`Could not copy: ${errorText(e)}`);
    }
  }

  const supported = summary?.supported === true;
  // A finished job for what the tab showed before (it has since navigated) is not this page's review.
  const shown = job && summary?.supported && !live && job.pageUrl !== summary.url ? null : job;
  return (
    <main className={mode === 'popup' ? 'popup' : 'report'}>
      <header className="top">
        <h1>AltScout</h1>
        {mode === 'popup' && (
          <button type="button" className="link" onClick={() => void platform.openOptions()}>
            Settings
          </button>
        )}
      </header>
      {mode === 'report' && summary?.supported && (
        <p className="muted page-line">
          {summary.title ? `${summary.title} — ` : ''}
          {summary.url}
        </p>
      )}
      <PageSummaryView summary={summary} error={summaryError} />
      {summary?.supported && (
        <div className="row summary-row">
          <StatusCounts counts={summary.counts} />
          {/* The name says what a press does; a changing name and aria-pressed together would contradict. */}
          <button type="button" onClick={toggleHighlight}>
            {highlight ? 'Hide highlights' : 'Highlight on page'}
          </button>
        </div>
      )}
      {mode === 'popup' && summary?.supported && <FindingsList findings={summary.findings} onReveal={reveal} compact />}

      {/* While a job runs its progress takes the place of the choices, so Cancel stays in view. */}
      {supported && !live && (
        <div ref={pickerRef}>
          {ranking ? (
            <ModelPicker
              ranking={ranking}
              chosenId={modelId}
              onChoose={choose}
              onRefresh={refresh}
              refreshing={busy === 'refresh'}
              now={platform.now()}
            />
          ) : (
            <p className={rankingError ? 'error' : 'muted'}>
              {rankingError ? `Could not load the model list: ${rankingError}` : 'Loading models…'}
            </p>
          )}
        </div>
      )}

      {summary?.supported && !live && (
        <RunPanel
          counts={summary.counts}
          inclusion={inclusion}
          onInclusion={setInclusion}
          count={selected.length}
          model={model}
          starting={busy === 'start'}
          onGenerate={generate}
        />
      )}

      {shown && (
        <>
          <JobProgress
            job={shown}
            now={platform.now()}
            onCancel={() => platform.send('cancelJob', { id: shown.id }).then(setJob, fail('Could not cancel'))}
            onAction={onJobAction}
          />
          <h2>Review</h2>
          <ReviewList job={shown} findings={findings} draft={draft} dispatch={dispatch} onCopy={copy} onRetry={retry} onReveal={reveal} notApplied={notApplied} busy={busy != null} />
          <div className="actions">
            <div className="row">
              <button type="button" className="primary" onClick={apply} disabled={busy === 'apply'}>
                Apply to page
              </button>
              <button type="button" onClick={undo}>
                Undo
              </button>
              <button type="button" onClick={() => exportAs('csv')}>
                Export CSV
              </button>
              <button type="button" onClick={() => exportAs('json')}>
                Export JSON
              </button>
            </div>
            {mode === 'popup' && (
              <button type="button" className="link" onClick={() => void platform.openTab(`/report.html?tab=${tabId}`)}>
                Open full report
              </button>
            )}
          </div>
        </>
      )}
      {/* Always in the page: screen readers only announce changes to a live region that already exists. */}
      <p role="status" aria-label="Last action" className="message">
        {message}
      </p>
      {mode === 'report' && summary?.supported && <FindingsList findings={summary.findings} onReveal={reveal} />}
    </main>
  );
}
