import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { apiKeyItem, readSettings, settingsItem } from '@/lib/storage';
import { DEFAULT_SETTINGS, SettingsSchema, checkApiBase } from '@/lib/settings/schema';

beforeEach(() => fakeBrowser.reset());

describe('settings storage', () => {
  it('falls back to defaults on a fresh install', async () => {
    expect(await readSettings()).toEqual({ value: DEFAULT_SETTINGS });
  });

  it('round-trips saved settings', async () => {
    const saved = { ...DEFAULT_SETTINGS, apiBase: 'http://localhost:11434/v1', concurrency: 2 };
    await settingsItem.setValue(saved);
    expect((await readSettings()).value).toEqual(saved);
  });

  it('reports a corrupt stored value, uses defaults and leaves the stored value alone', async () => {
    await fakeBrowser.storage.local.set({ settings: { apiBase: 42, concurrency: 'many' } });
    const read = await readSettings();
    expect(read.value).toEqual(DEFAULT_SETTINGS);
    expect(read.error).toMatch(/^Your saved settings could not be read \((apiBase|concurrency): [^)]+\); defaults are shown until you save again\.$/);
    expect(read.error).not.toMatch(/local:/);
    expect(await fakeBrowser.storage.local.get('settings')).toEqual({ settings: { apiBase: 42, concurrency: 'many' } });
  });

  it('keeps the API key out of the settings object', async () => {
    await apiKeyItem.setValue('sk-or-v1-secret');
    await settingsItem.setValue(DEFAULT_SETTINGS);
    expect(JSON.stringify(await settingsItem.getValue())).not.toContain('secret');
  });
});

describe('API base URL rule', () => {
  it.each(['https://openrouter.ai/api/v1', 'http://localhost:11434/v1', 'http://127.0.0.1:1234/v1', 'http://[::1]:8000/v1'])(
    'allows %s',
    (url) => expect(checkApiBase(url)).toBeNull(),
  );
  it.each(['http://example.com/v1', 'http://192.168.1.5/v1', 'ftp://x', 'openrouter.ai'])('refuses %s', (url) =>
    expect(checkApiBase(url)).not.toBeNull(),
  );
  it('strips trailing slashes', () => {
    expect(SettingsSchema.parse({ apiBase: 'https://openrouter.ai/api/v1/' }).apiBase).toBe('https://openrouter.ai/api/v1');
  });
});

// The pattern every versioned item follows: write the old shape at the old version, read
// through the new definition, and the migration has run.
describe('versioned migration pattern', () => {
  it('migrates a v1 value to v2 on first read', async () => {
    await fakeBrowser.storage.local.set({ example: { theme: 'dark' }, 'example$': { v: 1 } });
    const v2 = storage.defineItem<{ theme: string; density: string }>('local:example', {
      fallback: { theme: 'light', density: 'normal' },
      version: 2,
      migrations: { 2: (old: { theme: string }) => ({ ...old, density: 'normal' }) },
    });
    await v2.migrate();
    expect(await v2.getValue()).toEqual({ theme: 'dark', density: 'normal' });
  });
});

describe('API key storage', () => {
  it('reads a stored non-string as no key instead of failing later', async () => {
    await fakeBrowser.storage.local.set({ apiKey: { leaked: true } });
    const { readApiKey } = await import('@/lib/storage');
    expect(await readApiKey()).toBe('');
    expect(await fakeBrowser.storage.local.get('apiKey')).toEqual({ apiKey: { leaked: true } });
  });
});
