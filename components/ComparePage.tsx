import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { RankedModel } from '@/lib/ranking/schema';
import type { Finding, FindingDetails } from '@/lib/scan/schema';
import type { Comparison } from '@/lib/compare/schema';
import { chooseComparisonImages, comparableCount, DEFAULT_COMPARISON_IMAGES } from '@/lib/compare/images';
import {
  comparedText, comparisonChoices, comparisonCostSentence, comparisonWinner, costAndLatency, measuredUsdPer1k, summaryLines,
} from '@/lib/compare/summary';
import { siteLabel, siteOf } from '@/lib/settings/site-model';
import { changeComparisons } from '@/lib/storage';
import { isLive } from '@/lib/ui/follow-job';
import { shortName } from '@/lib/ui/cost';
import { pricePer1k } from '@/lib/ui/format';
import { qualityFigure, sourceLabel, tierChoices } from '@/lib/ui/models';
import { errorText, usePlatform } from './api';
import { originsForImages, originsForPage } from './host-access';
import { useAccessRequest } from './hooks/useAccessRequest';
import { useComparison, useJobs } from './hooks/useComparison';
import { useModelChoice } from './hooks/useModelChoice';
import { usePageScan } from './hooks/usePageScan';
import { HostAccessPrompt } from './HostAccessPrompt';

/**
 * compare.html?tab=ID: the same images of the tab's page described by several models side by
 * side, the user's pick for each image, and what the picks say. Each model's descriptions are an
 * ordinary job (contract 2's startJob: queue, cache, budget); the comparison record only ties them
 * together, so closing this tab and opening it again picks up where it was.
 */
export function ComparePage({ tabId }: { tabId: number }) {
  const [message, say] = useState('');
  const scan = usePageScan(tabId);
  const summary = scan.summary;
  const site = siteOf(summary?.supported ? summary.url : null);
  const models = useModelChoice('captioning', site);
  const comparison = useComparison(tabId);
  const [setup, setSetup] = useState(false);
  const access = useAccessRequest(say);
  const showSetup = setup || comparison === null;

  return (
    <main className="compare">
      <h1>Compare models on your images</h1>
      {summary?.supported && <p className="muted page-line">{summary.title ? `${summary.title} — ` : ''}{summary.url}</p>}
      {scan.error && <p className="error">{scan.error}</p>}
      {summary && !summary.supported && <p className="error">{summary.reason}</p>}
      {access.need && <HostAccessPrompt need={access.need} onChoose={access.grant} onCancel={access.dismiss} />}
      {comparison === undefined ? (
        <p className="muted">Loading…</p>
      ) : showSetup ? (
        summary?.supported && models.ranking ? (
          <CompareSetup
            tabId={tabId}
            pageUrl={summary.url}
            findings={summary.findings}
            ranking={models.ranking.models}
            picks={tierChoices(models.ranking).flatMap((c) => (c.model ? [c.model] : []))}
            ensureAccess={access.ensure}
            say={say}
            onStarted={() => setSetup(false)}
          />
        ) : (
          <p className={models.loadError ? 'error' : 'muted'}>{models.loadError ? `Could not load the model list: ${models.loadError}` : 'Checking this page…'}</p>
        )
      ) : (
        comparison && (
          <CompareResults
            key={comparison.id}
            comparison={comparison}
            ranked={models.ranking?.models ?? []}
            site={site}
            rememberForSite={models.rememberForSite}
            say={say}
            onNew={() => setSetup(true)}
          />
        )
      )}
      <p role="status" aria-label="Last action" className="message">
        {message}
      </p>
    </main>
  );
}

interface SetupProps {
  tabId: number;
  pageUrl: string;
  findings: Finding[];
  ranking: RankedModel[];
  picks: RankedModel[];
  ensureAccess(origins: string[], purpose: string, then: () => void): Promise<boolean>;
  say(message: string): void;
  onStarted(): void;
}

