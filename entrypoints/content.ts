import { defineContentScript } from 'wxt/utils/define-content-script';
import { handle } from '@/lib/messaging';
import { scanFrame } from '@/lib/scan';

// Runs in every page and frame, so it registers listeners and does no DOM work until asked.
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*', 'file:///*'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_idle',
  main() {
    handle('scanFrame', () => scanFrame(document));
  },
});
