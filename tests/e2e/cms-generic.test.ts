import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from '../../lib/cli/browser';
import { startStaticServer, type StaticServer } from '../support/static-server';
import { cmsWorld } from '../support/cms-world';

/**
 * The generic adapter in Chromium, from an isolated world as the extension's injected script runs:
 * a plain HTML form (its submission carries the written text) and a React-controlled form (React's
 * own state must see the text).
 */

let site: StaticServer;
let browser: Browser;
let reactBundle: string;

beforeAll(async () => {
  [site, browser, reactBundle] = await Promise.all([
    startStaticServer('tests/fixtures/cms', 'tests/fixtures'),
    chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] }),
    build({
      entryPoints: ['tests/fixtures/cms/react-form.tsx'],
      bundle: true,
      write: false,
      format: 'iife',
      jsx: 'automatic',
      minify: true,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    }).then((out) => out.outputFiles[0].text),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('generic adapter in Chromium', () => {
  let page: Page;

  it('finds the four alt fields of the fixture form by their labels, and the text goes out with the form', async () => {
    page = await browser.newPage();
    await page.goto(`${site.url}/generic-form.html`);
    const world = await cmsWorld(page);
    const found = (await world.call('inspect'))!;
    expect(found.fields.map((f) => [new URL(f.src).pathname, f.label])).toEqual([
      ['/img/red.png', 'Alt text'],
      ['/img/blue.png', 'Texte alternatif'],
      ['/img/green.png', 'Alternativtext'],
      ['/img/yellow.png', 'Texto alternativo'],
    ]);
    const [red, blue] = found.fields;
    const results = await world.call('fill', [{ key: red.key, alt: 'Red poppies by a gate' }, { key: blue.key, alt: 'Un carré bleu foncé', overwrite: true }]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    await Promise.all([page.waitForURL(/#saved$/), page.getByRole('button', { name: 'Save article' }).click()]);
    const sent = new URL(page.url()).searchParams;
    expect(sent.get('images[0][alt]')).toBe('Red poppies by a gate');
    expect(sent.get('images[1][alt]')).toBe('Un carré bleu foncé');
    await page.close();
  });

  it('writes a React-controlled field so that React’s state has it', async () => {
    page = await browser.newPage();
    await page.route('**/react-form.js', (route) => route.fulfill({ contentType: 'text/javascript', body: reactBundle }));
    await page.goto(`${site.url}/react-form.html`);
    const field = page.getByLabel('Alternative text');
    await field.waitFor();

    // The trap: assigning the value in the page's own world goes through React's tracker, so React
    // never sees it. (React handles a discrete event like input synchronously: had it seen the
    // change, the state would show it as soon as dispatchEvent returns.)
    const stateAfterPlainWrite = await field.evaluate((el: HTMLTextAreaElement) => {
      el.value = 'Plain assignment';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      return document.querySelector('[data-testid="state"]')!.textContent;
    });
    expect(stateAfterPlainWrite).toBe('');

    const world = await cmsWorld(page);
    const [found] = (await world.call('inspect'))!.fields;
    expect(found).toMatchObject({ label: 'Alternative text', src: `${site.url}/img/purple.png`, alt: 'Plain assignment' });
    // The field now holds text React does not know about; the adapter writes it through anyway (overwrite: the test's own text).
    expect((await world.call('fill', [{ key: found.key, alt: 'A purple square', overwrite: true }]))[0]).toMatchObject({ ok: true });
    await expect.poll(() => page.getByTestId('state').textContent()).toBe('A purple square');
    await page.getByRole('button', { name: 'Save image' }).click();
    await expect.poll(() => page.getByTestId('saved').textContent()).toBe('A purple square');
    await page.close();
  });
});
