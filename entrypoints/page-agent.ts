import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { startAgent } from '@/lib/page/agent';

// Not a registered content script: the worker injects this file on demand (lib/background/frames.ts)
// into every frame of a tab it may script, and reads what `main` returns. It registers one message
// listener and does no DOM work until asked.
export default defineUnlistedScript(() => startAgent(document));
