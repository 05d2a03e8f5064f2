import { afterEach, beforeEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';

// Testing Library only cleans up by itself when vitest globals are on; we keep them off.
afterEach(() => cleanup());

// The API key lives in the extension's IndexedDB (lib/settings/api-key.ts): each test starts with an empty one.
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
