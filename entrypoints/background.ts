import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { handle, send } from '@/lib/messaging';
import { getPageSummary } from '@/lib/background/page-summary';

export default defineBackground(() => {
  handle('getPageSummary', ({ tabId }) =>
    getPageSummary(tabId, {
      getTab: (id) => browser.tabs.get(id).catch(() => undefined),
      scanFrames: async (id) => [await send('scanFrame', {}, { tabId: id, frameId: 0 })],
      inject: async (id) => {
        await browser.scripting.executeScript({ target: { tabId: id, allFrames: true }, files: ['/content-scripts/content.js'] });
      },
    }),
  );
});
