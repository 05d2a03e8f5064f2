import { describe, expect, it } from 'vitest';
import { providerFromEnv } from '@/lib/cli/provider-env';
import { DEFAULT_API_BASE } from '@/lib/settings/schema';

describe('the provider describe and compare talk to, from the environment', () => {
  it('is OpenRouter with the key by default, and a local server needs no key', () => {
    expect(providerFromEnv({ OPENROUTER_API_KEY: 'sk-or-v1-x' })).toEqual({ apiBase: DEFAULT_API_BASE, apiKey: 'sk-or-v1-x' });
    expect(providerFromEnv({ ALTSCOUT_API_BASE: 'http://localhost:11434/v1/' })).toEqual({ apiBase: 'http://localhost:11434/v1', apiKey: '' });
  });

  it('says what is wrong: OpenRouter without a key, a plain-http base that is not this computer', () => {
    expect(providerFromEnv({})).toEqual({ error: 'Set OPENROUTER_API_KEY to your OpenRouter key (https://openrouter.ai/settings/keys).' });
    expect(providerFromEnv({ ALTSCOUT_API_BASE: 'http://proxy.lan/v1', OPENROUTER_API_KEY: 'k' })).toMatchObject({ error: expect.stringMatching(/^ALTSCOUT_API_BASE: .*https/) });
  });
});
