import { describe, expect, it } from 'vitest';
import { providerChoices } from '@/lib/ui/providers';

describe('providerChoices', () => {
  it('offers Chrome\'s built-in model in Chrome, with no note', () => {
    const { choices, note } = providerChoices('chrome', 'openrouter');
    expect(choices.map((c) => c.value)).toEqual(['openrouter', 'custom', 'on-device']);
    expect(note).toBeNull();
  });

  it('does not offer it in Firefox, and says what keeps images on this computer there', () => {
    const { choices, note } = providerChoices('firefox', 'openrouter');
    expect(choices.map((c) => c.value)).toEqual(['openrouter', 'custom']);
    expect(note).toMatch(/^Firefox has no built-in model.*local server.*Another OpenAI-compatible server\.$/);
  });

  it('still lists a saved on-device choice in Firefox, saying it cannot run there', () => {
    const { choices } = providerChoices('firefox', 'on-device');
    expect(choices.map((c) => c.value)).toEqual(['openrouter', 'custom', 'on-device']);
    expect(choices.at(-1)?.hint).toMatch(/^Not in Firefox/);
  });
});
