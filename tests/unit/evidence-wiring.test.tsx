import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { changeEvidence, type EvidenceDeps } from '@/lib/background/evidence';
import { clearEvidence, evidenceSummaryItem, jobsItem, readEvidence, readEvidenceSummary, recordEvidence, settingsItem } from '@/lib/storage';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import { forgetSite, modelScope, rememberForSite, siteLabel, siteOf } from '@/lib/settings/site-model';
import { tierNote } from '@/lib/ui/models';
import { evidenceSentence } from '@/lib/ui/evidence';
import { EvidenceList } from '@/components/EvidenceList';
import type { Job } from '@/lib/jobs/schema';
import type { EvidenceChange } from '@/lib/evidence/schema';
import {
  FINDINGS, MODELS, RANKING, doneItem, fakePlatform, job, recordOf, renderWorkbench, storeJobs, wrap,
} from './popup-fixtures';

/** The fixture's finding ids (opaque, contract 1). */
const f = (n: number) => FINDINGS[n - 1].id;

beforeEach(() => fakeBrowser.reset());

/** The worker's side with the real storage: only the job lookup is given. */
const workerDeps = (jobs: Job[], now = () => 5_000): EvidenceDeps => ({
  job: async (id) => jobs.find((j) => j.id === id) ?? null,
  now,
  record: recordEvidence,
  clear: clearEvidence,
});

const reviewed = () => job(FINDINGS.slice(0, 4).map(doneItem), { state: 'done' });

describe('the worker records evidence (updateEvidence)', () => {
  it('works out each suggestion\'s outcome from the stored job and the draft', async () => {
    const deps = workerDeps([reviewed()]);
    const change: EvidenceChange = { kind: 'review', jobId: 'job-1', draft: { edits: { [f(2)]: 'Strawberry tart' }, rejected: [f(4)], updatedAt: 1 } };
    expect(await changeEvidence(change, deps)).toEqual({ recorded: 4 });
    const s = (await readEvidenceSummary())[MODELS.budget.id];
    expect(s).toMatchObject({ reviews: 4, acceptedUnedited: 2, edited: 1, rejected: 1 });
    // Applying the same job again replaces its judgements rather than adding to them.
    await changeEvidence({ ...change, draft: { edits: {}, rejected: [], updatedAt: 2 } }, deps);
    expect((await readEvidenceSummary())[MODELS.budget.id]).toMatchObject({ reviews: 4, acceptedUnedited: 4 });
  });

  it('counts two pages saving at once, both', async () => {
    const a = reviewed();
    const b = job(FINDINGS.slice(0, 2).map(doneItem), { id: 'job-2', modelId: MODELS.best.id, state: 'done' });
    const deps = workerDeps([a, b]);
    await Promise.all([
      changeEvidence({ kind: 'review', jobId: a.id, draft: { edits: {}, rejected: [], updatedAt: 1 } }, deps),
      changeEvidence({ kind: 'review', jobId: b.id, draft: { edits: {}, rejected: [f(1)], updatedAt: 1 } }, deps),
      changeEvidence({ kind: 'regenerated', jobId: a.id, itemId: f(1) }, deps),
    ]);
    const s = await readEvidenceSummary();
    expect(s[MODELS.budget.id]).toMatchObject({ reviews: 5, acceptedUnedited: 4, regenerated: 1 });
    expect(s[MODELS.best.id]).toMatchObject({ reviews: 2, rejected: 1 });
  });

  it('records comparison votes, refuses a job it no longer has, and clears', async () => {
    const deps = workerDeps([]);
    const choices = [{ key: 'r/1', models: ['a', 'b'], best: 'a' }, { key: 'r/2', models: ['a', 'b'], best: 'all' }, { key: 'r/3', models: ['a', 'b'], best: null }];
    expect(await changeEvidence({ kind: 'comparison', choices }, deps)).toEqual({ recorded: 4 });
    expect((await readEvidenceSummary()).a).toMatchObject({ comparisons: 2, won: 1, tied: 1 });
    expect((await readEvidenceSummary()).b).toMatchObject({ comparisons: 2, won: 0, tied: 1, lost: 1 });
    expect(await changeEvidence({ kind: 'regenerated', jobId: 'gone', itemId: 'x' }, deps)).toMatchObject({ recorded: 0, error: expect.stringContaining('no longer kept') });
    expect(await changeEvidence({ kind: 'clear' }, deps)).toEqual({ recorded: 0 });
    expect(await readEvidenceSummary()).toEqual({});
    expect((await readEvidence()).value).toEqual({});
  });
});

