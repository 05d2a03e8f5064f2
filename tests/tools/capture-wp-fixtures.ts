/**
 * Saves the real markup of WordPress 6.1's four alt text screens into tests/fixtures/cms/, for the
 * CMS adapters' unit tests. Run by hand after a WordPress upgrade:
 *
 *   npx tsx tests/tools/capture-wp-fixtures.ts
 *
 * Starts the test WordPress (tests/support/wordpress.ts), opens each screen in headless Chromium
 * the way an editor would, and saves the document with the form fields' current values written
 * into the markup. Only what no adapter reads is trimmed: scripts, styles, stylesheet links, SVG
 * drawing paths; the per-run port becomes 8080 and nonces zeros.
 */
import { writeFileSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { headingBlock, imageBlock, paragraphBlock, startWordPress } from '../support/wordpress';
import { chromiumPath } from '../../lib/cli/browser';

const OUT = 'tests/fixtures/cms';
const IMG = 'tests/fixtures/img';

const wp = await startWordPress();
const browser = await chromium.launch({
  executablePath: chromiumPath(),
  args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
});
try {
  const red = await wp.createAttachment({ file: `${IMG}/red.png`, title: 'red' });
  const blue = await wp.createAttachment({ file: `${IMG}/blue.png`, title: 'blue', alt: 'A blue square' });
  const green = await wp.createAttachment({ file: `${IMG}/green.png`, title: 'green' });
  const post = await wp.createPost({
    title: 'Colours of the garden',
    content: [
      headingBlock('Spring'),
      paragraphBlock('The first flowers came out in March.'),
      imageBlock(red, { caption: 'Poppies by the gate' }),
      paragraphBlock('Then the sky cleared.'),
      imageBlock(blue, { alt: 'A blue square' }),
      `<!-- wp:group -->\n<div class="wp-block-group">${imageBlock(green)}</div>\n<!-- /wp:group -->`,
      paragraphBlock('The end of the post.'),
    ].join('\n\n'),
  });

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await wp.login(context);
  const page = await context.newPage();

  // 1. Block editor: the first Image block selected, the Block tab of the sidebar open.
  await page.goto(`${wp.url}/wp-admin/post.php?post=${post.id}&action=edit`);
  await page.waitForFunction(() => (window as any).wp?.data?.select('core/block-editor')?.getBlocks().length > 0);
  const invalid = await page.evaluate(() => (window as any).wp.data.select('core/block-editor').getBlocks().filter((b: any) => !b.isValid).map((b: any) => b.name));
  if (invalid.length) throw new Error(`invalid blocks in the seeded post: ${invalid.join(', ')}`);
  const [first] = await page.evaluate(() =>
    (window as any).wp.data.select('core/block-editor').getBlocks().filter((b: any) => b.name === 'core/image').map((b: any) => b.clientId),
  );
  await page.evaluate((clientId: string) => {
    const { data } = (window as any).wp;
    data.dispatch('core/block-editor').selectBlock(clientId);
    data.dispatch('core/edit-post').openGeneralSidebar('edit-post/block');
  }, first);
  await page.getByLabel('Alt text (alternative text)').waitFor();
  await save(page, 'wp61-block-editor.html');

  // 2. Media modal inside the editor: Replace, Open Media Library, the library tab, the blue image.
  await page.getByRole('button', { name: 'Replace' }).click();
  await page.getByRole('menuitem', { name: 'Open Media Library' }).click();
  await page.locator('.media-modal').getByRole('tab', { name: 'Media Library' }).click();
  await page.locator(`.media-modal li.attachment[data-id="${blue.id}"]`).click();
  await page.locator('.media-modal .media-sidebar [data-setting="alt"] textarea').waitFor();
  await save(page, 'wp61-editor-media-modal.html');

  // 3. Media Library grid, the red image's details modal.
  await page.goto(`${wp.url}/wp-admin/upload.php?mode=grid`);
  await page.locator(`li.attachment[data-id="${red.id}"]`).click();
  await page.locator('.media-modal [data-setting="alt"] textarea').waitFor();
  await save(page, 'wp61-media-grid-modal.html');

  // 4. Attachment edit page of the green image.
  await page.goto(`${wp.url}/wp-admin/post.php?post=${green.id}&action=edit`);
  await page.locator('#attachment_alt').waitFor();
  await save(page, 'wp61-attachment-edit.html');
  console.log(`saved 4 fixtures in ${OUT}`);
} finally {
  await browser.close();
  await wp.stop();
}

async function save(page: Page, name: string): Promise<void> {
  // Let late renders settle (the sidebar, the modal's library) before reading the document.
  await page.waitForTimeout(500);
  const html = await page.evaluate(() => {
    // Current values into the markup, which otherwise keeps only what the server sent.
    for (const el of document.querySelectorAll('textarea')) el.textContent = el.value;
    for (const el of document.querySelectorAll('input')) {
      if (el.type === 'checkbox' || el.type === 'radio') el.toggleAttribute('checked', el.checked);
      else el.setAttribute('value', /nonce|unfiltered_html/i.test(el.name || el.id) ? '0000000000' : el.value);
    }
    const clone = document.documentElement.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('script, noscript, style, link[rel="stylesheet"], link[rel="preload"]').forEach((el) => el.remove());
    clone.querySelectorAll('svg').forEach((svg) => svg.replaceChildren());
    return `<!doctype html>\n${clone.outerHTML}`;
  });
  const port = new URL(wp.url).port;
  const trimmed = html
    .replaceAll(`127.0.0.1:${port}`, '127.0.0.1:8080')
    .replace(/(nonce=|nonce&quot;:&quot;|imageEdit\.open\( \d+, &quot;)[0-9a-f]{10}/g, '$10000000000')
    .replace(/\n\s*\n+/g, '\n');
  writeFileSync(`${OUT}/${name}`, `<!-- WordPress 6.1.9 admin screen saved by tests/tools/capture-wp-fixtures.ts: scripts, styles and SVG paths trimmed -->\n${trimmed}\n`);
  console.log(name, `${(trimmed.length / 1024).toFixed(0)} kB`);
}
