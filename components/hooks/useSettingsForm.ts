import { useEffect, useState } from 'react';
import { readApiKey, readSettings, updateSettings, writeApiKey } from '@/lib/storage';
import { errorSummary, fromForm, toForm, type FieldErrors, type FormField, type SettingsForm } from '@/lib/ui/settings-form';
import { errorText } from '../api';

/**
 * The options form's state: what the user typed (as text), the key, the errors per field and the
 * form's status line. Saving writes a patch of the form's own fields (`updateSettings`), so a model
 * picked elsewhere while the page was open stays picked.
 */
export function useSettingsForm() {
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [apiKey, setApiKey] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState('');

  useEffect(() => {
    Promise.all([readSettings(), readApiKey()]).then(([{ value, error }, key]) => {
      setForm(toForm(value));
      setApiKey(key);
      if (error) setStatus(error);
    });
  }, []);

  function set<K extends FormField>(key: K, value: SettingsForm[K]) {
    setForm((f) => f && { ...f, [key]: value });
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  }

  /** Validates and saves; when a field is wrong, names the first one so the form can focus it. */
  async function save(): Promise<{ saved: true } | { saved: false; invalid?: FormField }> {
    if (!form) return { saved: false };
    const result = fromForm(form);
    if (!result.ok) {
      setErrors(result.errors);
      setStatus(errorSummary(result.errors));
      return { saved: false, invalid: Object.keys(result.errors)[0] as FormField };
    }
    try {
      // Saved together so the key never points at a server it was not meant for.
      await updateSettings(result.patch);
      await writeApiKey(apiKey.trim());
    } catch (e) {
      const text = errorText(e);
      setStatus(text.startsWith('Not saved') ? text : `Not saved: ${text}`);
      return { saved: false };
    }
    // What is stored now, cleaned (a trailing slash gone, a number as typed): the form shows it.
    setForm(toForm((await readSettings()).value));
    setErrors({});
    setStatus('Saved.');
    return { saved: true };
  }

  return { form, set, apiKey, setApiKey, errors, status, setStatus, save };
}
