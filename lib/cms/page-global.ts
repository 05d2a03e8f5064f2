import { fill, inspect, saveScreen, saveState, undo, waitForSave } from './index';

/**
 * The CMS adapters as one script that defines `__altscoutCms` for the document it runs in: what
 * the extension injects on demand into an editing screen (in the content scripts' isolated world,
 * never into the scanner's always-present content script), and what the end-to-end tests
 * evaluate in a real WordPress. Every method takes and returns plain data.
 */
declare global {
  // eslint-disable-next-line no-var
  var __altscoutCms: CmsGlobal | undefined;
}

export interface CmsGlobal {
  inspect: () => ReturnType<typeof inspect>;
  fill: (changes: Parameters<typeof fill>[1]) => ReturnType<typeof fill>;
  undo: (records: Parameters<typeof undo>[1]) => ReturnType<typeof undo>;
  saveState: (key: string) => ReturnType<typeof saveState>;
  waitForSave: (key: string, timeoutMs?: number) => ReturnType<typeof waitForSave>;
  save: () => boolean;
}

globalThis.__altscoutCms ??= {
  inspect: () => inspect(document),
  fill: (changes) => fill(document, changes),
  undo: (records) => undo(document, records),
  saveState: (key) => saveState(document, key),
  waitForSave: (key, timeoutMs) => waitForSave(document, key, timeoutMs),
  save: () => saveScreen(document),
};
