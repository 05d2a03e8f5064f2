import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { handle } from '@/lib/messaging';
import { browserTabAccess, getPageSummary } from '@/lib/background/page-summary';
import { registerTabActions } from '@/lib/background/tab-actions';
import { createJobRunner, registerJobs } from '@/lib/background/jobs';
import { browserFramePort } from '@/lib/background/job-inputs';
import { registerCms, withCmsInputs } from '@/lib/background/cms';
import { registerCatalog } from '@/lib/background/catalog';
import { registerContextMenu } from '@/lib/background/context-menu';
import { registerEvidence } from '@/lib/background/evidence';
import { closeStorageToContentScripts } from '@/lib/background/storage-access';

export default defineBackground(() => {
  void closeStorageToContentScripts();
  const tabs = browserTabAccess((id) => browser.tabs.get(id).catch(() => undefined));
  handle('getPageSummary', ({ tabId }) => getPageSummary(tabId, tabs));
  registerTabActions();
  // Jobs over a CMS editing screen's fields read their inputs from the CMS script (lib/background/cms.ts).
  const frames = withCmsInputs(browserFramePort);
  registerJobs(createJobRunner({ frames }), frames);
  registerCms();
  registerCatalog();
  registerContextMenu();
  registerEvidence();
});
