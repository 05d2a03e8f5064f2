import { describe, expect, it } from 'vitest';
import { inBrowser, screenshot, useModelServer, useScenarioWorld } from '../support/scenario';

/** The options page: a bad API base is refused with a reason, a good one and the key are saved, the key is checked. */

const world = useScenarioWorld();

describe(inBrowser('options'), () => {
  it('saves the API base URL and key, then checks the key and its credit', async () => {
    const { driver, fake } = world;
    await useModelServer(driver, 'https://openrouter.ai/api/v1');
    await driver.inExtension(() => chrome.storage.local.remove('apiKey'));
    const options = await driver.openExtensionPage('options.html');
    const status = options.get('status', 'Settings status');
    await options.get('textbox', 'API base URL').fill('ftp://example.com');
    await options.get('button', 'Save').click();
    await expect.poll(() => status.text()).toBe('Not saved: fix API base URL.');
    expect((await driver.readStorage('local', ['settings'])).settings).toMatchObject({ apiBase: 'https://openrouter.ai/api/v1' });

    await options.get('textbox', 'API base URL').fill(fake.apiBase);
    await options.get('textbox', 'API key').fill('sk-or-v1-test');
    await options.get('button', 'Save').click();
    await expect.poll(() => status.text()).toBe('Saved.');
    expect(await driver.readStorage('local', ['settings', 'apiKey'])).toMatchObject({ settings: { apiBase: fake.apiBase }, apiKey: 'sk-or-v1-test' });

    await options.get('button', 'Check key and credit').click();
    await expect.poll(() => options.get('status', 'Key check').text(), { timeout: 15_000 }).toMatch(/^The key works; \$\d+\.\d+ of credit left\.$/);
    await screenshot(options, 'options', { fullPage: true });
    await options.close();
  });
});
