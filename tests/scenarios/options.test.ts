import { describe, expect, it } from 'vitest';
import { inBrowser, screenshot, useModelServer, useScenarioWorld } from '../support/scenario';
import { getApiKeyHere, KEY_NAMES, putApiKeyHere } from '../support/api-key';

/**
 * The options page: a bad API base is refused with a reason; a good one and the key (a password
 * field with a Show key toggle) are saved; the key is checked; the sites AltScout may read are listed.
 */

const world = useScenarioWorld();

describe(inBrowser('options'), () => {
  it('saves the API base URL and key, then checks the key and its credit', async () => {
    const { driver, fake } = world;
    await useModelServer(driver, 'https://openrouter.ai/api/v1');
    await driver.inExtension(putApiKeyHere, { ...KEY_NAMES, key: null });
    const options = await driver.openExtensionPage('options.html');
    const status = options.get('status', 'Settings status');
    await options.get('textbox', 'API base URL').fill('ftp://example.com');
    await options.get('button', 'Save').click();
    await expect.poll(() => status.text()).toBe('Not saved: fix API base URL.');
    expect((await driver.readStorage('local', ['settings'])).settings).toMatchObject({ apiBase: 'https://openrouter.ai/api/v1' });

    await options.get('textbox', 'API base URL').fill(fake.apiBase);
    // A password field, shown only while "Show key" is pressed.
    const key = options.field('API key');
    expect(await key.attribute('type')).toBe('password');
    await key.fill('sk-or-v1-test');
    const show = options.get('button', 'Show key');
    await show.click();
    expect([await show.attribute('aria-pressed'), await key.attribute('type')]).toEqual(['true', 'text']);
    await show.click();
    expect(await key.attribute('type')).toBe('password');
    await options.get('button', 'Save').click();
    await expect.poll(() => status.text()).toBe('Saved.');
    expect(await driver.readStorage('local', ['settings', 'apiKey'])).toEqual({ settings: expect.objectContaining({ apiBase: fake.apiBase }) });
    // The key is in the extension's own IndexedDB, never in storage.local.
    expect(await driver.inExtension(getApiKeyHere, KEY_NAMES)).toBe('key: sk-or-v1-test');

    await options.get('button', 'Check key and credit').click();
    await expect.poll(() => options.get('status', 'Key check').text(), { timeout: 15_000 }).toMatch(/^The key works; \$\d+\.\d+ of credit left\.$/);
    // This build may read every site (ALTSCOUT_TEST_HOSTS): listed, and not removable from here.
    const sites = options.get('list', 'Sites AltScout may read');
    expect(await sites.get('listitem').texts()).toEqual([expect.stringMatching(/^All sites <all_urls>granted at install/)]);
    expect(await sites.get('button').count()).toBe(0);
    await screenshot(options, 'options', { fullPage: true });
    await options.close();
  });
});
