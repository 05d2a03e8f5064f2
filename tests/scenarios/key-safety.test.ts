import { describe, expect, it } from 'vitest';
import type { ExtensionDriver } from '../support/driver';
import { BROWSER, inBrowser, useScenarioWorld } from '../support/scenario';
import { getApiKeyHere, KEY_NAMES, putApiKeyHere } from '../support/api-key';
import { AGENT_GLOBAL } from '../../lib/page/protocol';
import { openFixture } from '../support/popup-steps';

/**
 * The API key lives in the extension's own IndexedDB. A content script runs in the page's origin:
 * its IndexedDB is the page's, so the same read that finds the key in the options page finds
 * nothing there, in Firefox as in Chromium. storage.session (jobs) is closed to content scripts in
 * both. storage.local is closed to them in Chromium (the worker asks for it); Firefox cannot close
 * it (setAccessLevel covers only storage.session there), and it holds no key in either browser.
 *
 * "The content script's world" is the one `scripting.executeScript` runs in by default, where the
 * worker injects AltScout's page script: the probe checks that script's agent is there beside it.
 */

const world = useScenarioWorld();
const KEY = 'sk-or-v1-secret-test-key';

interface ContentWorldReads {
  agentHere: boolean;
  keyDb: string;
  local: string;
  session: string;
}

/** Reads, from the content script's world of the tab's top frame, where the key could be. */
function readFromContentScript(driver: ExtensionDriver, tabId: number): Promise<ContentWorldReads> {
  return driver.inExtension(async ({ tabId, agent, names }) => {
    const [{ result }] = await chrome.scripting.executeScript({
      target: { tabId },
      args: [agent, names],
      // Runs in the tab, in the extension's isolated world; closes over nothing.
      func: async (agent: string, { db, store, record }: { db: string; store: string; record: string }) => {
        const attempt = async (read: () => Promise<unknown>) => {
          try {
            return `read: ${JSON.stringify(await read())}`;
          } catch (e) {
            return `refused: ${e instanceof Error ? e.message : String(e)}`;
          }
        };
        const keyDb = await new Promise<string>((resolve) => {
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
        return {
          agentHere: agent in globalThis,
          keyDb,
          local: await attempt(() => chrome.storage.local.get(null)),
          session: await attempt(() => chrome.storage.session.get(null)),
        };
      },
    });
    return result as ContentWorldReads;
  }, { tabId, agent: AGENT_GLOBAL, names: KEY_NAMES });
}

describe(inBrowser('the API key and content scripts'), () => {
  it('moves a key kept by an earlier version out of storage.local, into the IndexedDB only AltScout\'s pages open', async () => {
    const { driver } = world;
    // As an earlier version left it: in storage.local, none in IndexedDB yet.
    await driver.inExtension(putApiKeyHere, { ...KEY_NAMES, key: null });
    await driver.inExtension((key) => chrome.storage.local.set({ apiKey: key }), KEY);

    // The options page reads the key (moving it on first use) and shows it in its field.
    const options = await driver.openExtensionPage('options.html');
    await expect.poll(() => options.field('API key').value(), { timeout: 15_000 }).toBe(KEY);
    expect(await options.evaluate(getApiKeyHere, KEY_NAMES)).toBe(`key: ${KEY}`);
    await expect.poll(async () => Object.keys(await driver.readStorage('local', ['apiKey']))).toEqual([]);

    // Opening AltScout on the page injects its page script there.
    const { page, popup } = await openFixture(world);
    await popup.close();
    const reads = await readFromContentScript(driver, page.tabId);
    expect(reads.agentHere).toBe(true);
    // The same IndexedDB read, from the content script, opens the page's database: no key there.
    expect(reads.keyDb).toBe('no key store');
    // Job records and review edits are closed to content scripts in both browsers.
    expect(reads.session).toMatch(/^refused: /);
    if (BROWSER === 'chromium') expect(reads.local).toMatch(/^refused: /);
    else expect(reads.local).toMatch(/^read: \{.*"settings"/);
    for (const answer of Object.values(reads)) expect(String(answer)).not.toContain('sk-or-v1');
    await options.close();
    await page.close();
  });
});
