import { describe, expect, it } from 'vitest';
import { inBrowser, useScenarioWorld } from '../support/scenario';
import { altBox, generate, openFixture, reviewItem } from '../support/popup-steps';

/**
 * Review: a suggestion edited by hand and one rejected stay so when the popup is closed and opened
 * again (the draft is saved per job), and Reject can be taken back.
 */

const world = useScenarioWorld();

describe(inBrowser('review'), () => {
  it('keeps an edited and a rejected suggestion across a closed popup', async () => {
    const { page, popup } = await openFixture(world);
    const colours = await generate(popup);
    const edited = `A bright ${colours[0]} tile, edited by hand`;
    await altBox(popup, 1).fill(edited);
    const reject = reviewItem(popup, 2).get('button', 'Reject');
    await reject.click();
    await expect.poll(() => reject.attribute('aria-pressed')).toBe('true');
    // The rejected one says what will happen, tied to its text box.
    expect(await altBox(popup, 2).description()).toBe('Rejected: this image keeps its current alt.');
    const untouched = await altBox(popup, 3).value();
    // Saved as made (storage.session, per job): once the store has both, closing loses nothing.
    const stored = async () => {
      const { reviewDrafts } = await world.driver.readStorage('session', ['reviewDrafts']);
      const drafts = Object.values((reviewDrafts ?? {}) as Record<string, { edits: Record<string, string>; rejected: string[] }>);
      return drafts.map((d) => ({ edits: Object.values(d.edits), rejected: d.rejected.length }));
    };
    await expect.poll(stored).toEqual([{ edits: [edited], rejected: 1 }]);
    await popup.close();

    const again = await world.driver.openPopup(page.tabId);
    await expect.poll(() => altBox(again, 1).value(), { timeout: 15_000 }).toBe(edited);
    const rejectAgain = reviewItem(again, 2).get('button', 'Reject');
    expect(await rejectAgain.attribute('aria-pressed')).toBe('true');
    expect(await altBox(again, 3).value()).toBe(untouched);
    // Pressed again, Reject is taken back.
    await rejectAgain.click();
    await expect.poll(() => rejectAgain.attribute('aria-pressed')).toBe('false');
    expect(await altBox(again, 2).description()).toBe('');
    await again.close();
    await page.close();
  });
});
