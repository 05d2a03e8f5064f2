import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { TEST_KEY, useModelServer } from '../tools/use-model-server';
import { headingBlock, imageBlock, paragraphBlock, startWordPress, wordPressMissing, type Attachment, type WordPress } from '../support/wordpress';
import { screenshot } from '../support/screenshots';

/**
 * The popup on WordPress's editing screens, end to end in Chromium with the test build against a
 * real WordPress 6.1 (tests/support/wordpress.ts) and the local stand-in for OpenRouter, whose
 * captions name each image's colour: AltScout recognises the screen, lists its images, describes
 * them through the normal job and review, fills the editor's own alt fields, and what WordPress
 * stored (post_content, `_wp_attachment_image_alt`, REST) holds the reviewed text. One WordPress
 * and one browser for the whole file.
 */

const missing = wordPressMissing();
if (missing && process.env.ALTSCOUT_REQUIRE_WORDPRESS) throw new Error(missing);
if (missing) console.warn(`Skipping the WordPress popup tests: ${missing}`);

/** What waits on WordPress (php -S on a busy machine) gets time; the assertion is what it ends with. */
const SLOW = { timeout: 30_000 };
const summary = (popup: Page) => popup.getByRole('status', { name: 'Page summary' });
const jobStatus = (popup: Page) => popup.getByRole('status', { name: 'Job status' });
const lastAction = (popup: Page) => popup.getByRole('status', { name: 'Last action' });
const altBox = (popup: Page, n: number) => popup.getByRole('textbox', { name: `Alt text for image ${n}`, exact: true });
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.2 A/AA and best-practice violations in the popup, in light and dark mode. */
async function axeViolations(popup: Page): Promise<string[]> {
  const out: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await popup.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await popup.evaluate(AXE_SOURCE);
    const found = (await popup.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: Array<{ id: string; help: string }> }> } }).axe;
      return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })).violations.map((v) => `${v.id}: ${v.help}`);
    })) as string[];
    out.push(...found.map((v) => `${colorScheme}: ${v}`));
  }
  return out;
}

const images = (popup: Page) => popup.getByRole('list', { name: 'Images in this editor' }).getByRole('listitem');

