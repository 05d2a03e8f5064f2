import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { readApiKey, captionCacheItem } from '@/lib/storage';
import { DEFAULT_API_BASE } from '@/lib/settings/schema';
import { LANGUAGES, type FormField } from '@/lib/ui/settings-form';
import { providerChoices } from '@/lib/ui/providers';
import { errorText, usePlatform } from './api';
import { useSettingsForm } from './hooks/useSettingsForm';

/** Every setting on one form, validated with the settings schema and saved with a clear result. */
export function SettingsForm() {
  const platform = usePlatform();
  const { form, set, apiKey, setApiKey, errors, status, setStatus, save: saveForm } = useSettingsForm();
  const [keyStatus, setKeyStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  if (!form) {
    return <p role="status">Loading settings…</p>;
  }

  async function save(): Promise<boolean> {
    const result = await saveForm();
    if (!result.saved && result.invalid) formRef.current?.querySelector<HTMLElement>(`[name="${result.invalid}"]`)?.focus();
    return result.saved;
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    await save();
  }

  /** Both key actions use the saved settings (the worker reads them), so they save first. */
  async function keyAction(waiting: string, failed: string, act: () => Promise<string>) {
    if (!(await save())) return;
    setBusy(true);
    setKeyStatus(waiting);
    try {
      setKeyStatus(await act());
    } catch (e) {
      setKeyStatus(`${failed}: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  }

  const check = () => keyAction('Checking…', 'Could not check the key', async () => (await platform.send('checkKey', {})).message);

  // The worker signs in against the saved base URL and stores the key itself.
  const connect = () =>
    keyAction('Waiting for OpenRouter…', 'Could not connect', async () => {
      const result = await platform.send('connectOpenRouter', {});
      if (!result.ok) return result.message;
      setApiKey(await readApiKey());
      return `Connected. ${result.message}`;
    });

  async function clearCache() {
    const cached = Object.keys((await captionCacheItem.getValue()) ?? {}).length;
    await captionCacheItem.removeValue();
    setStatus(cached ? `Cleared ${cached} saved ${cached === 1 ? 'description' : 'descriptions'}.` : 'The cache was already empty.');
  }

  const usesServer = form.provider !== 'on-device';
  // Firefox has no built-in model: its build does not offer it, and says what to use instead.
  const providers = providerChoices(import.meta.env.BROWSER, form.provider);
  const languages = LANGUAGES.some(([tag]) => tag === form.language) ? LANGUAGES : [...LANGUAGES, [form.language, form.language] as [string, string]];

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      <fieldset aria-describedby={providers.note ? 'provider-note' : undefined}>
        <legend>Provider</legend>
        {providers.choices.map(({ value, label, hint }) => (
          <label key={value} className="check">
            <input type="radio" name="provider" value={value} checked={form.provider === value} onChange={() => set('provider', value)} />{' '}
            {label} <span className="hint">— {hint}</span>
          </label>
        ))}
        {providers.note && (
          <p id="provider-note" className="hint">
            {providers.note}
          </p>
        )}
      </fieldset>

      {usesServer && (
        <>
          <Field name="apiBase" label="API base URL" error={errors.apiBase} hint={`OpenRouter: ${DEFAULT_API_BASE}`}>
            {(props) => (
              <input {...props} type="url" inputMode="url" spellCheck={false} value={form.apiBase} onChange={(e) => set('apiBase', e.target.value)} />
            )}
          </Field>
          <div className="field">
            <label htmlFor="apiKey">API key</label>
            <ApiKeyInput value={apiKey} onChange={setApiKey} />
            <p id="apiKey-hint" className="hint">
              Kept in this browser and sent only to the API base URL; never to a web page.
            </p>
            <div className="row">
              {form.provider === 'openrouter' && (
                <button type="button" onClick={connect} disabled={busy}>
                  Connect OpenRouter
                </button>
              )}
              <button type="button" onClick={check} disabled={busy}>
                Check key and credit
              </button>
            </div>
            <p role="status" aria-label="Key check" className="small">
              {keyStatus}
            </p>
          </div>
        </>
      )}

      <Field name="language" label="Output language" error={errors.language}>
        {(props) => (
          <select {...props} value={form.language} onChange={(e) => set('language', e.target.value)}>
            {languages.map(([tag, name]) => (
              <option key={tag} value={tag}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>

      <fieldset>
        <legend>Description length</legend>
        <label className="check">
          <input type="radio" name="length" checked={form.length === 'short'} onChange={() => set('length', 'short')} /> Short{' '}
          <span className="hint">— one sentence, what a screen reader user needs</span>
        </label>
        <label className="check">
          <input type="radio" name="length" checked={form.length === 'detailed'} onChange={() => set('length', 'detailed')} /> Detailed{' '}
          <span className="hint">— adds a long description for charts and diagrams</span>
        </label>
      </fieldset>

      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            name="markAiGenerated"
            checked={form.markAiGenerated}
            aria-describedby="mark-hint"
            onChange={(e) => set('markAiGenerated', e.target.checked)}
          />{' '}
          Mark as AI-generated
        </label>
        <p id="mark-hint" className="hint">
          Ends each description with “(AI-generated)” and records the model and time on each image it is applied to
          (data-altscout-model, data-altscout-time).
        </p>
      </div>

      <Field name="budgetUsd" label="Budget cap per job (USD)" error={errors.budgetUsd} hint="A job stops before it would spend more.">
        {(props) => <input {...props} type="number" min="0.01" max="1000" step="0.01" value={form.budgetUsd} onChange={(e) => set('budgetUsd', e.target.value)} />}
      </Field>
      <Field name="concurrency" label="Images described at once" error={errors.concurrency} hint="1 to 16. Free models allow about 20 requests a minute.">
        {(props) => <input {...props} type="number" min="1" max="16" step="1" value={form.concurrency} onChange={(e) => set('concurrency', e.target.value)} />}
      </Field>

      <div className="row">
        <button className="primary" type="submit">
          Save
        </button>
        <button type="button" onClick={clearCache}>
          Clear cache
        </button>
      </div>
      <p role="status" aria-label="Settings status" className={Object.keys(errors).some((k) => errors[k as FormField]) ? 'error' : undefined}>
        {status}
      </p>
    </form>
  );
}

interface FieldProps {
  name: FormField;
  label: string;
  error?: string;
  hint?: string;
  children(props: { id: string; name: string; 'aria-invalid'?: true; 'aria-describedby'?: string }): ReactNode;
}

function Field({ name, label, error, hint, children }: FieldProps) {
  const described = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      {children({ id: name, name, ...(error ? { 'aria-invalid': true as const } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
      {hint && (
        <p id={`${name}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A password field (not shown, not kept by autofill) with a "Show key" toggle button. */
function ApiKeyInput({ value, onChange }: { value: string; onChange(value: string): void }) {
  const [shown, setShown] = useState(false);
  return (
    <div className="row nowrap">
      <input
        id="apiKey"
        name="apiKey"
        type={shown ? 'text' : 'password'}
        className="key"
        autoComplete="off"
        spellCheck={false}
        aria-describedby="apiKey-hint"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <button type="button" aria-pressed={shown} aria-controls="apiKey" onClick={() => setShown(!shown)}>
        Show key
      </button>
    </div>
  );
}
