import { defineContentScript } from 'wxt/utils/define-content-script';
import { onContentMessage as handle } from '@/lib/page/content-messages';
import { ContentAgent } from '@/lib/page/content-agent';

// Runs in every page and frame, so it registers listeners and does no DOM work until asked.
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*', 'file:///*'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_idle',
  main() {
    const agent = new ContentAgent(document);
    handle('scanFrame', () => agent.scan());
    handle('findingDetails', ({ ids }) => ({ details: agent.details(ids) }));
    handle('highlight', ({ on, ids }) => ({ shown: agent.highlight(on, ids) }));
    handle('revealFinding', ({ id }) => ({ found: agent.reveal(id) }));
    handle('applyAlt', ({ items }) => agent.apply(items));
    handle('undoAlt', () => ({ restored: agent.undo() }));
    handle('readBlob', async ({ url }) => ({ dataUrl: await agent.readBlob(url) }));
  },
});
