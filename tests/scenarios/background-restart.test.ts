import { describe, expect, it } from 'vitest';
import { inBrowser, useModelServer, useScenarioWorld } from '../support/scenario';
import { altBox, captionPattern, itemColours, jobStatus, openFixture } from '../support/popup-steps';

/**
 * The browser stops the background mid-job (Chromium's service worker, Firefox's event page): the
 * job lives in storage.session, so the next message starts the background again, which finishes
 * the job. The descriptions that were done are kept and not paid for again; only the one cut off
 * in flight is asked again.
 */

const world = useScenarioWorld();

describe(inBrowser('background restart mid-job'), () => {
  it('finishes the job after the background is stopped, losing and repaying nothing that was done', async () => {
    const { driver, fake } = world;
    fake.reset();
    // One at a time; the fake answers two, then holds the third in flight.
    await useModelServer(driver, fake.apiBase, { concurrency: 1 });
    fake.holdAfter(2);
    const { page, popup } = await openFixture(world);
    await popup.get('button', 'Generate alt text').click();
    await expect.poll(() => fake.held(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => popup.get('progressbar').attribute('aria-valuenow')).toBe('2');
    const doneBefore = fake.completions().map((r) => r.caption!);
    expect(doneBefore).toHaveLength(2);
    await popup.close();

    await driver.stopBackground();
    expect(await driver.backgroundRunning()).toBe(false);
    // The request cut off by the stop is answered to no one.
    fake.release();

    // Opening the popup wakes the background, which picks the job up from storage.session.
    const again = await driver.openPopup(page.tabId);
    await expect.poll(() => jobStatus(again).text(), { timeout: 30_000 }).toMatch(/^Described 4 of 4 images/);
    expect(await driver.backgroundRunning()).toBe(true);
    const colours = await itemColours(again);
    expect([...colours].sort()).toEqual(['green', 'orange', 'red', 'yellow']);
    for (const [i, colour] of colours.entries()) expect(await altBox(again, i + 1).value()).toMatch(captionPattern(colour));

    // Each image was described once: the two done before the stop were not asked again.
    const answered = fake.completions().map((r) => r.caption!);
    expect(answered.map((c) => /^An? (\w+) swatch/.exec(c)?.[1]).sort()).toEqual([...colours].sort());
    expect(answered.slice(0, 2)).toEqual(doneBefore);
    // Five requests in all: four images, plus the one that was in flight when the background stopped.
    expect(fake.requests.filter((r) => r.path === '/api/v1/chat/completions')).toHaveLength(5);
    await again.close();
    await page.close();
    await useModelServer(driver, fake.apiBase);
  });
});
