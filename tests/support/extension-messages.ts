import type { Page } from 'playwright-core';

/** Sends a protocol message from an extension page, the way the popup does (webext-core's envelope); throws the handler's error. */
export async function sendFromPage<T>(page: Page, name: string, data: unknown): Promise<T> {
  const reply = await page.evaluate(
    ([type, payload]) => chrome.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type, data: payload, timestamp: Date.now() }),
    [name, data] as const,
  );
  const { res, err } = reply as { res?: T; err?: { message: string } };
  if (err) throw new Error(err.message);
  return res as T;
}
