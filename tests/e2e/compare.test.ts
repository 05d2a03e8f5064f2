import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';
import type { ExtensionBrowser } from '../support/browser';
import { startExtensionWorld, type ExtensionWorld } from '../support/extension-world';
import { screenshot } from '../support/screenshots';
import type { StaticServer } from '../support/static-server';
import { SHARED_CATALOG, type FakeOpenRouter } from '../support/fake-openrouter';
import { shortName } from '../../lib/ui/cost';
import { useModelServer } from '../tools/use-model-server';

/**
 * Issue 11 in real Chromium against the fake OpenRouter, where models answer differently:
 * - reviews move the ranking: the Budget pick's captions are always rewritten, so it drops below
 *   its runner-up (whose captions are applied as written) and the popup's Budget pick follows;
 * - Compare models: the tier picks ticked, the total cost before running, one job per model,
 *   texts side by side, a choice per image, saved as votes, the summary sentence, the winner made
 *   the model for this site, the votes on the models page; every control reached by keyboard and
 *   named; axe-core clean in light and dark. `npm run screenshots` takes the comparison view.
 */

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let world: ExtensionWorld;
let browser: ExtensionBrowser;
let site: StaticServer;
let fake: FakeOpenRouter;

/** Each model charged as the catalog prices it (tokens and image), as OpenRouter does: the models' costs differ as in life. */
const PRICES = new Map(
  (JSON.parse(readFileSync(SHARED_CATALOG, 'utf8')) as { data: Array<{ id: string; pricing?: Record<string, string> }> }).data.map((m) => [m.id, m.pricing ?? {}]),
);
const charge = ({ model, promptTokens, completionTokens }: { model: string; promptTokens: number; completionTokens: number }) => {
  const p = PRICES.get(model) ?? {};
  const n = (v?: string) => Number(v ?? 0) || 0;
  return n(p.prompt) * promptTokens + n(p.completion) * completionTokens + n(p.image) + n(p.request);
};

beforeAll(async () => {
  world = await startExtensionWorld({ costPerRequest: charge });
  ({ browser, site, fake } = world);
});
afterAll(() => world?.close());

interface RankedRow { id: string; name: string; quality: number | null; qualitySource?: string; reasons: string[] }
interface RankingReply { models: RankedRow[]; tiers: Record<string, { pick: string | null; runnersUp: string[] }> }

/** The worker's captioning ranking, asked from an extension page as the popup asks it. */
const ranking = (page: Page): Promise<RankingReply> =>
  page.evaluate(async () => {
    const reply = await chrome.runtime.sendMessage({ id: 1, type: 'getRanking', data: { task: 'captioning' }, timestamp: Date.now() });
    return reply.res;
  });

const lastAction = (page: Page) => page.getByRole('status', { name: 'Last action' });
const altBox = (popup: Page, n: number) => popup.getByRole('textbox', { name: `Alt text for image ${n}`, exact: true });

async function openPage(): Promise<{ page: Page; tabId: number; popup: Page }> {
  const { page, tabId } = await browser.openTab(`${site.url}/varied.html`);
  const popup = await browser.openPopup(tabId);
  await popup.emulateMedia({ reducedMotion: 'reduce' });
  await expect.poll(() => popup.getByRole('status', { name: 'Page summary' }).textContent()).toBe('8 images missing alt text');
  return { page, tabId, popup };
}

/** Generates with the popup's chosen model and applies every text, rewritten by `edit` when given. */
async function describeAndApply(popup: Page, edit?: (n: number) => string) {
  await popup.getByRole('button', { name: 'Generate alt text' }).click();
  await expect.poll(() => popup.getByRole('status', { name: 'Job status' }).textContent(), { timeout: 30_000 }).toMatch(/^Described 8 of 8 images/);
  for (let n = 1; n <= 8; n++) await expect.poll(() => altBox(popup, n).inputValue()).not.toBe('');
  if (edit) for (let n = 1; n <= 8; n++) await altBox(popup, n).fill(edit(n));
  await popup.getByRole('button', { name: 'Apply to page' }).click();
  await expect.poll(() => lastAction(popup).textContent()).toBe('Applied alt text to 8 images on the page.');
}

