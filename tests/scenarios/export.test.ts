import { describe, expect, it } from 'vitest';
import { inBrowser, useScenarioWorld } from '../support/scenario';
import { altBox, budgetPick, generate, lastAction, openFixture, reviewItem } from '../support/popup-steps';

/**
 * Export: the browser saves a CSV and a JSON file of the review's decisions (edited, rejected,
 * accepted), named after the page's host and the day, one row per image.
 */

const world = useScenarioWorld();

describe(inBrowser('export'), () => {
  it('saves the decisions as CSV and JSON files', async () => {
    const { page, popup } = await openFixture(world);
    const model = await budgetPick(popup);
    const colours = await generate(popup);
    const edited = `A bright ${colours[0]} tile, "edited", by hand`;
    await altBox(popup, 1).fill(edited);
    await reviewItem(popup, 2).get('button', 'Reject').click();
    await expect.poll(() => reviewItem(popup, 2).get('button', 'Reject').attribute('aria-pressed')).toBe('true');

    const csv = await popup.download(() => popup.get('button', 'Export CSV').click());
    expect(csv.fileName).toMatch(/^altscout-127\.0\.0\.1-\d{4}-\d\d-\d\d\.csv$/);
    expect(await lastAction(popup).text()).toBe('Exported 4 rows as CSV.');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('page_url,selector,image_url,status,old_alt,new_alt,decision,model,cost_usd,error');
    expect(lines).toHaveLength(5);
    // Quotes inside a cell are doubled, and the cell quoted.
    expect(lines.find((l) => l.includes(`/img/${colours[0]}.png`))).toContain(`,"${edited.replaceAll('"', '""')}",edited,${model},`);
    expect(lines.find((l) => l.includes(`/img/${colours[1]}.png`))).toContain(',missing,,,rejected,');
    expect(lines.filter((l) => l.includes(',accepted,'))).toHaveLength(2);

    const json = await popup.download(() => popup.get('button', 'Export JSON').click());
    expect(json.fileName).toMatch(/^altscout-127\.0\.0\.1-\d{4}-\d\d-\d\d\.json$/);
    const report = JSON.parse(json.text) as { pageUrl: string; model: string; items: Array<{ imageUrl: string; newAlt: string; decision: string }> };
    expect(report).toMatchObject({ pageUrl: page.url, model });
    const byColour = Object.fromEntries(report.items.map((i) => [/\/img\/(\w+)\.png$/.exec(i.imageUrl)?.[1], i]));
    expect(byColour[colours[0]]).toMatchObject({ newAlt: edited, decision: 'edited' });
    expect(byColour[colours[1]]).toMatchObject({ newAlt: '', decision: 'rejected' });
    expect(report.items.map((i) => i.decision).sort()).toEqual(['accepted', 'accepted', 'edited', 'rejected']);
    await popup.close();
    await page.close();
  });
});
