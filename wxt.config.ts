import { defineConfig } from 'wxt';

/**
 * Least privilege: AltScout reads a page only after a click on it (activeTab: the toolbar button
 * or the context menu item) and injects its script then (scripting); no content script is
 * registered, and no site is granted up front. Other sites (a page's frames and images served
 * from elsewhere) are optional host permissions, asked for from the click that needs them.
 *
 * The test build: automated browsers cannot answer a permission prompt, so
 * `ALTSCOUT_TEST_HOSTS=all` at build time makes every site a required host permission
 * (`<all_urls>`) and changes nothing else. It builds into `.output-test` unless ALTSCOUT_OUT says
 * otherwise, so a store build in `.output` is never mistaken for it.
 */
const testHosts = process.env.ALTSCOUT_TEST_HOSTS;
if (testHosts && testHosts !== 'all') throw new Error(`ALTSCOUT_TEST_HOSTS must be "all" (or unset), not "${testHosts}".`);
const HOSTS = ['http://*/*', 'https://*/*'];

export default defineConfig({
  // ALTSCOUT_OUT lets parallel builds (a benchmark beside a test run) keep out of each other's way.
  outDir: process.env.ALTSCOUT_OUT ?? (testHosts ? '.output-test' : '.output'),
  modules: ['@wxt-dev/module-react'],
  imports: false,
  manifest: ({ browser, manifestVersion }) => ({
    name: 'AltScout',
    description:
      'Finds images without a text alternative and describes them with a vision model you pick by price and quality.',
    // storage: settings, jobs, caption cache; alarms: wake the worker mid-job; contextMenus: "Describe
    // this image"; identity: OpenRouter sign-in; activeTab + scripting: read the page a click was on.
    permissions: ['storage', 'activeTab', 'alarms', 'contextMenus', 'identity', 'scripting'],
    ...(testHosts ? { host_permissions: ['<all_urls>'] } : {}),
    // An MV2 build has no optional_host_permissions: its optional permissions hold host patterns.
    ...(manifestVersion === 2 ? { optional_permissions: HOSTS } : { optional_host_permissions: HOSTS }),
    action: { default_title: 'AltScout' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'altscout@altscout.dev',
              // Firefox 140 (an ESR) is the first to read data_collection_permissions.
              strict_min_version: '140.0',
              // What leaves the browser, only when the user runs a job: the images and the page text
              // quoted with them (title, heading, caption, link text and target, nearby text), sent
              // to the provider the user chose. Nothing goes to AltScout's authors. README: Firefox.
              data_collection_permissions: { required: ['websiteContent'] },
            },
            // Firefox for Android reads data_collection_permissions from 142.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
