import { useEffect, useState, type FormEvent } from 'react';
import { settingsItem, apiKeyItem, readSettings } from '@/lib/storage';
import { SettingsSchema, type Settings } from '@/lib/settings/schema';

export function OptionsApp() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [apiKey, setApiKey] = useState('');
  const [status, setStatus] = useState('');

  useEffect(() => {
    readSettings().then(({ value, error }) => {
      setSettings(value);
      if (error) setStatus(error);
    });
    apiKeyItem.getValue().then(setApiKey);
  }, []);

  if (!settings) return <main className="popup"><p role="status">Loading settings…</p></main>;

  async function save(event: FormEvent) {
    event.preventDefault();
    const parsed = SettingsSchema.safeParse(settings);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setStatus(`Not saved: ${issue?.path.join('.')}: ${issue?.message}`);
      return;
    }
    await settingsItem.setValue(parsed.data);
    await apiKeyItem.setValue(apiKey.trim());
    setStatus('Saved.');
  }

  return (
    <main className="popup">
      <h1>AltScout settings</h1>
      <form onSubmit={save}>
        <label htmlFor="apiBase">API base URL</label>
        <input id="apiBase" type="url" value={settings.apiBase}
          onChange={(e) => setSettings({ ...settings, apiBase: e.target.value })} />
        <label htmlFor="apiKey">API key</label>
        <input id="apiKey" type="password" autoComplete="off" value={apiKey}
          onChange={(e) => setApiKey(e.target.value)} />
        <p><button className="primary" type="submit">Save</button></p>
        <p role="status">{status}</p>
      </form>
    </main>
  );
}
