import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { captionCacheItem, readApiKey, settingsItem, updateSettings, writeApiKey } from '@/lib/storage';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import { SettingsForm } from '@/components/SettingsForm';
import { OptionsApp } from '@/entrypoints/options/OptionsApp';
import { fromForm, toForm } from '@/lib/ui/settings-form';
import { fakePlatform, wrap } from './popup-fixtures';

beforeEach(() => fakeBrowser.reset());

const status = () => screen.getByRole('status', { name: 'Settings status' });
/** A password field has no textbox role; its label finds it. */
const apiKeyField = () => screen.getByLabelText<HTMLInputElement>('API key');

async function renderForm(platform = fakePlatform()) {
  render(wrap(platform, <SettingsForm />));
  await screen.findByRole('button', { name: 'Save' });
  return platform;
}

describe('options: settings form', () => {
  it('shows stored settings and saves every field', async () => {
    const user = userEvent.setup();
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, modelId: 'google/gemini-3.1-flash-lite' });
    await renderForm();
    const base = screen.getByRole('textbox', { name: 'API base URL' });
    expect(base).toHaveProperty('value', DEFAULT_SETTINGS.apiBase);
    await user.click(screen.getByRole('radio', { name: /Another OpenAI-compatible server/ }));
    await user.clear(base);
    await user.type(base, 'http://localhost:11434/v1/');
    await user.type(apiKeyField(), '  sk-local  ');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Output language' }), 'fr');
    await user.click(screen.getByRole('radio', { name: /Detailed/ }));
    await user.click(screen.getByRole('checkbox', { name: 'Mark as AI-generated' }));
    const budget = screen.getByRole('spinbutton', { name: 'Budget cap per job (USD)' });
    await user.clear(budget);
    await user.type(budget, '2.5');
    const concurrency = screen.getByRole('spinbutton', { name: 'Images described at once' });
    await user.clear(concurrency);
    await user.type(concurrency, '8');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    // The key is written to IndexedDB, which answers a little later than the click.
    await waitFor(() => expect(status().textContent).toBe('Saved.'));
    expect(await settingsItem.getValue()).toEqual({
      provider: 'custom', apiBase: 'http://localhost:11434/v1', language: 'fr', length: 'detailed', markAiGenerated: true,
      budgetUsd: 2.5, concurrency: 8, modelId: 'google/gemini-3.1-flash-lite', siteModels: {},
    });
    expect(await readApiKey()).toBe('sk-local');
  });

  it('refuses bad values with a sentence per field and keeps what was stored', async () => {
    const user = userEvent.setup();
    await renderForm();
    const base = screen.getByRole('textbox', { name: 'API base URL' });
    await user.clear(base);
    await user.type(base, 'http://example.com/v1');
    const concurrency = screen.getByRole('spinbutton', { name: 'Images described at once' });
    await user.clear(concurrency);
    await user.type(concurrency, '40');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(status().textContent).toBe('Not saved: fix API base URL and Images described at once.');
    expect(base.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Use https, or http only for localhost, 127.0.0.1 or [::1].').id).toBe(base.getAttribute('aria-describedby')!.split(' ')[1]);
    expect(screen.getByText('Enter a whole number from 1 to 16.')).toBeTruthy();
    expect(document.activeElement).toBe(base);
    expect(await fakeBrowser.storage.local.get('settings')).toEqual({});
  });

  it('says when the stored settings were unreadable, and replaces them only on save', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, budgetUsd: -3 } });
    await renderForm();
    expect(status().textContent).toMatch(/^Your saved settings could not be read \(budgetUsd: .+\); defaults are shown until you save again\.$/);
    expect(((await fakeBrowser.storage.local.get('settings')).settings as { budgetUsd: number }).budgetUsd).toBe(-3);
  });

  it('checks the key after saving and shows the remaining credit', async () => {
    const user = userEvent.setup();
    const platform = await renderForm(fakePlatform({ checkKey: () => ({ ok: true, message: 'The key works; $9.9998 of credit left.', creditUsd: 9.9998 }) }));
    await user.type(apiKeyField(), 'sk-or-v1-test');
    await user.click(screen.getByRole('button', { name: 'Check key and credit' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Key check' }).textContent).toBe('The key works; $9.9998 of credit left.'));
    expect(await readApiKey()).toBe('sk-or-v1-test');
    expect(platform.callsTo('checkKey')).toHaveLength(1);
  });

  it('saves, then connects OpenRouter through the worker and shows the key it stored', async () => {
    const user = userEvent.setup();
    const platform = await renderForm(fakePlatform({
      connectOpenRouter: async () => {
        await writeApiKey('sk-or-v1-connected');
        return { ok: true, message: 'The key works and has no spending limit.', creditUsd: null };
      },
    }));
    await user.click(screen.getByRole('checkbox', { name: 'Mark as AI-generated' }));
    await user.click(screen.getByRole('button', { name: 'Connect OpenRouter' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Key check' }).textContent).toBe('Connected. The key works and has no spending limit.'));
    expect((await settingsItem.getValue()).markAiGenerated).toBe(true);
    expect(platform.callsTo('connectOpenRouter')).toHaveLength(1);
    expect(apiKeyField()).toHaveProperty('value', 'sk-or-v1-connected');
  });

  it('shows why connecting failed', async () => {
    const user = userEvent.setup();
    await renderForm(fakePlatform({ connectOpenRouter: () => ({ ok: false, message: 'Connecting to OpenRouter was cancelled.', creditUsd: null }) }));
    await user.click(screen.getByRole('button', { name: 'Connect OpenRouter' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Key check' }).textContent).toBe('Connecting to OpenRouter was cancelled.'));
  });

  it('hides server fields for the on-device model and still saves', async () => {
    const user = userEvent.setup();
    await renderForm();
    await user.click(screen.getByRole('radio', { name: /Chrome on-device model/ }));
    expect(screen.queryByLabelText('API key')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await settingsItem.getValue()).provider).toBe('on-device');
  });

  it('clears the caption cache and says how much', async () => {
    const user = userEvent.setup();
    const entry = { alt: 'A red swatch', modelId: 'm', costUsd: 0, at: 1 };
    await captionCacheItem.setValue({ a: entry, b: entry } as never);
    await renderForm();
    await user.click(screen.getByRole('button', { name: 'Clear cache' }));
    await waitFor(() => expect(status().textContent).toBe('Cleared 2 saved descriptions.'));
    expect(await captionCacheItem.getValue()).toEqual({});
  });
});

describe('options: only what the form shows is written', () => {
  it('keeps a model chosen in the popup while the options page was open (the revert bug)', async () => {
    const user = userEvent.setup();
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, modelId: 'google/gemini-3.1-flash-lite' });
    await renderForm();
    // Meanwhile the popup (or the models page) picks another model.
    await updateSettings({ modelId: 'anthropic/claude-opus' });
    await user.click(screen.getByRole('checkbox', { name: 'Mark as AI-generated' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(status().textContent).toBe('Saved.'));
    expect(await settingsItem.getValue()).toEqual({ ...DEFAULT_SETTINGS, markAiGenerated: true, modelId: 'anthropic/claude-opus' });
  });

  it('turns the form into a patch of its own fields, never the remembered models', () => {
    const settings = { ...DEFAULT_SETTINGS, modelId: 'x/y', siteModels: { 'https://a.example': 'x/z' }, budgetUsd: 0.25 };
    const { modelId: _model, siteModels: _sites, ...formFields } = settings;
    expect(fromForm(toForm(settings))).toEqual({ ok: true, patch: formFields });
  });

  it('rejects an empty budget instead of reading it as zero', () => {
    const result = fromForm({ ...toForm(DEFAULT_SETTINGS), budgetUsd: '' });
    expect(result).toEqual({ ok: false, errors: { budgetUsd: 'Enter an amount in US dollars above 0 and at most 1000, such as 0.50.' } });
  });

  it('keeps the stored server address when the on-device model is saved with the field emptied', () => {
    expect(fromForm({ ...toForm(DEFAULT_SETTINGS), provider: 'on-device', apiBase: '' })).toEqual({
      ok: true,
      patch: expect.not.objectContaining({ apiBase: expect.anything() }),
    });
  });
});

describe('settings writes (updateSettings)', () => {
  it('merges each patch over what is stored when it runs, one write after another', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, budgetUsd: 3 });
    // Two pages writing at once: neither puts back what the other changed.
    await Promise.all([updateSettings({ modelId: 'a/b' }), updateSettings({ language: 'fr' }), updateSettings({ concurrency: 2 })]);
    expect(await settingsItem.getValue()).toEqual({ ...DEFAULT_SETTINGS, budgetUsd: 3, modelId: 'a/b', language: 'fr', concurrency: 2 });
  });

  it('refuses a patch that would keep an invalid stored value, naming it, and writes nothing', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, concurrency: 99 } });
    await expect(updateSettings({ modelId: 'a/b' })).rejects.toThrow(/^Not saved: the saved setting concurrency is not valid/);
    expect((await fakeBrowser.storage.local.get('settings')).settings).toEqual({ ...DEFAULT_SETTINGS, concurrency: 99 });
    // A patch that replaces the bad value is written.
    await updateSettings({ concurrency: 4, modelId: 'a/b' });
    expect(await settingsItem.getValue()).toEqual({ ...DEFAULT_SETTINGS, modelId: 'a/b' });
  });

  it('refuses an invalid patch with the field and the reason', async () => {
    await expect(updateSettings({ budgetUsd: -1 })).rejects.toThrow(/^Not saved: budgetUsd: /);
  });
});