describe('the popup sends what the user did', () => {
  it('records the review when the suggestions are applied', async () => {
    const user = userEvent.setup();
    await storeJobs(reviewed());
    const platform = fakePlatform({
      applyToTab: ({ items }) => ({ applied: items.map((i) => i.id), skipped: [] }),
      updateEvidence: () => ({ recorded: 4 }),
    });
    renderWorkbench(platform);
    const second = await screen.findByRole('textbox', { name: 'Alt text for image 2' });
    await user.clear(second);
    await user.type(second, 'Strawberry tart');
    await user.click(within(screen.getByRole('textbox', { name: 'Alt text for image 4' }).closest('li')!).getByRole('button', { name: 'Reject' }));
    expect(platform.callsTo('updateEvidence')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Apply to page' }));
    await waitFor(() => expect(platform.callsTo('updateEvidence')).toHaveLength(1));
    expect(platform.callsTo('updateEvidence')[0]).toMatchObject({ kind: 'review', jobId: 'job-1', draft: { edits: { [f(2)]: 'Strawberry tart' }, rejected: [f(4)] } });
  });

  it('does not record a review when the page changed and nothing was applied', async () => {
    const user = userEvent.setup();
    await storeJobs(reviewed());
    const platform = fakePlatform({ applyToTab: () => ({ applied: [], skipped: [], pageChanged: true }), updateEvidence: () => ({ recorded: 0 }) });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Apply to page' }));
    await screen.findByRole('button', { name: 'Scan again' });
    expect(platform.callsTo('updateEvidence')).toEqual([]);
  });

  it('records a regeneration before the suggestion is replaced', async () => {
    const user = userEvent.setup();
    const current = reviewed();
    await storeJobs(current);
    const order: string[] = [];
    const platform = fakePlatform({
      updateEvidence: (c) => (order.push(c.kind), { recorded: 1 }),
      retryItem: async () => (order.push('retry'), current),
    });
    renderWorkbench(platform);
    const first = await screen.findByRole('textbox', { name: 'Alt text for image 1' });
    await user.click(within(first.closest('li')!).getByRole('button', { name: 'Regenerate' }));
    await waitFor(() => expect(order).toEqual(['regenerated', 'retry']));
    expect(platform.callsTo('updateEvidence')).toEqual([{ kind: 'regenerated', jobId: 'job-1', itemId: f(1) }]);
  });
});

describe('the popup says where quality comes from and which model applies', () => {
  it('names the source of every tier figure and shows your reviews once there is one', async () => {
    const evidence = { reviews: 4, acceptedUnedited: 3, edited: 1, rejected: 0, regenerated: 0, comparisons: 0, won: 0, tied: 0, weight: 0 };
    const ranking = {
      ...RANKING,
      models: RANKING.models.map((m) =>
        m.id === MODELS.best.id ? { ...m, qualitySource: 'vision benchmark' as const, evidence } : { ...m, qualitySource: m.quality == null ? ('unrated' as const) : ('general benchmark' as const) }),
    };
    renderWorkbench(fakePlatform({ getRanking: () => ranking }));
    const budget = (await screen.findByRole('radio', { name: /Budget/ })).closest('label')!.textContent!;
    // The model in use says it in the tier sentence (the figure line then keeps to the figures).
    expect(budget).toContain('quality 71 · ');
    expect(budget).toContain('quality from a general benchmark; compare on your images to check');
    const best = screen.getByRole('radio', { name: /Best quality/ }).closest('label')!.textContent!;
    expect(best).toMatch(/quality 92 · .*vision benchmark/);
    expect(best).toContain('your reviews: 3 of 4 accepted unedited');
    // The others name the source beside the figure.
    const balanced = screen.getByRole('radio', { name: /Balanced/ }).closest('label')!.textContent!;
    expect(balanced).toContain('quality 80 (general benchmark)');
    expect(balanced).not.toContain('your reviews');
  });

  it('says "Your default model" until the site gets its own, then "Model for" the site; forgetting puts the default back', async () => {
    const user = userEvent.setup();
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, modelId: MODELS.balanced.id });
    renderWorkbench(fakePlatform());
    expect(await screen.findByRole('group', { name: 'Your default model' })).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: /Best quality/ }));
    await user.click(screen.getByRole('button', { name: 'Remember for shop.example' }));
    await screen.findByRole('group', { name: 'Model for shop.example' });
    await waitFor(async () => expect((await settingsItem.getValue()).siteModels).toEqual({ 'https://shop.example': MODELS.best.id }));
    // Picking a tier now changes the site's model, not the default.
    await user.click(screen.getByRole('radio', { name: /Budget/ }));
    await waitFor(async () => expect(await settingsItem.getValue()).toMatchObject({ modelId: MODELS.best.id, siteModels: { 'https://shop.example': MODELS.budget.id } }));
    await user.click(screen.getByRole('button', { name: 'Forget for shop.example' }));
    await screen.findByRole('group', { name: 'Your default model' });
    await waitFor(async () => expect((await settingsItem.getValue()).siteModels).toEqual({}));
    expect(screen.getByRole('radio', { name: /Best quality/ })).toHaveProperty('checked', true);
  });

  it('opens the comparison for this tab from "Compare models"', async () => {
    const user = userEvent.setup();
    const platform = fakePlatform();
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Compare models' }));
    expect(platform.opened).toEqual(['/compare.html?tab=7']);
  });
});

