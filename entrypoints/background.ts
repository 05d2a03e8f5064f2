import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { handle } from '@/lib/messaging';
import { getPageSummary, scanAllFrames } from '@/lib/background/page-summary';
import { registerTabActions } from '@/lib/background/tab-actions';
import { registerJobs } from '@/lib/background/jobs';
import { registerCatalog } from '@/lib/background/catalog';
import { registerContextMenu } from '@/lib/background/context-menu';
import { closeStorageToContentScripts } from '@/lib/background/storage-access';

export default defineBackground(() => {
  void closeStorageToContentScripts();
  handle('getPageSummary', ({ tabId }) =>
    getPageSummary(tabId, {
      getTab: (id) => browser.tabs.get(id).catch(() => undefined),
      scanFrames: scanAllFrames,
      inject: async (id) => {
        await browser.scripting.executeScript({ target: { tabId: id, allFrames: true }, files: ['/content-scripts/content.js'] });
      },
    }),
  );
  registerTabActions();
  registerJobs();
  registerCatalog();
  registerContextMenu();
});