describe('options: API key field', () => {
  it('is a password field, shown only while "Show key" is pressed', async () => {
    const user = userEvent.setup();
    await writeApiKey('sk-or-v1-secret');
    await renderForm();
    const field = apiKeyField();
    expect(field.type).toBe('password');
    expect(field.value).toBe('sk-or-v1-secret');
    const toggle = screen.getByRole('button', { name: 'Show key' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(apiKeyField().type).toBe('text');
    await user.keyboard(' ');
    expect(apiKeyField().type).toBe('password');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
  });
});

describe('options: sites AltScout may read', () => {
  it('lists each grant and takes one back, moving the keyboard to the next', async () => {
    const user = userEvent.setup();
    const platform = fakePlatform();
    platform.hostAccess.held = new Set(['https://shop.example/*', 'https://cdn.shop.example/*', 'http://intranet.local/*']);
    render(wrap(platform, <OptionsApp />));
    const list = await screen.findByRole('list', { name: 'Sites AltScout may read' });
    expect(within(list).getAllByRole('listitem').map((li) => li.firstChild!.textContent)).toEqual([
      'shop.example https://shop.example/*', 'cdn.shop.example https://cdn.shop.example/*', 'intranet.local (http) http://intranet.local/*',
    ]);
    await user.click(within(list).getByRole('button', { name: 'Remove access to cdn.shop.example' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Site access status' }).textContent).toBe('AltScout can no longer read cdn.shop.example.'));
    expect([...platform.hostAccess.held]).toEqual(['https://shop.example/*', 'http://intranet.local/*']);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove access to intranet.local (http)' })));
    await user.click(screen.getByRole('button', { name: 'Remove access to intranet.local (http)' }));
    await user.click(await screen.findByRole('button', { name: 'Remove access to shop.example' }));
    await waitFor(() => expect(screen.getByText('No sites: AltScout asks each time it needs one.')).toBeTruthy());
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Sites AltScout may read' }));
  });

  it('shows access the build itself requires without a remove button', async () => {
    const platform = fakePlatform();
    platform.hostAccess.held = new Set(['<all_urls>']);
    platform.hostAccess.required = new Set(['<all_urls>']);
    render(wrap(platform, <OptionsApp />));
    const list = await screen.findByRole('list', { name: 'Sites AltScout may read' });
    expect(within(list).getByRole('listitem').textContent).toMatch(/^All sites <all_urls>granted at install/);
    expect(within(list).queryByRole('button')).toBeNull();
  });
});
