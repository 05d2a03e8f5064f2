// `npm start`: opens Chromium with the freshly built AltScout on a bundled demo page served
// from 127.0.0.1, so a newcomer sees the main job with no account and no network.
// `--check` runs headless, verifies the popup and writes docs/screenshots, then exits.
import { mkdirSync } from 'node:fs';
import { launchWithExtension } from '../support/browser';
import { startStaticServer } from '../support/static-server';

const check = process.argv.includes('--check');
const site = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
const browser = await launchWithExtension({ headless: check });
const demoUrl = `${site.url}/demo.html`;
const { page, tabId } = await browser.openTab(demoUrl);
const popup = await browser.openPopup(tabId);

if (check) {
  const status = popup.getByRole('status').first();
  await status.waitFor();
  await popup.waitForFunction(() => !document.querySelector('[role=status]')?.textContent?.includes('Checking'));
  console.log(`popup says: ${await status.textContent()}`);
  mkdirSync('tests/screenshots', { recursive: true });
  await popup.screenshot({ path: 'tests/screenshots/popup.png' });
  await browser.close();
  await site.close();
} else {
  await page.bringToFront();
  console.log(`AltScout is loaded in Chromium on ${demoUrl}.`);
  console.log('Its popup for the demo tab is open in the next tab; in your own browser, click the toolbar icon.');
  console.log('Press Ctrl+C to stop.');
  const stop = async () => { await browser.close().catch(() => {}); await site.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  browser.context.on('close', stop);
}
