import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import '@/lib/cms/page-global';

// Not a registered content script: the worker injects this file on demand (lib/background/cms.ts)
// into the top frame of a tab the popup is opened on, to recognise an editing screen and fill its
// alt fields. A second injection finds the global the first left and answers with the same token.
export default defineUnlistedScript(() => globalThis.__altscoutCms!.hello());
