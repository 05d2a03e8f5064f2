import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RankedModel } from '@/lib/ranking/schema';
import { TIER_LABELS } from '@/lib/ranking/schema';
import { nextInTier } from '@/lib/ui/models';
import { siteLabel, siteOf } from '@/lib/settings/site-model';
import { shortName } from '@/lib/ui/cost';
import { pageSupport } from '@/lib/page/support';
import { DEFAULT_INCLUSION, includedFindings, type Inclusion } from '@/lib/ui/selection';
import { isLive } from '@/lib/ui/follow-job';
import { exportFileName, reportRows, toCsv, toJson } from '@/lib/ui/export';
import { errorText, usePlatform } from './api';
import { originsForPage } from './host-access';
import { useAccessRequest } from './hooks/useAccessRequest';
import { useJob } from './hooks/useJob';
import { useComparisonJobIds } from './hooks/useComparison';
import { useJobActions } from './hooks/useJobActions';
import { useModelChoice } from './hooks/useModelChoice';
import { usePageActions } from './hooks/usePageActions';
import { usePageScan } from './hooks/usePageScan';
import { useReviewDraft } from './hooks/useReviewDraft';
import { HostAccessPrompt } from './HostAccessPrompt';
import { PageSummaryView } from './PageSummaryView';
import { StatusCounts } from './StatusCounts';
import { ModelPicker } from './ModelPicker';
import { RunPanel } from './RunPanel';
import { JobProgress, type JobAction } from './JobProgress';
import { ReviewList } from './ReviewList';
import { FindingsList } from './FindingsList';

const CREDITS_URL = 'https://openrouter.ai/settings/credits';

/**
 * The whole review flow for one tab: page summary, model choice, generate, review, apply,
 * undo, export. The popup and the full report page both render it; each concern is a hook in
 * `components/hooks/`, and this component only lays them out.
 */
