import { afterAll, beforeAll, inject } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { BrowserName, ExtensionDriver, View } from './driver';
import { SCREENSHOTS_DIR, takingScreenshots } from './screenshots';
import { startStaticServer, type StaticServer } from './static-server';
import { startFakeOpenRouter, type FakeOpenRouter, type FakeOpenRouterOptions } from './fake-openrouter';
import { modelServerSettings, TEST_KEY, writeModelServer } from '../tools/use-model-server';
import { KEY_NAMES, putApiKeyHere } from './api-key';
import type { Settings } from '../../lib/settings/schema';

/**
 * What a shared scenario file (tests/scenarios/*.test.ts) starts from: one browser with AltScout
 * behind the shared driver, the fixture site and the fake OpenRouter. The browser is the one the
 * vitest config provides: `vitest.e2e.config.ts` says chromium, `vitest.firefox.config.ts` firefox.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    browser: BrowserName;
  }
}

/** The browser this run drives (chromium when a config provides none). */
export const BROWSER: BrowserName = inject('browser') ?? 'chromium';

export async function launchDriver(name: BrowserName = BROWSER): Promise<ExtensionDriver> {
  const driver = name === 'firefox' ? await (await import('./driver-firefox')).launchFirefoxDriver() : await (await import('./driver-chromium')).launchChromiumDriver();
  // An automated browser cannot answer a permission prompt: scenarios need the test build, whose
  // host access to every site is granted at install (ALTSCOUT_TEST_HOSTS=all, issue 10).
  const everySite = await driver.inExtension(() => chrome.permissions.contains({ origins: ['http://*/*', 'https://*/*'] }));
  if (!everySite) {
    await driver.close();
    throw new Error(
      `The ${name} build under test has no host access to every site. Build it with ALTSCOUT_TEST_HOSTS=all: ` +
        (name === 'firefox' ? 'npm run build:firefox:test' : 'ALTSCOUT_TEST_HOSTS=all npm run build'),
    );
  }
  return driver;
}

export interface ScenarioWorld {
  driver: ExtensionDriver;
  /** The fixture pages (tests/fixtures/pages, with tests/fixtures for images). */
  site: StaticServer;
  /** The fake OpenRouter the extension is pointed at, with a key set. */
  fake: FakeOpenRouter;
}

/**
 * Registers the hooks that start the world before the file's tests and close it after, and returns
 * it (its fields are there once `beforeAll` has run).
 */
export function useScenarioWorld(fakeOptions?: FakeOpenRouterOptions): ScenarioWorld {
  const world = {} as ScenarioWorld;
  beforeAll(async () => {
    world.site = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
    world.fake = await startFakeOpenRouter(fakeOptions);
    world.driver = await launchDriver();
    await useModelServer(world.driver, world.fake.apiBase);
  });
  afterAll(async () => {
    await world.driver?.close();
    await world.site?.close();
    await world.fake?.close();
  });
  return world;
}

/** Points AltScout at a model server with a key (as tests/tools/use-model-server.ts does for Chromium-only files). */
export async function useModelServer(driver: ExtensionDriver, apiBase: string, extra: Partial<Settings> = {}): Promise<void> {
  await driver.inExtension(writeModelServer, modelServerSettings(apiBase, extra));
  await driver.inExtension(putApiKeyHere, { ...KEY_NAMES, key: TEST_KEY });
}

/** A test title that says which browser ran it, so both suites' reports read apart. */
export const inBrowser = (title: string) => `${title} [${BROWSER}]`;

/**
 * Screenshots are taken only when asked (`npm run screenshots` sets ALTSCOUT_SCREENSHOTS=1, see
 * tests/support/screenshots.ts), so `npm test` leaves the work tree clean. Chromium's go to
 * `tests/screenshots/<name>.png`, other browsers' to `tests/screenshots/<browser>-<name>.png`.
 */
export async function screenshot(view: View, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!takingScreenshots) return;
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await view.screenshot(`${SCREENSHOTS_DIR}/${BROWSER === 'chromium' ? '' : `${BROWSER}-`}${name}.png`, options);
}