describe('site model rules', () => {
  it('keys a site by origin, for web pages only', () => {
    expect(siteOf('https://shop.example/a?b')).toBe('https://shop.example');
    expect(siteOf('http://localhost:8080/x')).toBe('http://localhost:8080');
    expect(siteOf('file:///tmp/a.html')).toBeNull();
    expect(siteOf('chrome://extensions')).toBeNull();
    expect(siteLabel('http://localhost:8080')).toBe('localhost:8080');
  });

  it('applies the site model over the default and keeps at most 500 sites, dropping the oldest', () => {
    const settings = { modelId: 'd', siteModels: { 'https://a.example': 'x' } };
    expect(modelScope(settings, 'https://a.example')).toEqual({ modelId: 'x', scope: 'site', site: 'https://a.example' });
    expect(modelScope(settings, 'https://b.example')).toEqual({ modelId: 'd', scope: 'default', site: 'https://b.example' });
    expect(forgetSite(settings, 'https://a.example')).toEqual({ siteModels: {} });
    const full = { siteModels: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`https://s${i}.example`, 'm'])) };
    const next = rememberForSite(full, 'https://new.example', 'n').siteModels;
    expect(Object.keys(next)).toHaveLength(500);
    expect(next['https://s0.example']).toBeUndefined();
    expect(Object.keys(next).at(-1)).toBe('https://new.example');
  });
});

describe('sentences about evidence', () => {
  it('adds the review count to the tier sentence unless the sentence says it already', () => {
    const evidence = { reviews: 20, acceptedUnedited: 18, edited: 2, rejected: 0, regenerated: 0, comparisons: 5, won: 4, tied: 0, weight: 0.6 };
    expect(tierNote({ quality: 70, qualitySource: 'general benchmark', evidence: null })).toBe('quality from a general benchmark; compare on your images to check');
    expect(tierNote({ quality: 80, qualitySource: 'your reviews', evidence })).toBe('quality from your reviews: 18 of 20 accepted unedited · won 4 of 5 comparisons');
    expect(evidenceSentence('Luna', { ...evidence, editedKept: 1.5, lost: 1, rejected: 1, regenerated: 2 })).toBe(
      'Luna: 18 of 20 suggestions accepted unedited, 2 edited, 1 rejected, 2 regenerated; won 4 of 5 comparisons.',
    );
  });
});

describe('options: your reviews and comparisons', () => {
  it('lists each model in a sentence, follows new records, and clears them through the worker', async () => {
    const user = userEvent.setup();
    await recordEvidence({ modelId: MODELS.budget.id, reviews: [{ key: 'j/1', kind: 'accepted', at: 1 }, { key: 'j/2', kind: 'rejected', at: 1 }] });
    const platform = fakePlatform({
      updateEvidence: async () => ({ recorded: 0, ...(await clearEvidence()) }),
    });
    render(wrap(platform, <EvidenceList />));
    expect(await screen.findByText('Gemini 3.1 Flash Lite: 1 of 2 suggestions accepted unedited, 1 rejected.')).toBeTruthy();
    // A review recorded meanwhile (by the worker) shows without reloading.
    await recordEvidence({ modelId: 'acme/unknown', votes: [{ key: 'r/1', kind: 'best', at: 2 }] });
    expect(await screen.findByText('acme/unknown: won 1 of 1 comparison.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear my reviews and comparisons' }));
    expect(platform.callsTo('updateEvidence')).toEqual([{ kind: 'clear' }]);
    await screen.findByText('Nothing recorded yet.');
    expect(screen.getByRole('status', { name: 'Reviews status' }).textContent).toContain('cleared');
    expect(await evidenceSummaryItem.getValue()).toEqual({});
  });
});
