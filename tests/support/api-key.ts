import type { Page, Worker } from 'playwright-core';
import { API_KEY_RECORD, KEY_DB_NAME, KEY_STORE_NAME } from '../../lib/settings/api-key';

/**
 * The API key as the extension keeps it (its own IndexedDB, lib/settings/api-key.ts), written and
 * read from the worker or an extension page the way a test sets a key up. The two functions below
 * are sent as source text (Playwright's evaluate, the shared driver's inExtension): they close over
 * nothing and get the database's names as their argument.
 */
export const KEY_NAMES = { db: KEY_DB_NAME, store: KEY_STORE_NAME, record: API_KEY_RECORD };
type Names = typeof KEY_NAMES;

/** Writes the key, or removes it when `key` is null, in this context's IndexedDB. */
export async function putApiKeyHere({ db, store, record, key }: Names & { key: string | null }): Promise<void> {
  const open = indexedDB.open(db, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(store);
  const conn = await new Promise<IDBDatabase>((ok, no) => { open.onsuccess = () => ok(open.result); open.onerror = () => no(open.error); });
  const tx = conn.transaction(store, 'readwrite');
  if (key == null) tx.objectStore(store).delete(record);
  else tx.objectStore(store).put(key, record);
  await new Promise((ok, no) => { tx.oncomplete = ok; tx.onerror = () => no(tx.error); });
  conn.close();
}

/** Reads the key from this context's IndexedDB: "key: …", "no key", or "no key store" (a database without the extension's store). */
export async function getApiKeyHere({ db, store, record }: Names): Promise<string> {
  return new Promise<string>((resolve) => {
    const open = indexedDB.open(db);
    open.onerror = () => resolve(`refused: ${open.error}`);
    open.onsuccess = () => {
      const conn = open.result;
      if (!conn.objectStoreNames.contains(store)) {
        conn.close();
        return resolve('no key store');
      }
      const get = conn.transaction(store).objectStore(store).get(record);
      get.onsuccess = () => {
        conn.close();
        resolve(get.result === undefined ? 'no key' : `key: ${get.result}`);
      };
    };
  });
}

type Context = Pick<Worker, 'evaluate'> | Pick<Page, 'evaluate'>;

export async function setApiKey(context: Context, key: string | null): Promise<void> {
  await (context as Worker).evaluate(putApiKeyHere, { ...KEY_NAMES, key });
}

export async function readApiKeyIn(context: Context): Promise<string> {
  return (await (context as Worker).evaluate(getApiKeyHere, KEY_NAMES)) as string;
}

/** The same read as an expression, for contexts reached through the DevTools protocol (a content script's world). */
export const READ_KEY_EXPRESSION = `(${getApiKeyHere.toString()})(${JSON.stringify(KEY_NAMES)})`;
