import { beforeEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { jobsItem, settingsItem, reviewDraftsItem, setTabHighlighted } from '@/lib/storage';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import {
  FINDINGS, MODELS, PAGE_URL, RANKING, SUMMARY, TAB, caption, doneItem, fakePlatform, finding, idsOf, job, jobItem, recordOf, renderWorkbench, startRequests, storeJobs,
} from './popup-fixtures';

beforeEach(() => fakeBrowser.reset());

const summaryStatus = () => screen.getByRole('status', { name: 'Page summary' });

describe('popup: summary and model choice', () => {
  it('shows the page summary, counts per status, and the four tiers with price and quality', async () => {
    renderWorkbench(fakePlatform());
    await waitFor(() => expect(summaryStatus().textContent).toBe('3 images missing alt text'));
    const counts = screen.getByLabelText('Images by status');
    expect(counts.textContent).toContain('Missing3');
    expect(counts.textContent).toContain('Suspicious1');
    const budget = await screen.findByRole('radio', { name: /Budget/ });
    expect(budget).toHaveProperty('checked', true); // no remembered model: budget is the default
    expect(screen.getByRole('radio', { name: /Budget/ }).closest('label')!.textContent).toContain('$0.17 per 1,000 images');
    for (const name of [/Free/, /Balanced/, /Best quality/]) expect(screen.getByRole('radio', { name })).toBeTruthy();
    expect(screen.getByRole('radio', { name: /Best quality/ }).closest('label')!.textContent).toContain('quality 92');
    expect(screen.getByText('Describe 3 images with Gemini 3.1 Flash Lite — about $0.00051')).toBeTruthy();
  });

  it('remembers the chosen model in settings and restores it next time', async () => {
    const user = userEvent.setup();
    const first = renderWorkbench(fakePlatform());
    await user.click(await screen.findByRole('radio', { name: /Best quality/ }));
    await waitFor(async () => expect((await settingsItem.getValue()).modelId).toBe(MODELS.best.id));
    expect(screen.getByText(/Describe 3 images with Claude Opus — about \$0.04/)).toBeTruthy();
    first.unmount();
    renderWorkbench(fakePlatform());
    await waitFor(() => expect(screen.getByRole('radio', { name: /Best quality/ })).toHaveProperty('checked', true));
  });

  it('does not overwrite stored settings that fail validation when a model is picked', async () => {
    const user = userEvent.setup();
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, concurrency: 99 } });
    renderWorkbench(fakePlatform());
    await user.click(await screen.findByRole('radio', { name: /Balanced/ }));
    expect(screen.getByRole('radio', { name: /Balanced/ })).toHaveProperty('checked', true);
    expect(((await fakeBrowser.storage.local.get('settings')).settings as { concurrency: number }).concurrency).toBe(99);
  });

  it('lists every model behind "More models", sorts by price, and offers an off-tier pick', async () => {
    const user = userEvent.setup();
    renderWorkbench(fakePlatform());
    await user.click(await screen.findByRole('button', { name: /More models \(5\)/ }));
    const table = screen.getByRole('table');
    await user.click(within(table).getByRole('button', { name: /Per 1,000/ }));
    const rowNames = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('button')[0].textContent);
    expect(rowNames).toEqual(['Vision Free', 'Unrated Vision', 'Gemini 3.1 Flash Lite', 'GPT-5 Mini', 'Claude Opus']);
    expect(within(table).getByRole('columnheader', { name: /Per 1,000/ }).getAttribute('aria-sort')).toBe('ascending');
    await user.click(within(table).getByRole('button', { name: 'Unrated Vision' }));
    expect(screen.getByRole('radio', { name: /Your pick Unrated Vision/ })).toHaveProperty('checked', true);
    expect(screen.getByText(/Describe 3 images with Unrated Vision/)).toBeTruthy();
  });

  it('says when the model list is an old bundled copy and refreshes it', async () => {
    const user = userEvent.setup();
    const platform = fakePlatform({
      getRanking: () => ({ ...RANKING, catalog: { ...RANKING.catalog, source: 'snapshot', fetchedAt: 0 } }),
      refreshCatalog: () => RANKING,
    });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Refresh model list' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Refresh model list' })).toBeNull());
    expect(platform.callsTo('refreshCatalog')).toHaveLength(1);
  });

  it('includes suspicious images only when asked and never decorative ones by default', async () => {
    const user = userEvent.setup();
    renderWorkbench(fakePlatform());
    await user.click(await screen.findByRole('checkbox', { name: /Suspicious/ }));
    expect(screen.getByRole('checkbox', { name: /Decorative/ })).toHaveProperty('checked', false);
    expect(screen.getByText(/Describe 4 images with/)).toBeTruthy();
  });

  it('explains an unsupported page and offers nothing to run', async () => {
    renderWorkbench(fakePlatform({ getPageSummary: () => ({ supported: false, tabId: TAB, url: 'chrome://settings', reason: 'Browsers do not let extensions read chrome:// pages.' }) }));
    await waitFor(() => expect(summaryStatus().textContent).toMatch(/chrome:\/\//));
    expect(screen.queryByRole('button', { name: 'Generate alt text' })).toBeNull();
  });

  it('shows a failing summary as an error in the summary region', async () => {
    renderWorkbench(fakePlatform({ getPageSummary: () => { throw new Error('No tab with id 7'); } }));
    await waitFor(() => expect(summaryStatus().textContent).toBe('No tab with id 7'));
  });
});

