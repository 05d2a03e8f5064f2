import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from '../../lib/cli/browser';
import { headingBlock, imageBlock, paragraphBlock, startWordPress, wordPressMissing, type Attachment, type WordPress } from '../support/wordpress';
import { cmsWorld } from '../support/cms-world';
import { readBlockEditor, saveBlockEditorPost, writeBlockAlts } from '../../lib/cms/wordpress-page';
import { blockAltSaved, parseSnapshot, pageChanges } from '../../lib/cms/page-data';

/**
 * The CMS adapters inside a real WordPress 6.1 (Debian's package, MariaDB and php -S started by
 * the harness): each place's write, then what WordPress stored, read back over SQL and REST. The
 * adapter runs in an isolated world of the page, as the extension's injected script will; the
 * block editor's functions run in the page's own world, as `executeScript({ world: 'MAIN' })` does.
 */

const missing = wordPressMissing();
if (missing && process.env.ALTSCOUT_REQUIRE_WORDPRESS) throw new Error(missing);
if (missing) console.warn(`Skipping the WordPress tests: ${missing}`);

describe.skipIf(!!missing)('CMS adapters in a real WordPress 6.1', () => {
  let wp: WordPress;
  let browser: Browser;
  let context: BrowserContext;
  let grid: Attachment;
  let attachmentPage: Attachment;
  let modal: Attachment;
  let first: Attachment;
  let second: Attachment;
  let post: { id: number };

  beforeAll(async () => {
    const started = Date.now();
    [wp, browser] = await Promise.all([
      startWordPress(),
      chromium.launch({
        executablePath: chromiumPath(),
        // Offline: only the local WordPress answers (the admin bar's avatars would wait on the network).
        args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
      }),
    ]);
    const img = 'tests/fixtures/img';
    const seed = async () => {
      [grid, attachmentPage, modal, first, second] = await wp.createAttachments([
        { file: `${img}/red.png`, title: 'red' },
        { file: `${img}/green.png`, title: 'green' },
        { file: `${img}/yellow.png`, title: 'yellow' },
        { file: `${img}/blue.png`, title: 'blue' },
        { file: `${img}/orange.png`, title: 'orange' },
      ]);
      post = await wp.createPost({
        title: 'Colours of the garden',
        content: [
          headingBlock('Spring'),
          paragraphBlock('The first flowers came out in March.'),
          imageBlock(first, { caption: 'Cornflowers by the gate' }),
          paragraphBlock('Then the sky cleared.'),
          imageBlock(second),
        ].join('\n\n'),
      });
    };
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await Promise.all([seed(), wp.login(context)]);
    console.log(`WordPress up in ${wp.timings.total} ms (${JSON.stringify(wp.timings)}); with seed data and login ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await wp?.stop();
  });

  it('media library grid modal: a change event saves the alt at once', async () => {
    const page = await context.newPage();
    await page.goto(`${wp.url}/wp-admin/upload.php?mode=grid`);
    await page.locator(`li.attachment[data-id="${grid.id}"]`).click();
    await page.locator('.media-modal [data-setting="alt"] textarea').waitFor();
    const world = await cmsWorld(page);
    const found = (await world.call('inspect'))!;
    expect(found.screen.place).toBe('media-grid');
    expect(found.fields).toEqual([expect.objectContaining({ key: `wp-attachment-${grid.id}`, alt: '', attachmentId: grid.id, save: { kind: 'at-once' } })]);

    const text = 'A red square on a white page';
    const [written] = await world.call('fill', [{ key: `wp-attachment-${grid.id}`, alt: text }]);
    expect(written).toMatchObject({ ok: true, previous: '', save: { kind: 'at-once' } });
    expect(await world.call('waitForSave', `wp-attachment-${grid.id}`)).toBe('saved');
    expect(await wp.attachmentAlt(grid.id)).toBe(text);
    // What WordPress serves to everyone from now on.
    const media = await (await fetch(`${wp.url}/?rest_route=/wp/v2/media/${grid.id}`)).json();
    expect(media.alt_text).toBe(text);
    await page.close();
  });

  it('attachment edit page: filled, saved by Update, and Undo says it had been saved', async () => {
    const page = await context.newPage();
    await page.goto(`${wp.url}/wp-admin/post.php?post=${attachmentPage.id}&action=edit`);
    let world = await cmsWorld(page);
    const found = (await world.call('inspect'))!;
    expect(found.screen.place).toBe('attachment-page');
    const key = `wp-attachment-${attachmentPage.id}`;
    const text = 'A green square';
    const [written] = await world.call('fill', [{ key, alt: text }]);
    expect(written).toMatchObject({ ok: true, save: { kind: 'with-post', button: 'Update', hint: 'Click Update in WordPress to save' } });
    expect(await world.call('saveState', key)).toBe('unsaved');
    expect(await wp.attachmentAlt(attachmentPage.id)).toBeNull();

    // "Save for me": the page's own Update button.
    await Promise.all([page.waitForURL(/message=/), world.call('save')]);
    expect(await wp.attachmentAlt(attachmentPage.id)).toBe(text);

    world = await cmsWorld(page);
    const [field] = (await world.call('inspect'))!.fields;
    expect(field).toMatchObject({ alt: text, savedAlt: text });
    const [undone] = await world.call('undo', [{ key, previous: '', written: text }]);
    expect(undone).toMatchObject({ ok: true, alreadySaved: true });
    expect((await world.call('inspect'))!.fields[0].alt).toBe('');
    await page.close();
  });

  // One editor page for the block editor's tests, in order (loading the editor is the slow part).
  describe('in the block editor', () => {
    let page: Page;
    beforeAll(async () => {
      page = await context.newPage();
      await page.goto(`${wp.url}/wp-admin/post.php?post=${post.id}&action=edit`);
      await page.waitForFunction(() => (window as any).wp?.data?.select('core/block-editor')?.getBlocks().length > 0);
    });
    afterAll(() => page?.close());

    it('every Image block read and written through wp.data, kept by savePost', async () => {
      const world = await cmsWorld(page);
      const found = (await world.call('inspect'))!;
      expect(found.screen).toMatchObject({ place: 'block-editor', pageApi: 'wordpress-block-editor' });
      // The canvas shows "This image has an empty alt attribute; its file name is blue.png": not alt text.
      expect(await page.locator('.wp-block-image img').first().getAttribute('alt')).toMatch(/empty alt attribute/);
      expect(found.fields.map((f) => f.alt)).toEqual(['', '']);
      expect(found.fields[0].save).toEqual({ kind: 'with-post', button: 'Update', hint: 'Click Update in WordPress to save' });

      const snapshot = parseSnapshot(await page.evaluate(readBlockEditor));
      expect(snapshot).not.toBeNull();
      expect(snapshot!.images.map((i) => `wp-block-${i.clientId}`)).toEqual(found.fields.map((f) => f.key));
      expect(snapshot!.images[0]).toMatchObject({ alt: '', id: first.id, caption: 'Cornflowers by the gate', heading: 'Spring', before: 'Spring The first flowers came out in March.' });
      expect(snapshot!.title).toBe('Colours of the garden');

      const text = 'Blue cornflowers by a garden gate';
      const changes = pageChanges([{ key: found.fields[0].key, alt: text }]);
      expect(changes).toEqual([{ clientId: snapshot!.images[0].clientId, alt: text, overwrite: false }]);
      expect(await page.evaluate(writeBlockAlts, changes)).toEqual([{ clientId: snapshot!.images[0].clientId, ok: true, previous: '' }]);
      expect(await wp.postContent(post.id)).not.toContain(text);
      const dirty = parseSnapshot(await page.evaluate(readBlockEditor))!;
      expect(blockAltSaved(dirty, found.fields[0].key, text)).toBe(false);

      expect(await page.evaluate(saveBlockEditorPost)).toEqual({ ok: true, dirty: false, error: '' });
      expect(await wp.postContent(post.id)).toContain(`<img src="${first.url}" alt="${text}" class="wp-image-${first.id}"/>`);
      expect(blockAltSaved(parseSnapshot(await page.evaluate(readBlockEditor))!, found.fields[0].key, text)).toBe(true);

      // A person's alt text stays unless the change says overwrite.
      expect(await page.evaluate(writeBlockAlts, pageChanges([{ key: found.fields[0].key, alt: 'Something else' }]))).toEqual([
        { clientId: snapshot!.images[0].clientId, ok: false, reason: 'has-alt' },
      ]);
    });

    it('the selected block written through its React sidebar field from the isolated world', async () => {
      const clientId = await page.evaluate(() => {
        const { data } = (window as any).wp;
        const image = data.select('core/block-editor').getBlocks().filter((b: any) => b.name === 'core/image')[1];
        data.dispatch('core/block-editor').selectBlock(image.clientId);
        data.dispatch('core/edit-post').openGeneralSidebar('edit-post/block');
        return image.clientId as string;
      });
      await page.getByLabel('Alt text (alternative text)').waitFor();
      const world = await cmsWorld(page);
      const text = 'An orange square';
      expect(await world.call('fill', [{ key: `wp-block-${clientId}`, alt: text }])).toEqual([
        expect.objectContaining({ ok: true, previous: '', written: text }),
      ]);
      // React's onChange saw it: the block's attribute in the editor's store changed.
      expect(await page.evaluate((id) => (window as any).wp.data.select('core/block-editor').getBlock(id).attributes.alt, clientId)).toBe(text);
      expect(await page.evaluate(saveBlockEditorPost)).toMatchObject({ ok: true });
      expect(await wp.postContent(post.id)).toContain(`alt="${text}" class="wp-image-${second.id}"`);
    });

    it('the media modal opened from the editor: the library alt saved at once, the block left as it was', async () => {
      const blockAlt = () => page.evaluate(() => (window as any).wp.data.select('core/block-editor').getBlocks().find((b: any) => b.name === 'core/image').attributes.alt);
      const altBefore = await blockAlt();
      await page.evaluate(() => {
        const { data } = (window as any).wp;
        data.dispatch('core/block-editor').selectBlock(data.select('core/block-editor').getBlocks().find((b: any) => b.name === 'core/image').clientId);
      });
      await page.getByRole('button', { name: 'Replace' }).click();
      await page.getByRole('menuitem', { name: 'Open Media Library' }).click();
      await page.locator('.media-modal').getByRole('tab', { name: 'Media Library' }).click();
      await page.locator(`.media-modal li.attachment[data-id="${modal.id}"]`).click();
      await page.locator('.media-modal .media-sidebar [data-setting="alt"] textarea').waitFor();
      const world = await cmsWorld(page);
      const found = (await world.call('inspect'))!;
      expect(found.screen.place).toBe('media-modal');
      expect(found.fields).toEqual([expect.objectContaining({ key: `wp-attachment-${modal.id}`, alt: '', context: expect.objectContaining({ postTitle: 'Colours of the garden' }) })]);
      const text = 'A yellow square';
      expect((await world.call('fill', [{ key: `wp-attachment-${modal.id}`, alt: text }]))[0]).toMatchObject({ ok: true });
      expect(await world.call('waitForSave', `wp-attachment-${modal.id}`)).toBe('saved');
      expect(await wp.attachmentAlt(modal.id)).toBe(text);
      // The block's own alt is a separate value: unchanged until the user picks the image.
      expect(await blockAlt()).toBe(altBefore);
    });
  });
});
