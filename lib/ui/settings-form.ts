import { SettingsSchema, type Settings } from '../settings/schema';

/**
 * The options form keeps what the user typed as text (a half-typed "0." must not be turned into
 * a number and back) and turns it into Settings only on save, with a sentence per bad field.
 */
export interface SettingsForm {
  provider: Settings['provider'];
  apiBase: string;
  language: string;
  length: Settings['length'];
  markAiGenerated: boolean;
  budgetUsd: string;
  concurrency: string;
}

export type FormField = keyof SettingsForm;
export type FieldErrors = Partial<Record<FormField, string>>;

export function toForm(s: Pick<Settings, FormField>): SettingsForm {
  return {
    provider: s.provider,
    apiBase: s.apiBase,
    language: s.language,
    length: s.length,
    markAiGenerated: s.markAiGenerated,
    budgetUsd: String(s.budgetUsd),
    concurrency: String(s.concurrency),
  };
}

const FRIENDLY: Partial<Record<FormField, string>> = {
  budgetUsd: 'Enter an amount in US dollars above 0 and at most 1000, such as 0.50.',
  concurrency: 'Enter a whole number from 1 to 16.',
  language: 'Use a language tag such as en, fr or pt-BR (35 characters at most).',
};

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/** The settings the form edits, and nothing else: saving the form writes only these. */
const FormSchema = SettingsSchema.pick({
  provider: true, apiBase: true, language: true, length: true, markAiGenerated: true, budgetUsd: true, concurrency: true,
});

/**
 * The form as a settings patch (`updateSettings`): only the form's own fields, so a model chosen
 * in the popup or on the models page while the form was open is left as it is.
 */
export function fromForm(form: SettingsForm): { ok: true; patch: Partial<Pick<Settings, FormField>> } | { ok: false; errors: FieldErrors } {
  // The on-device model needs no server: an empty address field keeps the stored one.
  const keepApiBase = form.provider === 'on-device' && form.apiBase.trim() === '';
  const schema = keepApiBase ? FormSchema.omit({ apiBase: true }) : FormSchema;
  const parsed = schema.safeParse({ ...form, budgetUsd: number(form.budgetUsd), concurrency: number(form.concurrency) });
  if (parsed.success) return { ok: true, patch: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as FormField;
    if (field in form && !errors[field]) errors[field] = FRIENDLY[field] ?? issue.message;
  }
  return { ok: false, errors };
}

export const FIELD_LABELS: Record<FormField, string> = {
  provider: 'Provider',
  apiBase: 'API base URL',
  language: 'Output language',
  length: 'Description length',
  markAiGenerated: 'Mark as AI-generated',
  budgetUsd: 'Budget cap per job',
  concurrency: 'Images described at once',
};

/** "Not saved: fix API base URL and Budget cap per job." */
export function errorSummary(errors: FieldErrors): string {
  const names = (Object.keys(errors) as FormField[]).map((f) => FIELD_LABELS[f]);
  if (names.length === 0) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `Not saved: fix ${list}.`;
}

/** Output languages offered in the menu; any other stored tag is kept and shown too. */
export const LANGUAGES: Array<[string, string]> = [
  ['', 'Same as the page'],
  ['en', 'English'],
  ['es', 'Spanish'],
  ['fr', 'French'],
  ['de', 'German'],
  ['it', 'Italian'],
  ['pt', 'Portuguese'],
  ['nl', 'Dutch'],
  ['sv', 'Swedish'],
  ['pl', 'Polish'],
  ['cs', 'Czech'],
  ['tr', 'Turkish'],
  ['uk', 'Ukrainian'],
  ['ru', 'Russian'],
  ['ar', 'Arabic'],
  ['hi', 'Hindi'],
  ['ja', 'Japanese'],
  ['ko', 'Korean'],
  ['zh', 'Chinese'],
];
