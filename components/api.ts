import { createContext, useContext } from 'react';
import { browser } from 'wxt/browser';
import { send, type Input, type Output, type WorkerMessage } from '@/lib/messaging';
import { browserHostAccess, type HostAccess } from './host-access';

/**
 * What the UI needs from the outside world, behind one context so the same components run in
 * the popup, the report tab and unit tests (which provide schema-checked answers).
 */
export interface Platform {
  send<K extends WorkerMessage>(name: K, data: Input<K>): Promise<Output<K>>;
  openTab(path: string): Promise<void>;
  openOptions(): Promise<void>;
  copy(text: string): Promise<void>;
  download(fileName: string, mime: string, text: string): void;
  now(): number;
  /** Which sites AltScout may read, and asking for more (from a click). */
  hostAccess: HostAccess;
}

export const browserPlatform: Platform = {
  send: (name, data) => send(name, data),
  openTab: async (path) => {
    await browser.tabs.create({ url: /^https?:/.test(path) ? path : browser.runtime.getURL(path as '/popup.html') });
  },
  openOptions: () => browser.runtime.openOptionsPage(),
  copy: (text) => navigator.clipboard.writeText(text),
  download(fileName, mime, text) {
    const url = URL.createObjectURL(new Blob([text], { type: mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
  now: () => Date.now(),
  hostAccess: browserHostAccess,
};

export const PlatformContext = createContext<Platform>(browserPlatform);
export const usePlatform = () => useContext(PlatformContext);

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
