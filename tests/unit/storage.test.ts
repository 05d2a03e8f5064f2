import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { readApiKey, readSettings, settingsItem, SettingsError, updateSettings, watchApiKey, writeApiKey } from '@/lib/storage';
import { API_KEY_RECORD, KEY_DB_NAME, KEY_STORE_NAME } from '@/lib/settings/api-key';
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

  it('keeps the API key out of the settings object and out of storage.local', async () => {
    await writeApiKey('sk-or-v1-secret');
    await updateSettings({ language: 'fr' });
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('secret');
    expect(await readApiKey()).toBe('sk-or-v1-secret');
  });
});

describe('settings written as patches', () => {
  it('keeps what another writer changed meanwhile (the options page no longer puts back a model chosen in the popup)', async () => {
    await updateSettings({ modelId: 'first/model', language: 'de' });
    // Two pages write at once: the popup chooses a model, the options page saves the language.
    const [, options] = await Promise.all([updateSettings({ modelId: 'chosen/in-popup' }), updateSettings({ language: 'fr', concurrency: 2 })]);
    expect(options).toMatchObject({ modelId: 'chosen/in-popup', language: 'fr', concurrency: 2 });
    expect(await settingsItem.getValue()).toEqual({ ...DEFAULT_SETTINGS, modelId: 'chosen/in-popup', language: 'fr', concurrency: 2 });
  });

  it('refuses an invalid patch with a plain sentence and writes nothing', async () => {
    await updateSettings({ language: 'de' });
    await expect(updateSettings({ apiBase: 'http://example.com/v1' })).rejects.toThrow(/^Not saved: apiBase: Use https/);
    expect((await settingsItem.getValue()).apiBase).toBe(DEFAULT_SETTINGS.apiBase);
  });

  it('never writes defaults over a stored value that failed validation: the patch must replace every unreadable field', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, apiBase: 'http://proxy.lan/v1', modelId: 'kept/model' } });
    const error = await updateSettings({ language: 'fr' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as Error).message).toBe("Not saved: the saved setting apiBase is not valid (Use https, or http only for localhost, 127.0.0.1 or [::1].). Open AltScout's settings, fix it and save.");
    expect((await fakeBrowser.storage.local.get('settings')).settings).toMatchObject({ apiBase: 'http://proxy.lan/v1', language: '' });
    // The options page saves every field of its form: the unreadable one gets the user's value, the others are kept.
    expect(await updateSettings({ apiBase: 'http://localhost:11434/v1', language: 'fr' })).toEqual({ ...DEFAULT_SETTINGS, apiBase: 'http://localhost:11434/v1', language: 'fr', modelId: 'kept/model' });
  });

  it('treats a stored value that is not an object as unreadable in every field', async () => {
    await fakeBrowser.storage.local.set({ settings: 'garbage' });
    await expect(updateSettings({ modelId: 'x' })).rejects.toThrow(/^Not saved: the saved settings provider, apiBase, .+ are not valid/);
    expect((await fakeBrowser.storage.local.get('settings')).settings).toBe('garbage');
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
  /** What is in the extension's IndexedDB, read without the module under test. */
  const inDatabase = () =>
    new Promise<unknown>((resolve, reject) => {
      const open = indexedDB.open(KEY_DB_NAME);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains(KEY_STORE_NAME)) return resolve(undefined);
        const get = db.transaction(KEY_STORE_NAME).objectStore(KEY_STORE_NAME).get(API_KEY_RECORD);
        get.onsuccess = () => { resolve(get.result); db.close(); };
      };
    });

  it('keeps the key in the extension IndexedDB, never in storage.local', async () => {
    expect(await readApiKey()).toBe('');
    await writeApiKey('sk-or-v1-new');
    expect(await inDatabase()).toBe('sk-or-v1-new');
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    await writeApiKey('');
    expect(await readApiKey()).toBe('');
  });

  it('moves a key from the old storage.local item into IndexedDB, then removes the old item', async () => {
    await fakeBrowser.storage.local.set({ apiKey: 'sk-or-v1-old', apiKey$: { v: 1 } });
    expect(await readApiKey()).toBe('sk-or-v1-old');
    expect(await inDatabase()).toBe('sk-or-v1-old');
    expect(await fakeBrowser.storage.local.get(['apiKey', 'apiKey$'])).toEqual({});
    // A key written since is never replaced by an old one that shows up later.
    await writeApiKey('sk-or-v1-current');
    await fakeBrowser.storage.local.set({ apiKey: 'sk-or-v1-stale' });
    expect(await readApiKey()).toBe('sk-or-v1-current');
    expect(await fakeBrowser.storage.local.get('apiKey')).toEqual({});
  });

  it('reads a stored non-string as no key and leaves it alone', async () => {
    await fakeBrowser.storage.local.set({ apiKey: { leaked: true } });
    expect(await readApiKey()).toBe('');
    expect(await fakeBrowser.storage.local.get('apiKey')).toEqual({ apiKey: { leaked: true } });
  });

  it('tells watchers that the key changed, without the key', async () => {
    const calls: unknown[][] = [];
    const stop = watchApiKey((...args: unknown[]) => void calls.push(args));
    await writeApiKey('sk-or-v1-a');
    expect(calls).toEqual([[]]);
    stop();
    await writeApiKey('sk-or-v1-b');
    expect(calls).toHaveLength(1);
  });
});
