import { describe, expect, it } from 'vitest';
import { closeStorageToContentScripts } from '@/lib/background/storage-access';

// Chromium itself is checked end to end (tests/e2e/key-safety.test.ts); here, the browsers that
// cannot close storage.local: the worker must start anyway and say the area stayed open.
describe('closing storage.local to content scripts', () => {
  it('asks for trusted contexts only where the browser can do it', async () => {
    const asked: unknown[] = [];
    expect(await closeStorageToContentScripts({ setAccessLevel: async (options) => void asked.push(options) })).toBe(true);
    expect(asked).toEqual([{ accessLevel: 'TRUSTED_CONTEXTS' }]);
  });

  it('reports the area open, without throwing, where the browser has no such setting or refuses it', async () => {
    expect(await closeStorageToContentScripts({})).toBe(false);
    expect(await closeStorageToContentScripts({ setAccessLevel: () => Promise.reject(new Error('only storage.session')) })).toBe(false);
  });
});
