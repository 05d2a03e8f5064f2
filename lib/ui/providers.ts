import type { Settings } from '../settings/schema';

export type Provider = Settings['provider'];

export interface ProviderChoice {
  value: Provider;
  label: string;
  hint: string;
}

const OPENROUTER: ProviderChoice = { value: 'openrouter', label: 'OpenRouter', hint: 'Hundreds of vision models, one key, pay per image.' };
const CUSTOM: ProviderChoice = { value: 'custom', label: 'Another OpenAI-compatible server', hint: 'Ollama, LM Studio, vLLM or a proxy; plain http only on this computer.' };
const ON_DEVICE: ProviderChoice = {
  value: 'on-device',
  label: 'Chrome on-device model',
  hint: 'Free and private: images never leave this computer. Needs a recent Chrome with the built-in model.',
};

/**
 * The providers the options page offers in this browser (`import.meta.env.BROWSER` of the build).
 * Chrome's built-in model (the Prompt API) exists only in Chrome: Firefox's build does not offer
 * it, and says what gives the same privacy there. A saved choice is always listed, so the form
 * shows what is saved, with why it cannot run here.
 */
export function providerChoices(browser: string, current: Provider): { choices: ProviderChoice[]; note: string | null } {
  if (browser !== 'firefox') return { choices: [OPENROUTER, CUSTOM, ON_DEVICE], note: null };
  const choices = [OPENROUTER, CUSTOM];
  if (current === 'on-device') choices.push({ ...ON_DEVICE, hint: 'Not in Firefox: jobs with it stop. Pick another provider.' });
  return {
    choices,
    note: 'Firefox has no built-in model like Chrome\'s. To keep images on this computer, run a local server (Ollama, LM Studio) and choose Another OpenAI-compatible server.',
  };
}