describe('popup: generating', () => {
  it('starts a job with only what the user chose, follows it through storage, and can cancel', async () => {
    const user = userEvent.setup();
    // Settings the popup used to copy into the request: the worker reads them itself now.
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, language: 'fr', length: 'detailed' });
    const missing = FINDINGS.filter((f) => f.status === 'missing');
    let current = job(missing.map((f) => jobItem(f)));
    const platform = fakePlatform({
      startJob: async () => {
        await jobsItem.setValue([recordOf(current)]);
        return current;
      },
      cancelJob: async () => {
        current = { ...current, state: 'cancelled', updatedAt: 9 };
        await jobsItem.setValue([recordOf(current)]);
        return current;
      },
    });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('radio', { name: /Budget/ }));
    await user.click(screen.getByRole('button', { name: 'Generate alt text' }));

    // Only what the user chose: the worker reads the settings and asks the page for the details itself.
    expect(startRequests(platform)).toEqual([{ tabId: TAB, modelId: MODELS.budget.id, target: { kind: 'findings', ids: ['0:menu:f1', '0:menu:f2', '0:menu:f4'] } }]);
    expect(platform.callsTo('getFindingDetails')).toEqual([]);

    const bar = await screen.findByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('3');
    // The choices give way to the progress while the job runs.
    expect(screen.queryByRole('button', { name: 'Generate alt text' })).toBeNull();
    expect(screen.queryByRole('radio', { name: /Budget/ })).toBeNull();

    // The worker saves each change; the popup hears of it from storage, without asking.
    current = job([doneItem(missing[0]), jobItem(missing[1], { state: 'running' }), jobItem(missing[2])], { updatedAt: 3 });
    await storeJobs(current);
    await waitFor(() => expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1'));
    expect(screen.getByRole('status', { name: 'Job status' }).textContent).toMatch(/Describing 1 of 3 images… \$0.0002 so far/);
    expect(screen.getByRole('textbox', { name: 'Alt text for image 1' })).toHaveProperty('value', caption(missing[0]));

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Job status' }).textContent).toMatch(/^Cancelled after 1 of 3/));
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Generate alt text' })).toHaveProperty('disabled', false);
    expect(platform.callsTo('getJob')).toEqual([]);
  });

  it('shows the running job when the popup is reopened mid-job, and its progress without polling', async () => {
    const missing = FINDINGS.filter((f) => f.status === 'missing');
    await storeJobs(job([doneItem(missing[0]), doneItem(missing[1]), jobItem(missing[2], { state: 'running' })]));
    const platform = fakePlatform();
    renderWorkbench(platform);
    const bar = await screen.findByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('2');
    expect(bar.getAttribute('aria-valuetext')).toBe('2 of 3 images, $0.0004 so far');
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    // Longer than the 400 ms the old poller waited: nothing asks the worker, the next change comes from storage.
    await act(() => new Promise((r) => setTimeout(r, 600)));
    expect(platform.calls.map((c) => c.name)).not.toContain('getJob');
    await storeJobs(job(missing.map(doneItem), { state: 'done', updatedAt: 5 }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Job status' }).textContent).toMatch(/^Described 3 of 3 images/));
  });

  it('follows the latest job of its own tab only, leaving other tabs\' jobs and context-menu jobs alone', async () => {
    const mine = job([doneItem(FINDINGS[0])], { id: 'mine', state: 'done', createdAt: 5 });
    const otherTab = job([doneItem(FINDINGS[1])], { id: 'other-tab', tabId: TAB + 1, state: 'running', createdAt: 9 });
    const contextMenu = job([{ ...doneItem(FINDINGS[2]), id: 'context-menu-image' }], { id: 'menu', state: 'done', createdAt: 10 });
    const older = job([doneItem(FINDINGS[3])], { id: 'older', state: 'done', createdAt: 1 });
    await storeJobs(older, otherTab, contextMenu, mine);
    renderWorkbench(fakePlatform());
    expect(await screen.findByRole('textbox', { name: 'Alt text for image 1' })).toHaveProperty('value', caption(FINDINGS[0]));
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(screen.getAllByRole('textbox', { name: /Alt text for image/ })).toHaveLength(1);
  });

  it('says when the job is waiting out a rate limit', async () => {
    const missing = FINDINGS.filter((f) => f.status === 'missing');
    const waiting = job([doneItem(missing[0]), jobItem(missing[1]), jobItem(missing[2])], { waitingUntil: 2_000 + 12_500 });
    await storeJobs(waiting);
    renderWorkbench(fakePlatform());
    expect((await screen.findByRole('status', { name: 'Job status' })).textContent).toBe(
      'Describing 1 of 3 images… $0.0002 so far. The provider asked AltScout to slow down; continuing in about 13 s.',
    );
  });

  it('does not offer a finished job from a page the tab has since left', async () => {
    const old = job([doneItem(FINDINGS[0])], { state: 'done', pageUrl: 'https://shop.example/old' });
    await storeJobs(old);
    renderWorkbench(fakePlatform());
    await waitFor(() => expect(summaryStatus().textContent).toBe('3 images missing alt text'));
    await act(async () => {});
    expect(screen.queryByRole('textbox', { name: 'Alt text for image 1' })).toBeNull();
  });

  it('reports a start failure without losing the page', async () => {
    const user = userEvent.setup();
    renderWorkbench(fakePlatform({ startJob: () => { throw new Error('No API key: add one in Settings.'); } }));
    await user.click(await screen.findByRole('button', { name: 'Generate alt text' }));
    expect((await screen.findByRole('status', { name: 'Last action' })).textContent).toBe('Could not start: No API key: add one in Settings.');
    expect(summaryStatus().textContent).toBe('3 images missing alt text');
  });

  it('keeps finished items and shows the credit message when the API says 402', async () => {
    const user = userEvent.setup();
    const missing = FINDINGS.filter((f) => f.status === 'missing');
    const stopped = job([doneItem(missing[0]), doneItem(missing[1]), jobItem(missing[2], { state: 'failed', error: 'Out of credit' })], {
      state: 'failed',
      error: { code: 'no-credit', message: 'Your OpenRouter credit has run out. Add credit and try again.', action: 'top-up' },
    });
    await storeJobs(stopped);
    const platform = fakePlatform();
    renderWorkbench(platform);
    const status = await screen.findByRole('status', { name: 'Job status' });
    expect(status.textContent).toMatch(/credit has run out/);
    expect(screen.getByRole('textbox', { name: 'Alt text for image 1' })).toHaveProperty('value', caption(missing[0]));
    expect(screen.getByRole('textbox', { name: 'Alt text for image 2' })).toHaveProperty('value', caption(missing[1]));
    expect(screen.getByText('Failed: Out of credit')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add credit' }));
    expect(platform.opened).toEqual(['https://openrouter.ai/settings/credits']);
  });

  it('switches to the next model in the tier when the chosen one is gone', async () => {
    const user = userEvent.setup();
    const gone = job([jobItem(FINDINGS[0], { state: 'failed', error: 'Model not found' })], {
      state: 'failed',
      modelId: MODELS.budget.id,
      error: { code: 'model-gone', message: 'The model is no longer available. Pick the next model in its tier and generate again.', action: 'pick-model' },
    });
    const ranking = { ...RANKING, tiers: { ...RANKING.tiers, budget: { pick: MODELS.budget.id, runnersUp: [MODELS.other.id] } } };
    await storeJobs(gone);
    renderWorkbench(fakePlatform({ getRanking: () => ranking }));
    await user.click(await screen.findByRole('button', { name: 'Choose another model' }));
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe(
        'Switched to Acme: Unrated Vision, the next model in the Budget tier. Choose "Generate alt text" to continue.',
      ),
    );
    expect((await settingsItem.getValue()).modelId).toBe(MODELS.other.id);
  });

  it('retries a failed item and regenerates a done one, dropping its old edit', async () => {
    const user = userEvent.setup();
    const [a, b] = FINDINGS;
    let current = job([doneItem(a), jobItem(b, { state: 'failed', error: 'Provider returned error' })], { state: 'done' });
    await storeJobs(current);
    const platform = fakePlatform({
      retryItem: async ({ itemId }) => {
        current = job(current.items.map((i) => (i.id === itemId ? { ...i, state: 'done' as const, alt: `New ${itemId}` } : i)), { state: 'done', updatedAt: current.updatedAt + 1 });
        await jobsItem.setValue([recordOf(current)]);
        return current;
      },
    });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('textbox', { name: 'Alt text for image 2' })).toHaveProperty('value', 'New 0:menu:f2');
    const first = screen.getByRole('textbox', { name: 'Alt text for image 1' });
    await user.clear(first);
    await user.type(first, 'My edit');
    await user.click(within(first.closest('li')!).getByRole('button', { name: 'Regenerate' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Alt text for image 1' })).toHaveProperty('value', 'New 0:menu:f1'));
    // Retry may reuse the cache; Regenerate asks the worker for a fresh, paid description.
    expect(platform.callsTo('retryItem')).toEqual([{ jobId: 'job-1', itemId: '0:menu:f2', regenerate: false }, { jobId: 'job-1', itemId: '0:menu:f1', regenerate: true }]);
  });
});

describe('popup: review and apply', () => {
  const reviewed = () => {
    const items = [FINDINGS[0], FINDINGS[1], FINDINGS[2], FINDINGS[3]].map(doneItem);
    return job(items, { state: 'done' });
  };

  it('applies exactly the accepted and edited suggestions, overwriting only included human alt', async () => {
    const user = userEvent.setup();
    await storeJobs(reviewed());
    const platform = fakePlatform({
      applyToTab: ({ items }) => ({ applied: items.map((i) => i.id), skipped: [] }),
    });
    renderWorkbench(platform);
    const second = await screen.findByRole('textbox', { name: 'Alt text for image 2' });
    await user.clear(second);
    await user.type(second, 'Strawberry tart on a plate');
    const reject = within(screen.getByRole('textbox', { name: 'Alt text for image 4' }).closest('li')!).getByRole('button', { name: 'Reject' });
    expect(reject.getAttribute('aria-pressed')).toBe('false');
    await user.click(reject);
    expect(reject.getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Apply to page' }));

    expect(platform.callsTo('applyToTab')).toEqual([{
      tabId: TAB,
      items: [
        { id: '0:menu:f1', src: 'https://shop.example/img/1.png', text: caption(FINDINGS[0]), overwrite: false },
        { id: '0:menu:f2', src: 'https://shop.example/img/2.png', text: 'Strawberry tart on a plate', overwrite: false },
        { id: '0:menu:f3', src: 'https://shop.example/img/3.png', text: caption(FINDINGS[2]), overwrite: true },
      ],
    }]);
    expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Applied alt text to 3 images on the page.');
  });

  it('applies a decorative verdict as alt="" on an image, and shows why an SVG judged decorative was left out', async () => {
    const user = userEvent.setup();
    const svg = finding(6, { kind: 'svg', selector: 'main > svg', src: null });
    const summary = { ...SUMMARY, findings: [...FINDINGS, svg] };
    await storeJobs(job([jobItem(FINDINGS[0], { state: 'done', alt: '', decorative: true }), jobItem(svg, { state: 'done', alt: '', decorative: true })], { state: 'done' }));
    const platform = fakePlatform({
      getPageSummary: () => summary,
      applyToTab: ({ items }) => ({ applied: items.map((i) => i.id), skipped: [] }),
    });
    renderWorkbench(platform);
    const imageBox = await screen.findByRole('textbox', { name: 'Alt text for image 1' });
    expect(imageBox.getAttribute('aria-describedby')).toBe('alt-1-decorative');
    expect(document.getElementById('alt-1-decorative')!.textContent).toMatch(/marks it so \(alt=""\)/);
    const svgItem = screen.getByRole('textbox', { name: 'Alt text for image 2' }).closest('li')!;
    // The element kinds come with the page summary.
    await waitFor(() => expect(svgItem.textContent).toMatch(/An SVG image must have a name/));
    await user.click(screen.getByRole('button', { name: 'Apply to page' }));
    expect(platform.callsTo('applyToTab')).toEqual([{ tabId: TAB, items: [{ id: '0:menu:f1', src: 'https://shop.example/img/1.png', text: '', overwrite: false, decorative: true }] }]);
    expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Applied alt text to 1 image on the page. 1 image judged decorative left out: it needs a description.');
    expect(within(svgItem).getByText(/^Not applied:/).textContent).toMatch(/SVG image must have a name.*reject it\.$/);
  });

  it('shows the page\'s reason beside an item it did not apply', async () => {
    const user = userEvent.setup();
    await storeJobs(job([doneItem(FINDINGS[0]), jobItem(FINDINGS[1], { state: 'done', alt: '', decorative: true })], { state: 'done' }));
    const platform = fakePlatform({
      applyToTab: ({ items }) => ({ applied: [items[0].id], skipped: [{ id: items[1].id, reason: 'It has role="img", so alt="" would not make it decorative; write a description or reject it' }] }),
    });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Apply to page' }));
    const second = screen.getByRole('textbox', { name: 'Alt text for image 2' });
    expect(second.getAttribute('aria-describedby')).toBe('alt-2-decorative alt-2-not-applied');
    expect(document.getElementById('alt-2-not-applied')!.textContent).toBe('Not applied: It has role="img", so alt="" would not make it decorative; write a description or reject it.');
    expect(screen.getByRole('textbox', { name: 'Alt text for image 1' }).getAttribute('aria-describedby')).toBeNull();
  });

  it('holds back a suggestion whose text box was emptied and says why', async () => {
    const user = userEvent.setup();
    await storeJobs(job([doneItem(FINDINGS[0])], { state: 'done' }));
    const platform = fakePlatform();
    renderWorkbench(platform);
    await user.clear(await screen.findByRole('textbox', { name: 'Alt text for image 1' }));
    await user.click(screen.getByRole('button', { name: 'Apply to page' }));
    expect(platform.callsTo('applyToTab')).toEqual([]);
    expect(screen.getByRole('status', { name: 'Last action' }).textContent).toMatch(/Nothing to apply.*1 image with an empty text box/);
  });

  it('recounts the page after applying, and leaves a context-menu job to its own window', async () => {
    const user = userEvent.setup();
    let missing = 3;
    await storeJobs(reviewed());
    const platform = fakePlatform({
      getPageSummary: () => ({
        ...SUMMARY,
        counts: { ...SUMMARY.counts, missing },
        findings: missing ? SUMMARY.findings : SUMMARY.findings.map((f) => ({ ...f, status: 'ok' as const })),
      }),
      applyToTab: ({ items }) => {
        missing = 0;
        return { applied: items.map((i) => i.id), skipped: [] };
      },
    });
    const first = renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Apply to page' }));
    await waitFor(() => expect(summaryStatus().textContent).toBe('No images missing alt text.'));
    // The review keeps describing each image as it was found.
    expect(screen.getByRole('listitem', { name: 'Image 1' }).textContent).toContain('missing alt');
    first.unmount();
    await storeJobs(job([{ ...doneItem(FINDINGS[0]), id: 'context-menu-image' }], { state: 'done' }));
    renderWorkbench(platform);
    await screen.findByRole('button', { name: 'Generate alt text' });
    await act(async () => {});
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('reports skipped items and undo results', async () => {
    const user = userEvent.setup();
    await storeJobs(reviewed());
    const platform = fakePlatform({
      applyToTab: ({ items }) => ({ applied: items.slice(1).map((i) => i.id), skipped: [{ id: items[0].id, reason: 'the image is gone from the page' }] }),
      undoTab: () => ({ restored: 3 }),
    });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Apply to page' }));
    const message = screen.getByRole('status', { name: 'Last action' });
    expect(message.textContent).toBe('Applied alt text to 3 images on the page. 1 skipped: the image is gone from the page.');
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(message.textContent).toBe('Undone: 3 images restored as they were.');
  });

  it('keeps edits and rejections when the popup is closed and reopened', async () => {
    const user = userEvent.setup();
    await storeJobs(reviewed());
    const platform = fakePlatform();
    const first = renderWorkbench(platform);
    const box = await screen.findByRole('textbox', { name: 'Alt text for image 1' });
    await user.clear(box);
    await user.type(box, 'Kept edit');
    await user.click(within(screen.getByRole('textbox', { name: 'Alt text for image 3' }).closest('li')!).getByRole('button', { name: 'Reject' }));
    await waitFor(async () => expect((await reviewDraftsItem.getValue())['job-1']?.rejected).toEqual(['0:menu:f3']));
    first.unmount();
    renderWorkbench(platform, 'report');
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Alt text for image 1' })).toHaveProperty('value', 'Kept edit'));
    expect(within(screen.getByRole('textbox', { name: 'Alt text for image 3' }).closest('li')!).getByRole('button', { name: 'Reject' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('shows the job\'s own captions when the stored edits are corrupt, and saves good ones over them', async () => {
    const user = userEvent.setup();
    await fakeBrowser.storage.session.set({ reviewDrafts: { 'job-1': { edits: 'not a map', rejected: 7 } } });
    await storeJobs(reviewed());
    renderWorkbench(fakePlatform());
    const box = await screen.findByRole('textbox', { name: 'Alt text for image 1' });
    expect(box).toHaveProperty('value', caption(FINDINGS[0]));
    await user.type(box, '!');
    await waitFor(async () => expect((await reviewDraftsItem.getValue())['job-1']?.edits).toEqual({ [FINDINGS[0].id]: `${caption(FINDINGS[0])}!` }));
  });

  it('exports the report as CSV and JSON with the decisions', async () => {
    const user = userEvent.setup();
    await storeJobs(reviewed());
    const platform = fakePlatform();
    renderWorkbench(platform);
    const box = await screen.findByRole('textbox', { name: 'Alt text for image 1' });
    await user.clear(box);
    await user.type(box, 'Edited, with "quotes"');
    await user.click(within(screen.getByRole('textbox', { name: 'Alt text for image 2' }).closest('li')!).getByRole('button', { name: 'Reject' }));
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await user.click(screen.getByRole('button', { name: 'Export JSON' }));
    const [csv, json] = platform.downloads;
    expect(csv.fileName).toMatch(/^altscout-shop\.example-\d{4}-\d\d-\d\d\.csv$/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('page_url,selector,image_url,status,old_alt,new_alt,decision,model,cost_usd,error');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(`${PAGE_URL},main > img:nth-of-type(1),https://shop.example/img/1.png,missing,,"Edited, with ""quotes""",edited,${MODELS.budget.id},0.0002,`);
    expect(lines[2]).toContain(',missing,,,rejected,');
    expect(lines[3]).toContain(',suspicious,IMG_2041.jpg,Caption for 0:menu:f3,accepted,');
    const parsed = JSON.parse(json.text);
    expect(parsed.items.map((i: { decision: string }) => i.decision)).toEqual(['edited', 'rejected', 'accepted', 'accepted']);
    expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Exported 4 rows as JSON.');
  });

  it('copies a suggestion and opens the full report for the same tab', async () => {
    const user = userEvent.setup();
    await storeJobs(reviewed());
    const platform = fakePlatform();
    renderWorkbench(platform);
    const box = await screen.findByRole('textbox', { name: 'Alt text for image 2' });
    await user.click(within(box.closest('li')!).getByRole('button', { name: 'Copy' }));
    expect(platform.copied).toEqual([caption(FINDINGS[1])]);
    await user.click(screen.getByRole('button', { name: 'Open full report' }));
    expect(platform.opened).toEqual([`/report.html?tab=${TAB}`]);
  });

  it('toggles highlights on the page, the button saying what a press will do', async () => {
    const user = userEvent.setup();
    const platform = fakePlatform({ highlightTab: ({ on }) => ({ shown: on ? 3 : 0 }) });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Highlight on page' }));
    expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Highlighted 3 images on the page.');
    await user.click(screen.getByRole('button', { name: 'Hide highlights' }));
    expect(screen.getByRole('button', { name: 'Highlight on page' })).toBeTruthy();
    expect(platform.callsTo('highlightTab')).toEqual([{ tabId: TAB, on: true, page: SUMMARY.page }, { tabId: TAB, on: false, page: SUMMARY.page }]);
  });

  it('reopened on a tab whose highlights are on, offers to hide them', async () => {
    const user = userEvent.setup();
    await setTabHighlighted(TAB, true);
    await setTabHighlighted(TAB + 1, false);
    const platform = fakePlatform({ highlightTab: ({ on }) => ({ shown: on ? 3 : 0 }) });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Hide highlights' }));
    expect(platform.callsTo('highlightTab')).toEqual([{ tabId: TAB, on: false, page: SUMMARY.page }]);
    expect(screen.getByRole('button', { name: 'Highlight on page' })).toBeTruthy();
  });

  it('another tab\'s highlights do not count for this one', async () => {
    await setTabHighlighted(TAB + 1, true);
    renderWorkbench(fakePlatform());
    expect(await screen.findByRole('button', { name: 'Highlight on page' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Hide highlights' })).toBeNull();
  });

  it('never renders page or model text as HTML', async () => {
    const hostile = '<img src=x onerror="window.pwned=1">';
    await storeJobs(job([{ ...doneItem(FINDINGS[0]), alt: hostile, oldAlt: hostile }], { state: 'done' }));
    renderWorkbench(fakePlatform());
    expect(await screen.findByRole('textbox', { name: 'Alt text for image 1' })).toHaveProperty('value', hostile);
    await act(async () => {});
    expect(document.querySelectorAll('img[src="x"]')).toHaveLength(0);
    expect(screen.getByText(`Current alt: “${hostile}”`)).toBeTruthy();
  });
});

describe('popup: host access (asked from a click, for the sites a step needs)', () => {
  it('names the sites the chosen images need and starts the job once "This site" is granted', async () => {
    const user = userEvent.setup();
    const cdn = finding(6, { src: 'https://cdn.example/img/6.png' });
    const platform = fakePlatform({
      getPageSummary: () => ({ ...SUMMARY, findings: [...FINDINGS, cdn], counts: { ...SUMMARY.counts, missing: 4 } }),
      startJob: (input) => job(idsOf(input).map((id) => jobItem(FINDINGS.find((f) => f.id === id) ?? cdn))),
    });
    platform.hostAccess.held = new Set(['https://shop.example/*']);
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Generate alt text' }));

    const prompt = await screen.findByRole('group', { name: 'Allow AltScout to read this site?' });
    expect(within(within(prompt).getByRole('list', { name: 'Sites to allow' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['cdn.example']);
    expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('AltScout needs your permission to read one site to describe the chosen images.');
    // The keyboard is on the first choice; nothing has started; the choices are out of the way.
    expect(document.activeElement).toBe(within(prompt).getByRole('button', { name: 'This site' }));
    expect(platform.callsTo('startJob')).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Generate alt text' })).toBeNull();

    await user.click(within(prompt).getByRole('button', { name: 'This site' }));
    expect(platform.hostAccess.requests).toEqual([{ choice: 'site', origins: ['https://cdn.example/*'] }]);
    await waitFor(() => expect(startRequests(platform)).toEqual([
      { tabId: TAB, modelId: MODELS.budget.id, target: { kind: 'findings', ids: ['0:menu:f1', '0:menu:f2', '0:menu:f4', '0:menu:f6'] } },
    ]));
    expect(screen.queryByRole('group', { name: /Allow AltScout/ })).toBeNull();
  });

  it('"All sites" asks for every site; a refusal starts nothing and says so', async () => {
    const user = userEvent.setup();
    const cdn = finding(6, { src: 'https://cdn.example/img/6.png' });
    const platform = fakePlatform({ getPageSummary: () => ({ ...SUMMARY, findings: [...FINDINGS, cdn], counts: { ...SUMMARY.counts, missing: 4 } }) });
    platform.hostAccess.held.clear();
    platform.hostAccess.answer = false;
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Generate alt text' }));
    await user.click(await screen.findByRole('button', { name: 'All sites' }));
    expect(platform.hostAccess.requests).toEqual([{ choice: 'all', origins: ['https://cdn.example/*'] }]);
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('AltScout was not given access, so nothing was read.'));
    expect(platform.callsTo('startJob')).toEqual([]);
    expect(screen.getByRole('button', { name: 'Generate alt text' })).toBeTruthy();
  });

  it('does not ask for the page\'s own site: the click that opened AltScout lets it read those images', async () => {
    const user = userEvent.setup();
    const platform = fakePlatform({ startJob: (input) => job(idsOf(input).map((id) => jobItem(FINDINGS.find((f) => f.id === id)!))) });
    platform.hostAccess.held.clear();
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Generate alt text' }));
    await waitFor(() => expect(platform.callsTo('startJob')).toHaveLength(1));
    expect(platform.hostAccess.requests).toEqual([]);
  });

  it('starts at once when AltScout may already read every site', async () => {
    const user = userEvent.setup();
    const platform = fakePlatform({ startJob: (input) => job(idsOf(input).map((id) => jobItem(FINDINGS.find((f) => f.id === id)!))) });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Generate alt text' }));
    await waitFor(() => expect(platform.callsTo('startJob')).toHaveLength(1));
    expect(platform.hostAccess.requests).toEqual([]);
    expect(screen.queryByRole('group', { name: /Allow AltScout/ })).toBeNull();
  });

  it('asks for the page\'s own site when it could not be read, and scans once allowed', async () => {
    const user = userEvent.setup();
    let allowed = false;
    const platform = fakePlatform({
      getPageSummary: () => (allowed ? SUMMARY : { supported: false, tabId: TAB, url: PAGE_URL, reason: 'AltScout cannot read this page.' }),
    });
    platform.hostAccess.held.clear();
    renderWorkbench(platform);
    const prompt = await screen.findByRole('group', { name: 'Allow AltScout to read this site?' });
    expect(prompt.textContent).toContain('AltScout needs access to read this page:');
    allowed = true;
    await user.click(within(prompt).getByRole('button', { name: 'This site' }));
    await waitFor(() => expect(summaryStatus().textContent).toBe('3 images missing alt text'));
    expect(platform.hostAccess.requests).toEqual([{ choice: 'site', origins: ['https://shop.example/*'] }]);
  });

  it('does not ask for pages no extension may read', async () => {
    const platform = fakePlatform({ getPageSummary: () => ({ supported: false, tabId: TAB, url: 'https://chromewebstore.google.com/x', reason: 'Browsers do not let extensions read the extension store.' }) });
    platform.hostAccess.held.clear();
    renderWorkbench(platform);
    await waitFor(() => expect(summaryStatus().textContent).toMatch(/extension store/));
    await act(async () => {});
    expect(screen.queryByRole('group', { name: /Allow AltScout/ })).toBeNull();
  });
});

describe('popup: the page changed (contract 5)', () => {
  const reviewed = () => job([FINDINGS[0], FINDINGS[1]].map(doneItem), { state: 'done' });

  it('says so when apply answers pageChanged, offers "Scan again" with the focus on it, and scans again', async () => {
    const user = userEvent.setup();
    await storeJobs(reviewed());
    let scans = 0;
    const platform = fakePlatform({
      getPageSummary: () => (++scans === 1 ? SUMMARY : { ...SUMMARY, counts: { ...SUMMARY.counts, missing: 1 }, findings: [finding(9)] }),
      applyToTab: () => ({ applied: [], skipped: [], pageChanged: true as const }),
    });
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: 'Apply to page' }));
    const again = await screen.findByRole('button', { name: 'Scan again' });
    expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe(
      'The page changed since AltScout scanned it, so nothing was changed on it. Choose "Scan again" to continue.',
    );
    await waitFor(() => expect(document.activeElement).toBe(again));

    await user.keyboard('{Enter}');
    await waitFor(() => expect(summaryStatus().textContent).toBe('1 image missing alt text'));
    expect(screen.queryByRole('button', { name: 'Scan again' })).toBeNull();
    // The summary says what the new scan found, and the keyboard is there, not lost with the button.
    expect(document.activeElement).toBe(summaryStatus());
    expect(screen.getByRole('status', { name: 'Last action' }).textContent).toBe('Scanned the page again.');
    expect(scans).toBe(2);
  });

  it('treats undo, highlight and "Show on page" the same way', async () => {
    const user = userEvent.setup();
    await storeJobs(reviewed());
    const platform = fakePlatform({
      undoTab: () => ({ restored: 0, pageChanged: true as const }),
      highlightTab: () => ({ shown: 0, pageChanged: true as const }),
      revealInTab: () => ({ found: false, pageChanged: true as const }),
    });
    renderWorkbench(platform);
    for (const name of ['Undo', 'Highlight on page', 'Show image 1 on page']) {
      await user.click(await screen.findByRole('button', { name }));
      await screen.findByRole('button', { name: 'Scan again' });
      expect(screen.getByRole('status', { name: 'Last action' }).textContent).toMatch(/^The page changed since AltScout scanned it/);
      await user.click(screen.getByRole('button', { name: 'Scan again' }));
      await waitFor(() => expect(screen.queryByRole('button', { name: 'Scan again' })).toBeNull());
    }
    // The highlight did not take: the button still offers to highlight.
    expect(screen.getByRole('button', { name: 'Highlight on page' })).toBeTruthy();
  });
});