/** Which models, how many images, what it will cost; then "Run comparison". */
function CompareSetup({ tabId, pageUrl, findings, ranking, picks, ensureAccess, say, onStarted }: SetupProps) {
  const platform = usePlatform();
  const id = useId();
  const [listed, setListed] = useState<string[]>(() => [...new Set(picks.map((m) => m.id))]);
  const [ticked, setTicked] = useState<Set<string>>(() => new Set(picks.map((m) => m.id)));
  const [query, setQuery] = useState('');
  const available = comparableCount(findings);
  // What the user typed; the number used is that, when it is a whole number from 1 to what the page has.
  const [countText, setCountText] = useState(String(DEFAULT_COMPARISON_IMAGES));
  const typed = Number(countText);
  const countOk = countText.trim() !== '' && Number.isInteger(typed) && typed >= 1;
  const count = countOk ? Math.min(typed, available) : 0;
  const [details, setDetails] = useState<Map<string, FindingDetails>>(new Map());
  const [starting, setStarting] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);

  // Sizes and contexts make the choice varied; the scan leaves them out, so they are asked for once.
  useEffect(() => {
    let live = true;
    const ids = findings.filter((f) => f.status !== 'ignored').slice(0, 200).map((f) => f.id);
    if (ids.length === 0) return;
    platform.send('getFindingDetails', { tabId, ids }).then(
      (r) => live && setDetails(new Map(r.details.map((d) => [d.id, d]))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [platform, tabId, findings]);

  const byId = useMemo(() => new Map(ranking.map((m) => [m.id, m])), [ranking]);
  const chosenModels = listed.filter((m) => ticked.has(m)).map((m) => byId.get(m)).filter((m): m is RankedModel => m != null);
  const imageIds = useMemo(() => chooseComparisonImages(findings, count, details), [findings, count, details]);
  const findingById = useMemo(() => new Map(findings.map((f) => [f.id, f])), [findings]);
  const matches = query.trim()
    ? ranking.filter((m) => !listed.includes(m.id) && `${m.name} ${m.id}`.toLowerCase().includes(query.trim().toLowerCase())).slice(0, 8)
    : [];
  const problem =
    available === 0
      ? 'This page has no images to compare on.'
      : !countOk
        ? `Enter a number of images from 1 to ${available}.`
        : chosenModels.length < 2
          ? 'Tick at least two models.'
          : null;

  function add(model: RankedModel) {
    setListed((l) => [...l, model.id]);
    setTicked((t) => new Set(t).add(model.id));
    setQuery('');
    say(`${shortName(model.name)} added to the comparison.`);
    // The added model's checkbox is the next thing to look at.
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLInputElement>(`input[value="${CSS.escape(model.id)}"]`)?.focus());
  }

  async function start() {
    const chosen = imageIds.map((i) => findingById.get(i)!).filter(Boolean);
    setStarting(true);
    say('');
    try {
      const started = await Promise.allSettled(chosenModels.map((m) => platform.send('startJob', { tabId, modelId: m.id, target: { kind: 'findings', ids: imageIds } })));
      const jobs: Record<string, string> = {};
      const failed: Record<string, string> = {};
      started.forEach((r, i) => {
        if (r.status === 'fulfilled') jobs[chosenModels[i].id] = r.value.id;
        else failed[chosenModels[i].id] = errorText(r.reason).slice(0, 1000);
      });
      if (Object.keys(jobs).length === 0) {
        say(`Could not start: ${Object.values(failed)[0] ?? 'no model answered'}`);
        return;
      }
      const run: Comparison = {
        id: crypto.randomUUID(),
        tabId,
        pageUrl,
        createdAt: platform.now(),
        images: chosen.map((f) => ({ id: f.id, src: f.src && f.src.length <= 4096 ? f.src : null })),
        models: chosenModels.map((m) => ({ id: m.id, name: shortName(m.name) })),
        jobs,
        failed,
        choices: {},
        savedAt: null,
      };
      await changeComparisons((runs) => [...runs, run]);
      onStarted();
      say(`Comparison started: ${chosen.length} ${chosen.length === 1 ? 'image' : 'images'} with ${Object.keys(jobs).length} models.`);
    } catch (e) {
      say(`Could not start: ${errorText(e)}`);
    } finally {
      setStarting(false);
    }
  }

  async function run() {
    if (problem) return;
    const srcs = imageIds.map((i) => findingById.get(i)?.src ?? null);
    const origins = [...new Set([...originsForPage(pageUrl), ...originsForImages(srcs)])];
    const go = () => void start();
    if (await ensureAccess(origins, 'to describe the chosen images', go)) go();
  }

  return (
    <section className="compare-setup" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Set up</h2>
      <fieldset className="compare-models">
        <legend>Models to compare</legend>
        <div ref={listRef}>
          {listed.map((modelId) => {
            const m = byId.get(modelId);
            if (!m) return null;
            return (
              <div key={m.id} className="check compare-model">
                <input
                  id={`${id}-${m.id}`}
                  type="checkbox"
                  value={m.id}
                  checked={ticked.has(m.id)}
                  aria-describedby={`${id}-${m.id}-meta`}
                  onChange={(e) => setTicked((t) => {
                    const next = new Set(t);
                    if (e.target.checked) next.add(m.id);
                    else next.delete(m.id);
                    return next;
                  })}
                />{' '}
                <label htmlFor={`${id}-${m.id}`}>{shortName(m.name)}</label>{' '}
                <span id={`${id}-${m.id}-meta`} className="muted small">
                  {m.quality == null ? 'unrated' : `${qualityFigure(m)} (${sourceLabel(m)})`} · {pricePer1k(m)}
                </span>
              </div>
            );
          })}
        </div>
        <div className="compare-add">
          <label htmlFor={`${id}-find`}>Add a model</label>{' '}
          <input
            id={`${id}-find`}
            type="search"
            value={query}
            placeholder="Search by name"
            aria-describedby={`${id}-found`}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && matches[0]) {
                e.preventDefault();
                add(matches[0]);
              }
            }}
          />
          <p id={`${id}-found`} className="muted small" aria-live="polite">
            {query.trim() ? (matches.length ? `${matches.length} ${matches.length === 1 ? 'match' : 'matches'}; Enter adds the first.` : 'No model matches.') : `Any of the ${ranking.length} models can be added.`}
          </p>
          {matches.length > 0 && (
            <ul className="compare-matches">
              {matches.map((m) => (
                <li key={m.id}>
                  <button type="button" className="link" onClick={() => add(m)}>
                    Add {shortName(m.name)}
                  </button>{' '}
                  <span className="muted small">{pricePer1k(m)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </fieldset>
      <p className="compare-count">
        <label htmlFor={`${id}-n`}>Number of images</label>{' '}
        <input
          id={`${id}-n`}
          type="number"
          min={available ? 1 : 0}
          max={available}
          step={1}
          value={countText}
          aria-invalid={!countOk}
          aria-describedby={`${id}-n-hint`}
          onChange={(e) => setCountText(e.target.value)}
        />{' '}
        <span id={`${id}-n-hint`} className="muted small">
          {available} on this page{countOk && typed > available ? `, so ${available}` : ''}; images missing alt first, then as different in size and setting as the page allows
        </span>
      </p>
      {imageIds.length > 0 && (
        <ul className="compare-preview" aria-label="Images to compare">
          {imageIds.map((imageId, i) => {
            const src = findingById.get(imageId)?.src;
            return (
              <li key={imageId}>
                {src ? <img src={src} alt={`Image ${i + 1}`} width={64} height={64} referrerPolicy="no-referrer" /> : <span className="thumb thumb-none">Image {i + 1}</span>}
              </li>
            );
          })}
        </ul>
      )}
      <p className="cost" id={`${id}-cost`}>
        {problem ?? comparisonCostSentence(chosenModels.map((m) => ({ ...m, name: shortName(m.name) })), imageIds.length)}
      </p>
      <button type="button" className="primary" aria-describedby={`${id}-cost`} disabled={problem != null || starting} onClick={() => void run()}>
        {starting ? 'Starting…' : 'Run comparison'}
      </button>
    </section>
  );
}

interface ResultsProps {
  comparison: Comparison;
  ranked: RankedModel[];
  site: string | null;
  rememberForSite(model: RankedModel): Promise<void>;
  say(message: string): void;
  onNew(): void;
}

/** Each image with every model's text, cost and latency side by side, a pick per image, and the summary. */
function CompareResults({ comparison, ranked, site, rememberForSite, say, onNew }: ResultsProps) {
  const platform = usePlatform();
  const id = useId();
  const jobIds = Object.values(comparison.jobs);
  const jobs = useJobs(jobIds);
  const jobOf = (modelId: string) => {
    const jobId = comparison.jobs[modelId];
    return jobId ? jobs.get(jobId) ?? null : null;
  };
  const [saving, setSaving] = useState(false);
  // A choice shows at once; the stored record (the source of truth) follows through its watch.
  const [picked, setPicked] = useState<Record<string, string>>({});
  const chosen = { ...comparison.choices, ...picked };
  const summaryRef = useRef<HTMLHeadingElement>(null);
  const rankedById = new Map(ranked.map((m) => [m.id, m]));

  const all = comparison.models.map((m) => jobOf(m.id));
  const running = all.some((j) => j != null && isLive(j));
  const total = comparison.images.length * jobIds.length;
  const done = all.reduce((n, j) => n + (j ? j.items.filter((i) => !['queued', 'running'].includes(i.state)).length : 0), 0);
  const answered = Object.keys(chosen).length;
  const choices = comparisonChoices({ ...comparison, choices: chosen });
  const lines = comparison.savedAt != null ? summaryLines(choices, comparison.models, (m) => measuredUsdPer1k(jobOf(m), rankedById.get(m))) : [];
  const winnerId = comparisonWinner(lines);
  const winner = winnerId ? comparison.models.find((m) => m.id === winnerId) : undefined;

  async function choose(imageId: string, best: string) {
    setPicked((p) => ({ ...p, [imageId]: best }));
    try {
      // Kept as they are made, so a closed tab keeps them; saved as votes by "Save choices".
      await changeComparisons((runs) => runs.map((r) => (r.id === comparison.id ? { ...r, choices: { ...r.choices, [imageId]: best } } : r)));
    } catch (e) {
      setPicked(({ [imageId]: _dropped, ...rest }) => rest);
      say(`Could not keep that choice: ${errorText(e)}`);
    }
  }

  async function save() {
    const answeredChoices = choices.filter((c) => c.best != null);
    if (answeredChoices.length === 0) return;
    setSaving(true);
    try {
      const result = await platform.send('updateEvidence', { kind: 'comparison', choices: answeredChoices });
      if (result.error) {
        say(`Choices not saved: ${result.error}`);
        return;
      }
      await changeComparisons((runs) => runs.map((r) => (r.id === comparison.id ? { ...r, savedAt: platform.now() } : r)));
      say(`Saved your choices for ${answeredChoices.length} ${answeredChoices.length === 1 ? 'image' : 'images'}: the ranking now counts them.`);
      requestAnimationFrame(() => summaryRef.current?.focus());
    } catch (e) {
      say(`Choices not saved: ${errorText(e)}`);
    } finally {
      setSaving(false);
    }
  }

  async function applyWinner() {
    const model = winner && rankedById.get(winner.id);
    if (!site || !winner || !model) return;
    try {
      await rememberForSite(model);
      say(`${winner.name} is now the model for ${siteLabel(site)}.`);
    } catch (e) {
      say(`Not saved: ${errorText(e)}`);
    }
  }

  async function cancel() {
    for (const job of all) if (job && isLive(job)) await platform.send('cancelJob', { id: job.id }).catch(() => undefined);
  }

  return (
    <section className="compare-results" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Results</h2>
      <p role="status" aria-label="Comparison status" className="muted">
        {running ? `Describing: ${done} of ${total} descriptions ready.` : `${done} of ${total} descriptions ready. Choose the best description for each image, then save your choices.`}
      </p>
      {Object.entries(comparison.failed).map(([modelId, why]) => (
        <p key={modelId} className="error">
          {comparison.models.find((m) => m.id === modelId)?.name ?? modelId} did not start: {why}
        </p>
      ))}
      <div className="row">
        {running && (
          <button type="button" onClick={() => void cancel()}>
            Cancel comparison
          </button>
        )}
        <button type="button" onClick={onNew}>
          New comparison
        </button>
      </div>
      <ol className="compare-images">
        {comparison.images.map((image, index) => {
          const n = index + 1;
          const texts = comparison.models.map((m) => ({ model: m, text: comparedText(m.id, jobOf(m.id), image.id) }));
          const group = `${id}-img-${index}`;
          return (
            <li key={image.id} className="compare-image">
              <h3>Image {n}</h3>
              {image.src ? (
                <img className="compare-thumb" src={image.src} alt="" width={160} height={120} referrerPolicy="no-referrer" />
              ) : (
                <span className="thumb thumb-none" aria-hidden="true">SVG</span>
              )}
              <fieldset className="compare-choice">
                <legend>Best description for image {n}</legend>
                <div className="compare-texts">
                  {texts.map(({ model, text }) => {
                    const textId = `${group}-${model.id}`;
                    return (
                      <div key={model.id} className="compare-text" data-chosen={chosen[image.id] === model.id}>
                        <label className="check">
                          <input
                            type="radio"
                            name={group}
                            value={model.id}
                            checked={chosen[image.id] === model.id}
                            disabled={text.state !== 'done'}
                            aria-describedby={textId}
                            onChange={() => void choose(image.id, model.id)}
                          />{' '}
                          <strong>{model.name}</strong>
                        </label>
                        <p id={textId} className="compare-alt">
                          {text.state === 'done'
                            ? text.decorative || text.text === ''
                              ? '(judged decorative: alt="")'
                              : text.text
                            : text.state === 'queued' || text.state === 'running' || text.state === 'not started'
                              ? 'Describing…'
                              : `No description: ${text.error ?? text.state}`}
                        </p>
                        <p className="muted small">{costAndLatency(text)}</p>
                      </div>
                    );
                  })}
                </div>
                <label className="check">
                  <input
                    type="radio"
                    name={group}
                    value="all"
                    checked={chosen[image.id] === 'all'}
                    onChange={() => void choose(image.id, 'all')}
                  />{' '}
                  All equally good
                </label>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="row">
        <button type="button" className="primary" disabled={answered === 0 || saving} onClick={() => void save()}>
          Save choices
        </button>
        <span className="muted small">
          {answered} of {comparison.images.length} images chosen
        </span>
      </div>
      {comparison.savedAt != null && (
        <section className="compare-summary" aria-labelledby={`${id}-sum`}>
          <h2 id={`${id}-sum`} ref={summaryRef} tabIndex={-1}>
            Summary
          </h2>
          <ul>
            {lines.map((line) => (
              <li key={line.modelId}>{line.sentence}</li>
            ))}
          </ul>
          {winner && site && rankedById.has(winner.id) && (
            <button type="button" onClick={() => void applyWinner()}>
              Use {winner.name} for {siteLabel(site)}
            </button>
          )}
        </section>
      )}
    </section>
  );
}
