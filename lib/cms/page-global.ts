import { fill, inspect, saveScreen, saveState, undo, waitForSave, type UndoRecord } from './index';
import type { CmsField } from './types';

/**
 * The CMS adapters as one script that defines `__altscoutCms` for the document it runs in: what
 * the extension injects on demand into an editing screen (`/cms.js`, in the content scripts'
 * isolated world, never the page's), and what the end-to-end tests evaluate in a real WordPress.
 * Every method takes and returns plain data.
 *
 * `doc` names this document, like the page agent's token (lib/page/finding-id.ts): the worker
 * makes each field's id from it, so a fill or undo meant for a document that has since reloaded
 * changes nothing. The undo log (what each field held before AltScout wrote) lives here too, in
 * the isolated world the page cannot read, and goes when the document does.
 */
declare global {
  // eslint-disable-next-line no-var
  var __altscoutCms: CmsGlobal | undefined;
}

export interface CmsHello {
  doc: string;
  url: string;
}

export interface CmsGlobal {
  hello: () => CmsHello;
  inspect: () => ReturnType<typeof inspect>;
  fill: (changes: Parameters<typeof fill>[1]) => ReturnType<typeof fill>;
  undo: (records: Parameters<typeof undo>[1]) => ReturnType<typeof undo>;
  saveState: (key: string) => ReturnType<typeof saveState>;
  waitForSave: (key: string, timeoutMs?: number) => ReturnType<typeof waitForSave>;
  save: () => boolean;
  /** Keeps what fields held before AltScout wrote them (fills written through the page's editor API). */
  remember: (records: UndoRecord[]) => void;
  /** The undo records of these keys, as far as this document has them. */
  records: (keys: string[]) => UndoRecord[];
  /** Forgets these keys' records (after an undo). */
  forget: (keys: string[]) => void;
  /** Keeps the media library's images being described ("Describe the media library"), for the job and the fill. */
  rememberLibrary: (fields: CmsField[]) => void;
  library: () => CmsField[];
}

/** 12 base-36 characters from the platform's random source, as the page agent's token. */
function documentToken(): string {
  const [a, b] = crypto.getRandomValues(new Uint32Array(2));
  return `c${(a.toString(36) + b.toString(36)).padStart(11, '0').slice(-11)}`;
}

/** The most fields one document's log keeps (a media library of thousands, filled one modal at a time). */
const MAX_LOG = 20_000;

/** The CMS script's face for one document (what `__altscoutCms` holds). */
export function createCmsGlobal(document: Document): CmsGlobal {
  const doc = documentToken();
  const log = new Map<string, UndoRecord>();
  let library: CmsField[] = [];
  const remember = (records: UndoRecord[]) => {
    for (const r of records) {
      // The first value before AltScout is what Undo goes back to; a later fill only moves `written`.
      const earlier = log.get(r.key);
      log.delete(r.key);
      log.set(r.key, { key: r.key, previous: earlier ? earlier.previous : r.previous, written: r.written });
    }
    while (log.size > MAX_LOG) log.delete(log.keys().next().value!);
  };
  return {
    hello: () => ({ doc, url: document.URL }),
    inspect: () => inspect(document),
    fill: (changes) => {
      const results = fill(document, changes);
      remember(results.flatMap((r) => (r.ok ? [{ key: r.key, previous: r.previous, written: r.written }] : [])));
      return results;
    },
    undo: (records) => undo(document, records),
    saveState: (key) => saveState(document, key),
    waitForSave: (key, timeoutMs) => waitForSave(document, key, timeoutMs),
    save: () => saveScreen(document),
    remember,
    records: (keys) => keys.flatMap((k) => (log.has(k) ? [log.get(k)!] : [])),
    forget: (keys) => keys.forEach((k) => log.delete(k)),
    rememberLibrary: (fields) => {
      library = fields.slice(0, 10_000);
    },
    library: () => library,
  };
}

globalThis.__altscoutCms ??= createCmsGlobal(document);
