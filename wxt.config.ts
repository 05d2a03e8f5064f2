import { defineConfig } from 'wxt';

// Host access to http(s) pages lets the worker read cross-origin images without
// per-site prompts; the content script itself stays idle until asked.
export default defineConfig({
  // ALTSCOUT_OUT lets parallel builds (a benchmark beside a test run) keep out of each other's way.
  outDir: process.env.ALTSCOUT_OUT ?? '.output',
  modules: ['@wxt-dev/module-react'],
  imports: false,
  manifest: ({ browser }) => ({
    name: 'AltScout',
    description:
      'Finds images without a text alternative and describes them with a vision model you pick by price and quality.',
    permissions: ['storage', 'activeTab', 'alarms', 'contextMenus', 'webNavigation', 'identity', 'scripting'],
    host_permissions: ['http://*/*', 'https://*/*'],
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
