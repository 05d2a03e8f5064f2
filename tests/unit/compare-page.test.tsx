import { beforeEach, describe, expect, it } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ComparePage } from '@/components/ComparePage';
import { comparisonsItem, jobsItem, readComparisons, settingsItem } from '@/lib/storage';
import type { Job, StartJob } from '@/lib/jobs/schema';
import { FINDINGS, MODELS, PAGE_URL, TAB, fakePlatform, idsOf, job, jobItem, recordOf, startRequests, wrap } from './popup-fixtures';

/** The fixture's finding ids (opaque, contract 1). */
const f = (n: number) => FINDINGS[n - 1].id;

beforeEach(() => fakeBrowser.reset());

const picks = [MODELS.free, MODELS.budget, MODELS.balanced, MODELS.best];
const name = (m: { name: string }) => m.name.slice(m.name.indexOf(': ') + 2);

/** A worker stand-in: each started job is stored, and `finish` writes every model's texts. */
function comparePlatform() {
  const started: Job[] = [];
  const platform = fakePlatform({
    getFindingDetails: ({ ids }) => ({ details: ids.map((id) => ({ id, width: 200, height: 150, context: { pageTitle: 'Menu', lang: 'en' } })) }),
    startJob: async (message) => {
      const m = message as StartJob;
      const j = job(idsOf(m).map((id) => jobItem(FINDINGS.find((f) => f.id === id)!)), { id: `job-${m.modelId}`, modelId: m.modelId, createdAt: 10 + started.length });
      started.push(j);
      await jobsItem.setValue(started.map(recordOf));
      return j;
    },
    updateEvidence: ({ kind }) => ({ recorded: kind === 'comparison' ? 4 : 0 }),
  });
  async function finish() {
    const done = started.map((j) => ({
      ...j, state: 'done' as const, done: j.total, updatedAt: 99,
      items: j.items.map((i) => ({ ...i, state: 'done' as const, alt: `${j.modelId} says ${i.id}`, costUsd: j.modelId === MODELS.best.id ? 0.012 : 0.00025, latencyMs: 1500 })),
    }));
    await act(() => jobsItem.setValue(done.map(recordOf)));
  }
  return { platform, started, finish };
}

describe('compare.html', () => {
  it('runs the same images through each chosen model, shows them side by side, saves the picks and sums up', async () => {
    const user = userEvent.setup();
    const { platform, finish } = comparePlatform();
    const view = render(wrap(platform, <ComparePage tabId={TAB} />));

    // The four tier picks are ticked; any other model can be found and added from the keyboard.
    for (const m of picks) expect(await screen.findByRole('checkbox', { name: name(m) })).toHaveProperty('checked', true);
    await user.click(screen.getByRole('checkbox', { name: name(MODELS.free) }));
    await user.type(screen.getByRole('searchbox', { name: 'Add a model' }), 'unrated{Enter}');
    expect(screen.getByRole('checkbox', { name: 'Unrated Vision' })).toHaveProperty('checked', true);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: 'Unrated Vision' })));
    await user.click(screen.getByRole('checkbox', { name: 'Unrated Vision' }));

    // Default 5 images, but this page has 4 describable ones besides the decorative: 4 + 1.
    const count = screen.getByRole('spinbutton', { name: 'Number of images' });
    expect(count).toHaveProperty('value', '5');
    await user.clear(count);
    await user.type(count, '2');
    expect(screen.getByText(/^2 images × 3 models = 6 descriptions: about \$0\.03 in all/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Run comparison' }));

    // One job per model, each for the same images, missing alt first.
    await screen.findByRole('heading', { name: 'Results' });
    const requests = startRequests(platform);
    expect(requests.map((r) => r.modelId)).toEqual([MODELS.budget.id, MODELS.balanced.id, MODELS.best.id]);
    for (const r of requests) expect(r.target).toEqual({ kind: 'findings', ids: [f(1), f(2)] });
    const stored = (await readComparisons()).value;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ tabId: TAB, pageUrl: PAGE_URL, images: [{ id: f(1) }, { id: f(2) }] });

    // Closing and reopening the tab finds the run; the texts arrive through storage.
    view.unmount();
    render(wrap(platform, <ComparePage tabId={TAB} />));
    const group1 = await screen.findByRole('group', { name: 'Best description for image 1' });
    expect(within(group1).getByRole('radio', { name: 'Claude Opus' })).toHaveProperty('disabled', true);
    await finish();
    await waitFor(() => expect(within(group1).getByRole('radio', { name: 'Claude Opus' })).toHaveProperty('disabled', false));
    expect(group1.textContent).toContain(`${MODELS.best.id} says ${f(1)}`);
    expect(group1.textContent).toContain('$0.01 · 1.5 s');
    expect(within(group1).getByRole('radio', { name: 'All equally good' })).toBeTruthy();

    await user.click(within(group1).getByRole('radio', { name: 'Gemini 3.1 Flash Lite' }));
    await user.click(within(screen.getByRole('group', { name: 'Best description for image 2' })).getByRole('radio', { name: 'All equally good' }));
    await waitFor(async () => expect((await readComparisons()).value[0].choices).toEqual({ [f(1)]: MODELS.budget.id, [f(2)]: 'all' }));
    await user.click(screen.getByRole('button', { name: 'Save choices' }));

    const runId = stored[0].id;
    const models = [MODELS.budget.id, MODELS.balanced.id, MODELS.best.id];
    expect(platform.callsTo('updateEvidence')).toEqual([{
      kind: 'comparison',
      choices: [{ key: `${runId}/${f(1)}`, models, best: MODELS.budget.id }, { key: `${runId}/${f(2)}`, models, best: 'all' }],
    }]);
    const summary = await screen.findByRole('heading', { name: 'Summary' });
    const lines = within(summary.closest('section')!).getAllByRole('listitem').map((li) => li.textContent);
    expect(lines).toEqual([
      'Gemini 3.1 Flash Lite: best or tied on 2 of 2 at $0.25 per 1,000 images',
      'Claude Opus: best or tied on 1 of 2 at $12.00 per 1,000 images',
      'GPT-5 Mini: best or tied on 1 of 2 at $0.25 per 1,000 images',
    ]);
    await user.click(screen.getByRole('button', { name: 'Use Gemini 3.1 Flash Lite for shop.example' }));
    await waitFor(async () => expect((await settingsItem.getValue()).siteModels).toEqual({ 'https://shop.example': MODELS.budget.id }));
  });

  it('needs two models, and says why a model did not start', async () => {
    const user = userEvent.setup();
    const { platform } = comparePlatform();
    platform.handlers.startJob = (message) => {
      if ((message as StartJob).modelId === MODELS.best.id) throw new Error('No credit left.');
      return job([jobItem(FINDINGS[0])], { id: `job-${(message as StartJob).modelId}`, modelId: (message as StartJob).modelId });
    };
    render(wrap(platform, <ComparePage tabId={TAB} />));
    for (const m of [MODELS.free, MODELS.budget, MODELS.balanced]) await user.click(await screen.findByRole('checkbox', { name: name(m) }));
    expect(screen.getByText('Tick at least two models.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Run comparison' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('checkbox', { name: name(MODELS.balanced) }));
    await user.click(screen.getByRole('button', { name: 'Run comparison' }));
    expect(await screen.findByText('Claude Opus did not start: No credit left.')).toBeTruthy();
    expect((await comparisonsItem.getValue())[0].jobs).toEqual({ [MODELS.balanced.id]: `job-${MODELS.balanced.id}` });
  });
});
