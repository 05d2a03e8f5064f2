import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ModelsPage } from '@/components/ModelsPage';
import { OptionsApp } from '@/entrypoints/options/OptionsApp';
import { catalogLine, taskFromSearch } from '@/lib/ui/models';
import { settingsItem } from '@/lib/storage';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import type { Ranking } from '@/lib/ranking/schema';
import { MODELS, RANKING, fakePlatform, renderWorkbench, wrap } from './popup-fixtures';

beforeEach(() => fakeBrowser.reset());

const HOUR = 3_600_000;
const CAPTIONING: Ranking = {
  ...RANKING,
  models: RANKING.models.map((m) => ({ ...m, reasons: [`reasons of ${m.id}`] })),
  catalog: { source: 'cache', fetchedAt: 2_000 - 5 * HOUR, error: null, ranked: true, skipped: 3, modelCount: 312 },
};
const GENERATION: Ranking = {
  ...CAPTIONING,
  task: 'generation',
  models: [
    { ...MODELS.best, rank: 1, id: 'openai/gpt-5-image', name: 'OpenAI: GPT-5 Image', tier: 'best', usdPer1kImages: 40, quality: 88, reasons: ['Design Arena elo 1210'] },
    { ...MODELS.budget, rank: 2, id: 'google/gemini-2.5-flash-image', name: 'Google: Gemini 2.5 Flash Image', tier: 'budget', usdPer1kImages: 39, quality: 75, reasons: ['Design Arena elo 1150'] },
  ],
};

function renderPage(handlers: Parameters<typeof fakePlatform>[0] = {}) {
  const platform = fakePlatform({ getRanking: ({ task }) => (task === 'generation' ? GENERATION : CAPTIONING), ...handlers });
  render(wrap(platform, <ModelsPage />));
  return platform;
}

/** Each row's model name (the header cell's first node; the model id follows it). */
const rowNames = (table: HTMLElement) => within(table).getAllByRole('rowheader').map((h) => h.firstChild!.textContent);

