import { expect } from 'vitest';
import type { View, WebTab } from './driver';
import type { ScenarioWorld } from './scenario';

/**
 * Steps the shared scenarios (tests/scenarios/) take in the popup on the fixture page
 * (`basic.html`: four swatches without alt, one decorative), the same in Chromium and Firefox.
 * The fake OpenRouter's captions name each image's colour, so a test can tell which image got
 * which description.
 */

export const FIXTURE = 'basic.html';

export const pageSummary = (popup: View) => popup.get('status', 'Page summary');
export const jobStatus = (popup: View) => popup.get('status', 'Job status');
export const lastAction = (popup: View) => popup.get('status', 'Last action');
export const altBox = (popup: View, n: number) => popup.get('textbox', `Alt text for image ${n}`);
/** The review entry of image `n` (a list item named "Image n"). */
export const reviewItem = (popup: View, n: number) => popup.get('listitem', `Image ${n}`);

/** Opens the fixture page in a new tab and the popup for it, once it has counted the page. */
export async function openFixture(world: ScenarioWorld): Promise<{ page: WebTab; popup: View }> {
  const page = await world.driver.openPage(`${world.site.url}/${FIXTURE}`);
  const popup = await world.driver.openPopup(page.tabId);
  await expect.poll(() => pageSummary(popup).text(), { timeout: 15_000 }).toBe('4 images missing alt text');
  return { page, popup };
}

/** The fixture colour an image URL shows (`/img/red.png` → red). */
export const colourOf = (src: string | null | undefined) => /\/img\/(\w+)\.png$/.exec(src ?? '')?.[1];

/** For each review entry, in order: the colour its thumbnail shows. */
export async function itemColours(popup: View): Promise<string[]> {
  const srcs = await popup.evaluate(() => [...document.querySelectorAll('ol.review > li img.thumb')].map((i) => i.getAttribute('src')));
  return srcs.map((s) => colourOf(s) ?? `unknown image ${s}`);
}

/** Every image on the page as [path, alt or null], in document order. */
export const imagesOnPage = (page: WebTab) =>
  page.evaluate(() => [...document.querySelectorAll('img')].map((i) => [new URL(i.src).pathname, i.getAttribute('alt')] as [string, string | null]));

/** The model the popup offers first (the Budget tier's pick), as the worker ranks it. */
export const budgetPick = (popup: View) =>
  popup.evaluate(async () => {
    const reply = await chrome.runtime.sendMessage({ id: 1, type: 'getRanking', data: { task: 'captioning' }, timestamp: Date.now() });
    return reply.res.tiers.budget.pick as string;
  });

/** The caption the fake OpenRouter writes for a fixture colour. */
export const captionPattern = (colour: string) => new RegExp(`^A ${colour} swatch \\(#[0-9a-f]{6}\\)$`);

/**
 * Generates with the Budget tier (the first-run choice) and waits until all four are described;
 * returns the colour each review entry shows, in order.
 */
export async function generate(popup: View): Promise<string[]> {
  expect(await popup.get('radio', /^Budget /).isChecked()).toBe(true);
  await popup.get('button', 'Generate alt text').click();
  await expect.poll(() => jobStatus(popup).text(), { timeout: 30_000 }).toMatch(/^Described 4 of 4 images/);
  return itemColours(popup);
}