describe.skipIf(!!missing)('the popup fills WordPress alt text fields', () => {
  let wp: WordPress;
  let browser: ExtensionBrowser;
  let fake: FakeOpenRouter;
  let red: Attachment;
  let green: Attachment;
  let blue: Attachment;
  let orange: Attachment;
  let post: { id: number };
  const personAlt = 'Orange poppies, written by the author';

  beforeAll(async () => {
    const started = Date.now();
    [wp, browser, fake] = await Promise.all([
      startWordPress(),
      // Offline: only the local WordPress answers (the admin bar's avatars would wait on the network).
      launchWithExtension({ args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'] }),
      startFakeOpenRouter(),
    ]);
    const img = 'tests/fixtures/img';
    const seed = async () => {
      [red, green, blue, orange] = await wp.createAttachments([
        { file: `${img}/red.png`, title: 'red' },
        { file: `${img}/green.png`, title: 'green' },
        { file: `${img}/blue.png`, title: 'blue' },
        { file: `${img}/orange.png`, title: 'orange' },
      ]);
      post = await wp.createPost({
        title: 'Colours of the garden',
        status: 'draft',
        content: [
          headingBlock('Spring'),
          paragraphBlock('The first flowers came out in March.'),
          imageBlock(orange, { alt: personAlt }),
          paragraphBlock('Then the sky cleared over the gate.'),
          imageBlock(blue, { caption: 'Cornflowers by the gate' }),
        ].join('\n\n'),
      });
    };
    await Promise.all([seed(), wp.login(browser.context), useModelServer(browser.worker, fake.apiBase)]);
    console.log(`WordPress, Chromium and the fake OpenRouter up in ${Date.now() - started} ms (WordPress ${wp.timings.total} ms)`);
  });

  afterAll(async () => {
    await browser?.close();
    await fake?.close();
    await wp?.stop();
  });

  /** Opens a WordPress screen in a tab and the popup for it. */
  async function openScreen(path: string, ready: (page: Page) => Promise<unknown>): Promise<{ page: Page; popup: Page }> {
    const { page, tabId } = await browser.openTab(`${wp.url}${path}`);
    await ready(page);
    const popup = await browser.openPopup(tabId);
    await popup.emulateMedia({ reducedMotion: 'reduce' });
    return { page, popup };
  }

  async function generate(popup: Page, count: number) {
    await popup.getByRole('button', { name: 'Generate alt text' }).click();
    await expect.poll(() => jobStatus(popup).textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^Described ${count} of ${count} images?`));
  }

  it('block editor: the Image block without alt is described from the post, filled, and saved with the post', async () => {
    fake.reset();
    const { page, popup } = await openScreen(`/wp-admin/post.php?post=${post.id}&action=edit`, (p) =>
      p.waitForFunction(() => (window as any).wp?.data?.select('core/block-editor')?.getBlocks().length > 0),
    );
    await expect.poll(() => summary(popup).textContent(), SLOW).toBe('WordPress block editor: 2 images, 1 without alt text.');
    // Missing alt first; the editor's placeholder ("This image has an empty alt attribute…") is not alt text.
    await expect.poll(() => images(popup).allTextContents()).toEqual([
      expect.stringMatching(/^Image 1 · no alt text.*Alt text: none/),
      expect.stringMatching(/^Image 2 · has alt text/),
    ]);
    expect(await images(popup).nth(1).textContent()).toContain(`Alt text: “${personAlt}”`);

    await generate(popup, 1);
    // The prompt quotes the post (title, caption, heading, neighbouring blocks), not the admin screen.
    const [request] = fake.completions();
    const prompt = JSON.stringify(request.body);
    for (const words of ['Colours of the garden', 'Cornflowers by the gate', 'Spring', 'Then the sky cleared over the gate.']) expect(prompt).toContain(words);
    expect(prompt).not.toMatch(/Dashboard|Add New|Howdy/);
    // What left the browser: the key only to the provider, no cookies; and the key never reached the editor page.
    expect(request.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(request.headers.cookie).toBeUndefined();
    expect(await page.content()).not.toContain(TEST_KEY);
    expect(await page.evaluate((key) => JSON.stringify(Object.keys(window)).includes(key), TEST_KEY)).toBe(false);
    await expect.poll(() => altBox(popup, 1).inputValue()).toMatch(/^A blue swatch/);
    const text = 'Blue cornflowers by the garden gate';
    await altBox(popup, 1).fill(text);

    await popup.getByRole('button', { name: 'Fill alt text fields' }).click();
    await expect.poll(() => lastAction(popup).textContent(), SLOW).toBe('Filled 1 alt text field; 1 waiting: Click Save draft in WordPress to save.');
    await expect.poll(() => images(popup).first().textContent()).toContain('Filled, not saved yet: Click Save draft in WordPress to save.');
    await screenshot(popup, 'popup-wordpress', { fullPage: true });
    expect(await axeViolations(popup)).toEqual([]);
    const blockAlts = () => page.evaluate(() => (window as any).wp.data.select('core/block-editor').getBlocks().filter((b: any) => b.name === 'core/image').map((b: any) => b.attributes.alt));
    expect(await blockAlts()).toEqual([personAlt, text]);
    expect(await wp.postContent(post.id)).not.toContain(text);

    await popup.getByRole('button', { name: 'Save for me' }).click();
    await expect.poll(() => lastAction(popup).textContent(), SLOW).toBe('Saved the post in WordPress.');
    const stored = await wp.postContent(post.id);
    expect(stored).toContain(`<img src="${blue.url}" alt="${text}" class="wp-image-${blue.id}"/>`);
    // The author's alt text is as it was.
    expect(stored).toContain(`alt="${personAlt}"`);
    await expect.poll(() => images(popup).first().textContent()).toContain('Filled and saved.');

    // Undo puts the field back and says the filled value had been saved.
    await popup.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => lastAction(popup).textContent(), SLOW).toBe('Undone: 1 alt text field put back as it was. One had already been saved: click Save draft in the editor to save the old value.');
    expect(await blockAlts()).toEqual([personAlt, '']);
    await popup.close();
    await page.close();
  });

  it('media library grid modal: filled and saved by WordPress at once', async () => {
    fake.reset();
    const { page, popup } = await openScreen('/wp-admin/upload.php?mode=grid', async (p) => {
      await p.locator(`li.attachment[data-id="${red.id}"]`).click();
      await p.getByLabel('Alternative Text').waitFor();
    });
    await expect.poll(() => summary(popup).textContent(), SLOW).toBe('WordPress media library: 1 image, 1 without alt text.');
    await generate(popup, 1);
    await expect.poll(() => altBox(popup, 1).inputValue()).toMatch(/^A red swatch/);
    const text = (await altBox(popup, 1).inputValue()).trim();
    await popup.getByRole('button', { name: 'Fill alt text fields' }).click();
    await expect.poll(() => lastAction(popup).textContent(), { timeout: 20_000 }).toBe('Filled 1 alt text field; 1 saved.');
    await expect.poll(() => images(popup).first().textContent()).toContain('Filled and saved.');
    expect(await popup.getByRole('button', { name: 'Save for me' }).count()).toBe(0);
    expect(await wp.attachmentAlt(red.id)).toBe(text);
    const media = await (await fetch(`${wp.url}/?rest_route=/wp/v2/media/${red.id}`)).json();
    expect(media.alt_text).toBe(text);
    expect(await page.getByLabel('Alternative Text').inputValue()).toBe(text);
    await popup.close();
    await page.close();
  });

  it('attachment edit page: filled, waiting for Update, saved by "Save for me"', async () => {
    fake.reset();
    const { page, popup } = await openScreen(`/wp-admin/post.php?post=${green.id}&action=edit`, (p) => p.getByLabel('Alternative Text').waitFor());
    await expect.poll(() => summary(popup).textContent(), SLOW).toBe('WordPress attachment page: 1 image, 1 without alt text.');
    await generate(popup, 1);
    await expect.poll(() => altBox(popup, 1).inputValue()).toMatch(/^A green swatch/);
    const text = (await altBox(popup, 1).inputValue()).trim();
    await popup.getByRole('button', { name: 'Fill alt text fields' }).click();
    await expect.poll(() => lastAction(popup).textContent(), SLOW).toBe('Filled 1 alt text field; 1 waiting: Click Update in WordPress to save.');
    expect(await page.getByLabel('Alternative Text').inputValue()).toBe(text);
    expect(await wp.attachmentAlt(green.id)).toBeNull();

    await popup.getByRole('button', { name: 'Save for me' }).click();
    await expect.poll(() => lastAction(popup).textContent(), { timeout: 30_000 }).toBe('Saved: clicked Update in the editor.');
    expect(await wp.attachmentAlt(green.id)).toBe(text);
    // The page WordPress loaded after Update shows the saved value, and the popup lists it.
    await expect.poll(() => summary(popup).textContent(), SLOW).toBe('WordPress attachment page: 1 image, all with alt text.');
    await expect.poll(() => images(popup).first().textContent()).toContain(`Alt text: “${text}”`);
    await popup.close();
    await page.close();
  });

  it('"Describe the media library": every attachment without alt, listed through the page’s REST access, filled and saved; the job survives closing the popup', async () => {
    fake.reset();
    const [purple, yellow] = await wp.createAttachments([
      { file: 'tests/fixtures/img/purple.png', title: 'purple' },
      { file: 'tests/fixtures/img/yellow.png', title: 'yellow', alt: 'Yellow, by the author' },
    ]);
    const withoutAlt = async () => (await wp.sql(`SELECT p.ID FROM wp_posts p LEFT JOIN wp_postmeta m ON m.post_id = p.ID AND m.meta_key = '_wp_attachment_image_alt' WHERE p.post_type = 'attachment' AND COALESCE(m.meta_value, '') = '' ORDER BY p.ID`)).map((r) => Number(r[0]));
    const before = await withoutAlt();
    expect(before).toContain(purple.id);
    expect(before).not.toContain(yellow.id);

    const { page, tabId } = await browser.openTab(`${wp.url}/wp-admin/upload.php?mode=grid`);
    await page.locator('li.attachment').first().waitFor();
    let popup = await browser.openPopup(tabId);
    await expect.poll(() => summary(popup).textContent(), SLOW).toBe('WordPress media library.');
    await popup.getByRole('button', { name: 'Describe the media library' }).click();
    await expect.poll(() => lastAction(popup).textContent(), SLOW).toBe(`${before.length} images in the media library have no alt text; describing them all.`);
    // Closed mid-job and opened again: the job goes on in the worker, and the popup follows it.
    await popup.close();
    popup = await browser.openPopup(tabId);
    await expect.poll(() => jobStatus(popup).textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^Described ${before.length} of ${before.length} images`));
    expect(fake.completions()).toHaveLength(before.length);
    const texts = await Promise.all(before.map((_, i) => altBox(popup, i + 1).inputValue()));

    await popup.getByRole('button', { name: 'Fill alt text fields' }).click();
    await expect.poll(() => lastAction(popup).textContent(), SLOW).toBe(`Filled ${before.length} alt text fields; ${before.length} saved.`);
    const stored = await Promise.all(before.map((id) => wp.attachmentAlt(id)));
    expect(stored).toEqual(texts.map((t) => t.trim()));
    expect(await withoutAlt()).toEqual([]);
    expect(await wp.attachmentAlt(yellow.id)).toBe('Yellow, by the author');
    const media = await (await fetch(`${wp.url}/?rest_route=/wp/v2/media/${purple.id}`)).json();
    expect(media.alt_text).toBe(stored[before.indexOf(purple.id)]);

    // Undo puts them back, saved again at once.
    await popup.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => lastAction(popup).textContent(), SLOW).toMatch(new RegExp(`^Undone: ${before.length} alt text fields put back as they were\\. ${before.length} had already been saved by WordPress; the old value is saved again\\.`));
    expect(await withoutAlt()).toEqual(before);
    await popup.close();
    await page.close();
  });
});
