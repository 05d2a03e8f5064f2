import { launchWithExtension, type ExtensionBrowser } from './browser';
import { startStaticServer, type StaticServer } from './static-server';
import { startFakeOpenRouter, type FakeOpenRouter, type FakeOpenRouterOptions } from './fake-openrouter';
import { useModelServer } from '../tools/use-model-server';

export interface ExtensionWorld {
  browser: ExtensionBrowser;
  /** The fixture pages (tests/fixtures/pages, with tests/fixtures for images). */
  site: StaticServer;
  /** The fake OpenRouter the extension is pointed at, with a key set. */
  fake: FakeOpenRouter;
  close(): Promise<void>;
}

/** One Chromium with AltScout, the fixture site and a fake OpenRouter it talks to: an e2e file's world. */
export async function startExtensionWorld(fakeOptions?: FakeOpenRouterOptions): Promise<ExtensionWorld> {
  const site = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
  const fake = await startFakeOpenRouter(fakeOptions);
  const browser = await launchWithExtension();
  await useModelServer(browser.worker, fake.apiBase);
  return {
    browser,
    site,
    fake,
    async close() {
      await browser.close();
      await site.close();
      await fake.close();
    },
  };
}