describe('models page', () => {
  it('shows the full captioning ranking with rank, tier, quality, price, speed and reasons', async () => {
    renderPage();
    const table = await screen.findByRole('table');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Rank ▲', 'Model', 'Tier', 'Quality', 'Per 1,000', 'Speed', 'Reasons']);
    const budget = within(table).getByRole('row', { name: /Gemini 3.1 Flash Lite/ });
    expect(within(budget).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1', 'Budget pick', '71 general benchmark', '$0.17', '50', 'reasons of google/gemini-3.1-flash-lite']);
    expect(screen.getByRole('radio', { name: /Captioning/ })).toHaveProperty('checked', true);
    expect(screen.getByText(/Prices from a saved copy of OpenRouter’s catalog, fetched 5 hours ago \(312 models in the catalog; 3 malformed entries skipped\)/)).toBeTruthy();
  });

  it('switches to the generation ranking', async () => {
    const user = userEvent.setup();
    const platform = renderPage();
    await screen.findByRole('table');
    await user.click(screen.getByRole('radio', { name: /Generation/ }));
    await waitFor(() => expect(rowNames(screen.getByRole('table'))).toEqual(['GPT-5 Image', 'Gemini 2.5 Flash Image']));
    expect(platform.callsTo('getRanking')).toEqual([{ task: 'captioning' }, { task: 'generation' }]);
    expect(screen.getByRole('row', { name: /GPT-5 Image/ }).textContent).toContain('Design Arena elo 1210');
    expect(screen.getByRole('row', { name: /GPT-5 Image/ }).textContent).toContain('Best quality runner-up'); // the tier's pick is another model
    expect(screen.getByRole('rowheader', { name: /GPT-5 Image/ }).textContent).toBe('GPT-5 Imageopenai/gpt-5-image');
    // Generation models are not for alt text, so they cannot be picked here.
    expect(within(screen.getByRole('table')).queryByRole('button', { name: /GPT-5 Image/ })).toBeNull();
  });

  it('sorts by quality, price and speed, each way', async () => {
    const user = userEvent.setup();
    renderPage();
    const table = await screen.findByRole('table');
    const names = () => rowNames(table);
    await user.click(within(table).getByRole('button', { name: /Per 1,000/ }));
    expect(names()).toEqual(['Vision Free', 'Unrated Vision', 'Gemini 3.1 Flash Lite', 'GPT-5 Mini', 'Claude Opus']);
    await user.click(within(table).getByRole('button', { name: /Per 1,000/ }));
    expect(names()[0]).toBe('Claude Opus');
    expect(within(table).getByRole('columnheader', { name: /Per 1,000/ }).getAttribute('aria-sort')).toBe('descending');
    await user.click(within(table).getByRole('button', { name: /Quality/ }));
    expect(names()).toEqual(['Claude Opus', 'GPT-5 Mini', 'Gemini 3.1 Flash Lite', 'Vision Free', 'Unrated Vision']);
    await user.click(within(table).getByRole('button', { name: /Quality/ }));
    expect(names().slice(0, 2)).toEqual(['Vision Free', 'Gemini 3.1 Flash Lite']); // unrated stays last either way
    expect(names().at(-1)).toBe('Unrated Vision');
    await user.click(within(table).getByRole('button', { name: /Speed/ }));
    expect(within(table).getByRole('columnheader', { name: /Speed/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('"Refresh prices" refreshes the catalog and re-ranks the task on screen', async () => {
    const user = userEvent.setup();
    const fresh = { ...CAPTIONING, catalog: { ...CAPTIONING.catalog, source: 'live' as const, fetchedAt: 2_000 } };
    const platform = renderPage({ refreshCatalog: () => fresh });
    await screen.findByRole('table');
    await user.click(screen.getByRole('radio', { name: /Generation/ }));
    await user.click(screen.getByRole('button', { name: 'Refresh prices' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Models status' }).textContent).toBe('Prices refreshed: 2 models.'));
    expect(platform.callsTo('refreshCatalog')).toHaveLength(1);
    expect(platform.callsTo('getRanking').at(-1)).toEqual({ task: 'generation' });
  });

  it('shows a failed refresh and the catalog\'s recorded error', async () => {
    const user = userEvent.setup();
    const failed = { ...CAPTIONING, catalog: { ...CAPTIONING.catalog, error: 'OpenRouter answered 503.' } };
    renderPage({ refreshCatalog: () => failed });
    await user.click(await screen.findByRole('button', { name: 'Refresh prices' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Models status' }).textContent).toBe('Prices not refreshed: OpenRouter answered 503.'));
    expect(screen.getByText('Last refresh failed: OpenRouter answered 503.')).toBeTruthy();
  });

  it('says when the ranking cannot be loaded', async () => {
    renderPage({ getRanking: () => { throw new Error('The worker is not running'); } });
    await waitFor(() => expect(screen.getByText('Could not load the ranking: The worker is not running')).toBeTruthy());
  });

  it('picking a captioning model makes it the one AltScout uses', async () => {
    const user = userEvent.setup();
    renderPage();
    const table = await screen.findByRole('table');
    await user.click(within(table).getByRole('button', { name: 'GPT-5 Mini' }));
    await waitFor(async () => expect((await settingsItem.getValue()).modelId).toBe(MODELS.balanced.id));
    expect(within(table).getByRole('button', { name: 'GPT-5 Mini' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('status', { name: 'Models status' }).textContent).toBe('AltScout now describes images with GPT-5 Mini.');
  });

  it('does not overwrite stored settings that fail validation', async () => {
    const user = userEvent.setup();
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, concurrency: 99 } });
    renderPage();
    await user.click(within(await screen.findByRole('table')).getByRole('button', { name: 'GPT-5 Mini' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Models status' }).textContent).toMatch(/^Not saved: /));
    expect(((await fakeBrowser.storage.local.get('settings')).settings as { concurrency: number }).concurrency).toBe(99);
  });
});

describe('links to the models page', () => {
  it('the popup opens it from "More models"', async () => {
    const user = userEvent.setup();
    const platform = fakePlatform();
    renderWorkbench(platform);
    await user.click(await screen.findByRole('button', { name: /More models/ }));
    await user.click(screen.getByRole('button', { name: /All models/ }));
    expect(platform.opened).toEqual(['/models.html']);
  });

  it('the options page links to it', () => {
    render(wrap(fakePlatform(), <OptionsApp />));
    expect(screen.getByRole('link', { name: 'All models' }).getAttribute('href')).toBe('/models.html');
  });

  it('reads the task from the address and describes the catalog source', () => {
    expect(taskFromSearch('?task=generation')).toBe('generation');
    expect(taskFromSearch('?task=nonsense')).toBe('captioning');
    expect(taskFromSearch('')).toBe('captioning');
    expect(catalogLine({ source: 'snapshot', fetchedAt: 0, error: null, ranked: true, skipped: 0 }, 3 * 24 * HOUR)).toBe('Prices from the copy bundled with AltScout, taken 3 days ago.');
    expect(catalogLine({ source: 'custom', fetchedAt: null, error: null, ranked: false, skipped: 0, refreshing: true }, 0)).toBe('Prices from your server’s model list (not ranked). A refresh is running.');
  });
});
