import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { apiKeyItem, captionCacheItem, settingsItem } from '@/lib/storage';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import { SettingsForm } from '@/components/SettingsForm';
import { fromForm, toForm } from '@/lib/ui/settings-form';
import { fakePlatform, wrap } from './popup-fixtures';

beforeEach(() => fakeBrowser.reset());

const status = () => screen.getByRole('status', { name: 'Settings status' });

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
    await user.type(screen.getByRole('textbox', { name: 'API key' }), '  sk-local  ');
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

    expect(status().textContent).toBe('Saved.');
    expect(await settingsItem.getValue()).toEqual({
      provider: 'custom', apiBase: 'http://localhost:11434/v1', language: 'fr', length: 'detailed', markAiGenerated: true,
      budgetUsd: 2.5, concurrency: 8, modelId: 'google/gemini-3.1-flash-lite',
    });
    expect(await apiKeyItem.getValue()).toBe('sk-local');
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
    await user.type(screen.getByRole('textbox', { name: 'API key' }), 'sk-or-v1-test');
    await user.click(screen.getByRole('button', { name: 'Check key and credit' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Key check' }).textContent).toBe('The key works; $9.9998 of credit left.'));
    expect(await apiKeyItem.getValue()).toBe('sk-or-v1-test');
    expect(platform.callsTo('checkKey')).toHaveLength(1);
  });

  it('saves, then connects OpenRouter through the worker and shows the key it stored', async () => {
    const user = userEvent.setup();
    const platform = await renderForm(fakePlatform({
      connectOpenRouter: async () => {
        await apiKeyItem.setValue('sk-or-v1-connected');
        return { ok: true, message: 'The key works and has no spending limit.', creditUsd: null };
      },
    }));
    await user.click(screen.getByRole('checkbox', { name: 'Mark as AI-generated' }));
    await user.click(screen.getByRole('button', { name: 'Connect OpenRouter' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Key check' }).textContent).toBe('Connected. The key works and has no spending limit.'));
    expect((await settingsItem.getValue()).markAiGenerated).toBe(true);
    expect(platform.callsTo('connectOpenRouter')).toHaveLength(1);
    expect(screen.getByRole('textbox', { name: 'API key' })).toHaveProperty('value', 'sk-or-v1-connected');
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
    expect(screen.queryByRole('textbox', { name: 'API key' })).toBeNull();
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

describe('options: form conversion', () => {
  it('round-trips settings and keeps the remembered model', () => {
    const settings = { ...DEFAULT_SETTINGS, modelId: 'x/y', budgetUsd: 0.25 };
    expect(fromForm(toForm(settings), settings)).toEqual({ ok: true, settings });
  });
  it('rejects an empty budget instead of reading it as zero', () => {
    const result = fromForm({ ...toForm(DEFAULT_SETTINGS), budgetUsd: '' }, DEFAULT_SETTINGS);
    expect(result).toEqual({ ok: false, errors: { budgetUsd: 'Enter an amount in US dollars above 0 and at most 1000, such as 0.50.' } });
  });
});
