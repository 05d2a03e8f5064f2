/**
 * The API key, kept in the extension's own IndexedDB rather than in storage.local. Content scripts
 * run in the page's origin, so their IndexedDB is the page's, never the extension's: the key is
 * out of their reach in Chrome and Firefox alike (Firefox lets content scripts read storage.local;
 * Chromium does unless the worker closes it, which it also does). Only the worker and the options
 * page open it. Pure over the IDBFactory it is given, so unit tests can pass fake-indexeddb.
 */
export const KEY_DB_NAME = 'altscout-secrets';
export const KEY_STORE_NAME = 'secrets';
export const API_KEY_RECORD = 'apiKey';
/** Extension pages and the worker tell each other that the key changed (never what it is). */
export const KEY_CHANNEL = 'altscout-api-key';

const request = <T>(req: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

const done = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('The key store transaction was aborted.'));
  });

export class KeyStore {
  constructor(private factory: () => IDBFactory | undefined) {}

  private async open(): Promise<IDBDatabase> {
    const idb = this.factory();
    if (!idb) throw new Error('This browser gives AltScout no IndexedDB to keep the API key in.');
    const req = idb.open(KEY_DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(KEY_STORE_NAME);
    return request(req);
  }

  /** Runs one transaction and closes the database after it (no connection is kept between calls). */
  private async with<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => Promise<T>): Promise<T> {
    const db = await this.open();
    try {
      const tx = db.transaction(KEY_STORE_NAME, mode);
      const [result] = await Promise.all([work(tx.objectStore(KEY_STORE_NAME)), done(tx)]);
      return result;
    } finally {
      db.close();
    }
  }

  /** The key; undefined when none was ever stored (an emptied key reads as ''). */
  read(): Promise<string | undefined> {
    return this.with('readonly', async (store) => {
      const value: unknown = await request(store.get(API_KEY_RECORD));
      return typeof value === 'string' ? value : undefined;
    });
  }

  write(key: string): Promise<void> {
    return this.with('readwrite', async (store) => void (await request(store.put(key, API_KEY_RECORD))));
  }

  /** Stores the key only if none is stored yet, in one transaction; true when it did. */
  writeIfAbsent(key: string): Promise<boolean> {
    return this.with('readwrite', async (store) => {
      if ((await request(store.getKey(API_KEY_RECORD))) !== undefined) return false;
      await request(store.put(key, API_KEY_RECORD));
      return true;
    });
  }
}
