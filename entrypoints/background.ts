import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { handle } from '@/lib/messaging';
import { browserTabAccess, getPageSummary } from '@/lib/background/page-summary';
import { registerTabActions } from '@/lib/background/tab-actions';
import { registerJobs } from '@/lib/background/jobs';
import { registerCatalog } from '@/lib/background/catalog';
import { registerContextMenu } from '@/lib/background/context-menu';
import { registerEvidence } from '@/lib/background/evidence';
import { closeStorageToContentScripts } from '@/lib/background/storage-access';

export default defineBackground(() => {
  void closeStorageToContentScripts();
  const tabs = browserTabAccess((id) => browser.tabs.get(id).catch(() => undefined));
  handle('getPageSummary', ({ tabId }) => getPageSummary(tabId, tabs));
  registerTabActions();
  registerJobs();
  registerCatalog();
  registerContextMenu();
  registerEvidence();
});