export function Workbench({ tabId, mode }: { tabId: number; mode: 'popup' | 'report' }) {
  const platform = usePlatform();
  const [message, say] = useState('');
  const [inclusion, setInclusion] = useState<Inclusion>(DEFAULT_INCLUSION);
  const scan = usePageScan(tabId);
  const site = siteOf(scan.summary?.supported ? scan.summary.url : null);
  const models = useModelChoice('captioning', site);
  // A comparison's jobs belong to compare.html, not to this tab's review.
  const comparisonJobs = useComparisonJobIds();
  const { job, answered } = useJob({ tabId, except: comparisonJobs });
  const { draft, dispatch } = useReviewDraft(job?.id);
  const access = useAccessRequest(say);
  const { summary } = scan;
  const supported = summary?.supported === true;
  const selected = useMemo(() => (summary?.supported ? includedFindings(summary.findings, inclusion) : []), [summary, inclusion]);
  const jobs = useJobActions({ tabId, pageUrl: supported ? summary.url : null, selected, model: models.model, job, answered, dispatch, access, say });
  const { markChanged } = scan;
  const onPageChanged = useCallback(() => {
    markChanged();
    say('The page changed since AltScout scanned it, so nothing was changed on it. Choose "Scan again" to continue.');
  }, [markChanged]);
  const page = usePageActions({ tabId, job, draft, found: scan.found, page: supported ? summary.page : undefined, say, onPageChanged, recount: scan.recount });
  const scanAgainRef = useRef<HTMLButtonElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);

  // The page moved on: the next thing to do is scan again, so the keyboard goes there.
  useEffect(() => {
    if (scan.changed) scanAgainRef.current?.focus();
  }, [scan.changed]);

  // A page extensions may read but AltScout could not (no access to its site yet): ask, then scan.
  const unreadUrl = summary && !summary.supported && pageSupport(summary.url).supported ? summary.url : null;
  const { ensure } = access;
  const { scanAgain: rescan } = scan;
  useEffect(() => {
    if (unreadUrl) void ensure(originsForPage(unreadUrl), 'to read this page', () => void rescan());
  }, [unreadUrl, ensure, rescan]);

  async function scanAgain() {
    const next = await scan.scanAgain();
    // The button is gone: the summary, which now says what the new scan found, takes the focus.
    summaryRef.current?.focus();
    say(next ? 'Scanned the page again.' : 'Could not scan the page again.');
  }

  async function choose(next: RankedModel) {
    try {
      await models.choose(next);
    } catch (e) {
      say(`${next.name} is used for this page but not remembered. ${errorText(e)}`);
    }
  }

  async function refresh() {
    try {
      await models.refresh();
    } catch (e) {
      say(`Could not refresh the model list: ${errorText(e)}`);
    }
  }

  /** Remembers the model in use for this site only, or forgets the site's own model. */
  async function toggleSiteModel() {
    if (!site || !models.model) return;
    const where = siteLabel(site);
    try {
      if (models.scope === 'site') {
        await models.forgetSite();
        say(`Forgot the model for ${where}: your default model applies here again.`);
      } else {
        await models.rememberForSite(models.model);
        say(`${shortName(models.model.name)} is now the model for ${where}; your default model stays as it is elsewhere.`);
      }
    } catch (e) {
      say(`Not saved: ${errorText(e)}`);
    }
  }

  const pickerRef = useRef<HTMLDivElement>(null);
  async function pickNextModel() {
    const next = models.ranking && job ? nextInTier(models.ranking, job.modelId) : null;
    if (!next) {
      pickerRef.current?.querySelector<HTMLInputElement>('input[type=radio]:not(:disabled)')?.focus();
      return;
    }
    await choose(next.model);
    const where = next.tier ? `the next model in the ${TIER_LABELS[next.tier]} tier` : 'the recommended model';
    say(`Switched to ${next.model.name}, ${where}. Choose "Generate alt text" to continue.`);
  }

  function onJobAction(action: JobAction) {
    if (action === 'top-up') void platform.openTab(CREDITS_URL);
    else if (action === 'open-options' || action === 'raise-budget') void platform.openOptions();
    else if (action === 'pick-model') void pickNextModel();
    else void jobs.generate();
  }

  function exportAs(kind: 'csv' | 'json') {
    if (!job) return;
    const rows = reportRows(job, [...scan.found.values()], draft);
    const text = kind === 'csv' ? toCsv(rows) : toJson(rows, job, new Date(platform.now()));
    platform.download(exportFileName(job.pageUrl, kind, new Date(platform.now())), kind === 'csv' ? 'text/csv' : 'application/json', text);
    say(`Exported ${rows.length} ${rows.length === 1 ? 'row' : 'rows'} as ${kind.toUpperCase()}.`);
  }

  async function copy(text: string) {
    try {
      await platform.copy(text);
      say('Copied.');
    } catch (e) {
      say(`Could not copy: ${errorText(e)}`);
    }
  }

  const live = job != null && isLive(job);
  // A finished job for what the tab showed before (it has since navigated) is not this page's review.
  const shown = job && summary?.supported && !live && job.pageUrl !== summary.url ? null : job;
  return (
    <main className={mode === 'popup' ? 'popup' : 'report'}>
      <header className="top">
        <h1>AltScout</h1>
        {mode === 'popup' && (
          <div className="row">
            {supported && (
              <button type="button" className="link" onClick={() => void platform.openTab(`/compare.html?tab=${tabId}`)}>
                Compare models
              </button>
            )}
            <button type="button" className="link" onClick={() => void platform.openOptions()}>
              Settings
            </button>
          </div>
        )}
      </header>
      {mode === 'report' && summary?.supported && (
        <p className="muted page-line">
          {summary.title ? `${summary.title} — ` : ''}
          {summary.url}
        </p>
      )}
      <PageSummaryView ref={summaryRef} summary={summary} error={scan.error} />
      {scan.changed && (
        <div className="notice row">
          <p>The page changed since it was scanned.</p>
          <button ref={scanAgainRef} type="button" onClick={() => void scanAgain()}>
            Scan again
          </button>
        </div>
      )}
      {summary?.supported && (
        <div className="row summary-row">
          <StatusCounts counts={summary.counts} />
          {/* The name says what a press does; a changing name and aria-pressed together would contradict. */}
          <button type="button" onClick={() => void page.toggleHighlight()}>
            {page.highlighted ? 'Hide highlights' : 'Highlight on page'}
          </button>
        </div>
      )}
      {mode === 'popup' && summary?.supported && <FindingsList findings={summary.findings} onReveal={page.reveal} compact />}

      {access.need && <HostAccessPrompt need={access.need} onChoose={access.grant} onCancel={access.dismiss} />}

      {/* While a job runs its progress takes the place of the choices, so Cancel stays in view. */}
      {supported && !live && !access.need && (
        <>
          <div ref={pickerRef}>
            {models.ranking ? (
              <ModelPicker
                ranking={models.ranking}
                chosenId={models.model?.id ?? null}
                onChoose={choose}
                onRefresh={refresh}
                refreshing={models.refreshing}
                now={platform.now()}
                legend={site && models.scope === 'site' ? `Model for ${siteLabel(site)}` : 'Your default model'}
                actions={
                  site && models.model ? (
                    <button type="button" className="link" onClick={() => void toggleSiteModel()}>
                      {models.scope === 'site' ? `Forget for ${siteLabel(site)}` : `Remember for ${siteLabel(site)}`}
                    </button>
                  ) : null
                }
              />
            ) : (
              <p className={models.loadError ? 'error' : 'muted'}>
                {models.loadError ? `Could not load the model list: ${models.loadError}` : 'Loading models…'}
              </p>
            )}
          </div>
          <RunPanel
            counts={summary.counts}
            inclusion={inclusion}
            onInclusion={setInclusion}
            count={selected.length}
            model={models.model}
            starting={jobs.busy === 'start'}
            onGenerate={() => void jobs.generate()}
          />
        </>
      )}

      {shown && (
        <>
          <JobProgress job={shown} now={platform.now()} onCancel={() => void jobs.cancel()} onAction={onJobAction} />
          <h2>Review</h2>
          <ReviewList
            job={shown}
            findings={scan.found}
            draft={draft}
            dispatch={dispatch}
            onCopy={copy}
            onRetry={jobs.retry}
            onReveal={page.reveal}
            notApplied={page.notApplied}
            busy={jobs.busy != null || page.applying}
          />
          <div className="actions">
            <div className="row">
              <button type="button" className="primary" onClick={() => void page.apply()} disabled={page.applying}>
                Apply to page
              </button>
              <button type="button" onClick={() => void page.undo()}>
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
      {mode === 'report' && summary?.supported && <FindingsList findings={summary.findings} onReveal={page.reveal} />}
    </main>
  );
}