/** axe-core's WCAG 2.2 A/AA and best-practice rules, in light and dark. */
async function axeClean(page: Page, label: string) {
  await page.evaluate(AXE_SOURCE);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    const found = (await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
      return result.violations.map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    })) as string[];
    expect(found, `${label} in ${colorScheme} mode`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Presses Tab (from where focus is) until `target` has focus; fails when it is not reached. */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Not reached by keyboard in ${max} presses of Tab: ${target}`);
}

describe('reviews move the ranking', () => {
  it('a model whose captions are always rewritten drops below one whose captions are applied as written, and the Budget pick follows', async () => {
    fake.reset();
    const { page, popup } = await openPage();
    const before = await ranking(popup);
    const edited = before.tiers.budget.pick!;
    const accepted = before.tiers.budget.runnersUp[0];
    const nameOf = (id: string) => shortName(before.models.find((m) => m.id === id)!.name);
    const qualityOf = (r: RankingReply, id: string) => r.models.find((m) => m.id === id)!.quality!;
    expect(qualityOf(before, edited)).toBeGreaterThan(qualityOf(before, accepted));
    expect(await popup.getByRole('radio', { name: /Budget/ }).isChecked()).toBe(true);
    const budgetLabel = (p: Page) => p.getByRole('radio', { name: /Budget/ }).evaluate((el) => el.closest('label')!.textContent);
    expect(await budgetLabel(popup)).toContain(nameOf(edited));

    // Every caption of the Budget pick rewritten by hand.
    await describeAndApply(popup, (n) => `Photograph number ${n} of a painted ceramic tile, rewritten by the editor`);
    expect(new Set(fake.completions().map((r) => (r.body as { model: string }).model))).toEqual(new Set([edited]));
    await expect.poll(async () => (await ranking(popup)).tiers.budget.pick, { timeout: 10_000 }).toBe(accepted);
    await popup.close();

    // The popup opened again offers the runner-up as the Budget pick; its captions are applied as written.
    await page.reload();
    const again = await browser.openPopup(page);
    await expect.poll(() => again.getByRole('status', { name: 'Page summary' }).textContent()).toBe('8 images missing alt text');
    await expect.poll(() => budgetLabel(again)).toContain(nameOf(accepted));
    await again.getByRole('radio', { name: /Budget/ }).check();
    await describeAndApply(again);
    await again.close();

    // The models page says why, in the words, and where each quality figure comes from.
    const models = await browser.context.newPage();
    await models.goto(`chrome-extension://${browser.extensionId}/models.html`);
    const after = await ranking(models);
    expect(qualityOf(after, accepted)).toBeGreaterThan(qualityOf(after, edited));
    const rowOf = (id: string) => models.getByRole('row', { name: new RegExp(nameOf(id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first();
    await expect.poll(() => rowOf(edited).textContent()).toContain('your reviews: 0 of 8 accepted unedited');
    expect(await rowOf(accepted).textContent()).toContain('your reviews: 8 of 8 accepted unedited');
    for (const id of [edited, accepted]) expect(await rowOf(id).textContent()).toMatch(/vision benchmark|general benchmark|your reviews/);
    await models.close();
    await page.close();
  });
});

describe('Compare models', () => {
  it('runs the same images through each model, keeps a choice per image, saves them as votes and sums up', async () => {
    fake.reset();
    // An empty caption cache: every model pays for its own five descriptions.
    await useModelServer(browser.worker, fake.apiBase);
    fake.setLatency(120);
    // Each model answers in its own words.
    fake.setAnswer((caption, _rgb, model) => `${caption}, as ${model.split('/')[1]} sees it`);
    const { page, tabId, popup } = await openPage();
    const tiers = await ranking(popup);
    const picks = ['free', 'budget', 'balanced', 'best'].map((t) => tiers.tiers[t].pick!).filter((id, i, all) => all.indexOf(id) === i);
    const nameOf = (id: string) => shortName(tiers.models.find((m) => m.id === id)!.name);

    // The popup's button opens the comparison for this tab.
    await popup.getByRole('button', { name: 'Compare models' }).click();
    const opened = () => browser.context.pages().find((p) => p.url().startsWith(`chrome-extension://${browser.extensionId}/compare.html`));
    await expect.poll(opened).toBeTruthy();
    // The page the button opened is this tab's comparison; it is driven in a page of the test's own.
    await expect.poll(() => opened()!.url()).toContain('?tab=');
    const openedUrl = new URL(opened()!.url());
    expect(openedUrl.pathname).toBe('/compare.html');
    expect(openedUrl.searchParams.get('tab')).toBe(String(tabId));
    await opened()!.close();
    const compare = await browser.context.newPage();
    compare.setDefaultTimeout(10_000);
    await compare.setViewportSize({ width: 1000, height: 800 });
    await compare.emulateMedia({ reducedMotion: 'reduce' });
    await compare.goto(openedUrl.href);

    // The four tier picks are ticked, named by display name.
    for (const id of picks) await expect.poll(() => compare.getByRole('checkbox', { name: nameOf(id), exact: true }).isChecked()).toBe(true);
    const count = compare.getByRole('spinbutton', { name: 'Number of images' });
    expect(await count.inputValue()).toBe('5');
    const cost = compare.getByText(/^5 images × \d models = \d+ descriptions: /);
    expect(await cost.textContent()).toMatch(new RegExp(`^5 images × ${picks.length} models = ${5 * picks.length} descriptions: (about \\$[\\d.]+ in all|free)`));

    // Keyboard: every control of the set-up is reached with Tab and named.
    await compare.locator('body').focus();
    for (const id of picks) await tabTo(compare, compare.getByRole('checkbox', { name: nameOf(id), exact: true }));
    const search = compare.getByRole('searchbox', { name: 'Add a model' });
    await tabTo(compare, search);
    // Any model can be added from the keyboard: type, Enter, and its checkbox is ticked and focused.
    const extra = tiers.models.find((m) => !picks.includes(m.id) && m.quality != null)!;
    await compare.keyboard.type(extra.id);
    await compare.keyboard.press('Enter');
    const extraBox = compare.getByRole('checkbox', { name: shortName(extra.name), exact: true });
    await expect.poll(() => extraBox.isChecked()).toBe(true);
    await expect.poll(() => extraBox.evaluate((el) => el === document.activeElement)).toBe(true);
    await compare.keyboard.press('Space');
    expect(await extraBox.isChecked()).toBe(false);
    await tabTo(compare, count);
    await tabTo(compare, compare.getByRole('button', { name: 'Run comparison' }));
    await axeClean(compare, 'comparison set-up');
    await screenshot(compare, 'compare-1-setup', { fullPage: true });

    await compare.keyboard.press('Enter');
    const status = compare.getByRole('status', { name: 'Comparison status' });
    const total = 5 * picks.length;
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^${total} of ${total} descriptions ready`));
    // One job per model, each for the same five images, through the normal queue.
    const asked = fake.completions().map((r) => (r.body as { model: string }).model);
    expect(asked).toHaveLength(total);
    for (const id of picks) expect(asked.filter((m) => m === id)).toHaveLength(5);

    // Each image: its thumbnail, one text per model with cost and latency, one radio per model and "All equally good".
    const groups = compare.getByRole('group', { name: /^Best description for image \d$/ });
    expect(await groups.count()).toBe(5);
    for (let n = 1; n <= 5; n++) {
      const group = compare.getByRole('group', { name: `Best description for image ${n}` });
      for (const id of picks) {
        expect(await group.getByRole('radio', { name: nameOf(id), exact: true }).isEnabled()).toBe(true);
        expect(await group.textContent()).toContain(`as ${id.split('/')[1]} sees it`);
      }
      expect(await group.getByRole('radio', { name: 'All equally good' }).count()).toBe(1);
      expect(await group.textContent()).toMatch(/\$[\d.]+ · \d+(\.\d)? s/);
    }
    expect(await compare.locator('img.compare-thumb').count()).toBe(5);

    // The winner is best on images 1–4 (one chosen from the keyboard), all equally good on 5.
    const winner = picks[1];
    const group1 = compare.getByRole('group', { name: 'Best description for image 1' });
    await tabTo(compare, group1.getByRole('radio').first());
    const radios = await group1.getByRole('radio').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    for (let i = 0; i < radios.indexOf(winner); i++) await compare.keyboard.press('ArrowDown');
    await expect.poll(() => group1.getByRole('radio', { name: nameOf(winner), exact: true }).isChecked()).toBe(true);
    for (const n of [2, 3, 4]) await compare.getByRole('group', { name: `Best description for image ${n}` }).getByRole('radio', { name: nameOf(winner), exact: true }).check();
    await compare.getByRole('group', { name: 'Best description for image 5' }).getByRole('radio', { name: 'All equally good' }).check();
    await tabTo(compare, compare.getByRole('button', { name: 'Save choices' }));
    await compare.keyboard.press('Enter');
    await expect.poll(() => lastAction(compare).textContent()).toBe('Saved your choices for 5 images: the ranking now counts them.');

    // The summary: per model, best or tied on N of 5 at its measured cost per 1,000 images.
    const summary = compare.getByRole('region', { name: 'Summary' });
    await summary.waitFor();
    const lines = await summary.getByRole('listitem').allTextContents();
    expect(lines[0]).toMatch(new RegExp(`^${nameOf(winner).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: best or tied on 5 of 5 at \\$[\\d.]+ per 1,000 images$`));
    for (const id of picks.filter((p) => p !== winner)) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${nameOf(id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: best or tied on 1 of 5( at \\$[\\d.]+ per 1,000 images|, free)$`)));
    }
    await axeClean(compare, 'comparison results with the summary');
    await screenshot(compare, 'compare-2-results', { fullPage: true });

    // The winner becomes the model for this site; the popup says which model applies here.
    const host = new URL(site.url).host;
    await tabTo(compare, summary.getByRole('button', { name: `Use ${nameOf(winner)} for ${host}` }));
    await compare.keyboard.press('Enter');
    await expect.poll(() => lastAction(compare).textContent()).toBe(`${nameOf(winner)} is now the model for ${host}.`);
    await popup.reload();
    await expect.poll(() => popup.getByRole('group', { name: `Model for ${host}` }).count()).toBe(1);
    await expect.poll(() => popup.getByRole('button', { name: `Forget for ${host}` }).count()).toBe(1);

    // The votes feed the ranking: reasons on the models page.
    const models = await browser.context.newPage();
    await models.goto(`chrome-extension://${browser.extensionId}/models.html`);
    const row = models.getByRole('row', { name: new RegExp(nameOf(winner).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first();
    await expect.poll(() => row.textContent()).toContain('won 4 of 5 comparisons');
    await models.close();
    await compare.close();
    await popup.close();
    await page.close();
    fake.setLatency(0);
  });
});
