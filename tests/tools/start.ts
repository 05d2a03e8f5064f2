// `npm start`: opens Chromium with the freshly built AltScout on a bundled demo page served
// from 127.0.0.1, so a newcomer sees the main job with no account and no network: descriptions
// come from the local stand-in for OpenRouter (tests/support/fake-openrouter.ts), which
// describes each image by its colour. `--real` leaves the settings at OpenRouter's defaults.
// `--check` runs headless, verifies the popup and exits; under `npm run screenshots` it also
// writes tests/screenshots/popup.png.
import { launchWithExtension } from '../support/browser';
import { screenshot } from '../support/screenshots';
import { startStaticServer } from '../support/static-server';
import { startFakeOpenRouter } from '../support/fake-openrouter';
import { useModelServer } from './use-model-server';

const check = process.argv.includes('--check');
const real = process.argv.includes('--real');
const site = await startStaticServer('tests/fixtures/pages', 'tests/fixtures');
const fake = real ? null : await startFakeOpenRouter({ latencyMs: 600 });
const browser = await launchWithExtension({ headless: check });
if (fake) await useModelServer(browser.worker, fake.apiBase, { concurrency: 2 });
const demoUrl = `${site.url}/demo.html`;
const { page, tabId } = await browser.openTab(demoUrl);
const popup = await browser.openPopup(tabId);

const stop = async () => {
  await browser.close().catch(() => {});
  await site.close();
  await fake?.close();
};

if (check) {
  const status = popup.getByRole('status', { name: 'Page summary' });
  await popup.waitForFunction(() => !document.querySelector('[role=status]')?.textContent?.includes('Checking'));
  console.log(`popup says: ${await status.textContent()}`);
  await popup.getByRole('radio', { name: /Budget/ }).waitFor();
  await screenshot(popup, 'popup');
  await stop();
} else {
  await page.bringToFront();
  console.log(`AltScout is loaded in Chromium on ${demoUrl}.`);
  console.log('Its popup for the demo tab is open in the next tab; in your own browser, click the toolbar icon.');
  if (fake) console.log(`Descriptions come from a local stand-in for OpenRouter at ${fake.apiBase} (run with --real to use OpenRouter).`);
  console.log('Press Ctrl+C to stop.');
  const quit = async () => { await stop(); process.exit(0); };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  browser.context.on('close', quit);
}
