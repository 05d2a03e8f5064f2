import { pageScript } from '../../lib/cli/browser';
import { gzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { CmsGlobal } from '../../lib/cms/page-global';

let bundle: Promise<string> | null = null;

/** lib/cms/page-global.ts bundled and minified the way an on-demand injected script would be. */
export function cmsBundle(): Promise<string> {
  bundle ??= pageScript(resolve(dirname(fileURLToPath(import.meta.url)), '../../lib/cms/page-global.ts'));
  return bundle;
}

/** Size of the CMS script in bytes, minified and gzipped. */
export async function cmsBundleSize(): Promise<{ bytes: number; gzip: number }> {
  const code = await cmsBundle();
  return { bytes: Buffer.byteLength(code), gzip: gzipSync(code).length };
}

export interface CmsWorld {
  call<K extends keyof CmsGlobal>(method: K, ...args: Parameters<CmsGlobal[K]>): Promise<Awaited<ReturnType<CmsGlobal[K]>>>;
}

/**
 * The CMS script in an isolated world of the page's main frame, as a content script runs: it
 * shares the DOM with the page but not its JavaScript (React's per-element value tracker, jQuery,
 * `wp`). Made again after each navigation.
 */
export async function cmsWorld(page: Page): Promise<CmsWorld> {
  const cdp = await page.context().newCDPSession(page);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const { executionContextId: contextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'altscout-cms' });
  const evaluate = async (expression: string) => {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId, returnByValue: true, awaitPromise: true });
    if (exceptionDetails) throw new Error(`in the isolated world: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  };
  await evaluate(await cmsBundle());
  return {
    call: (method, ...args) => evaluate(`__altscoutCms.${method}(...${JSON.stringify(args.filter((a) => a !== undefined))})`),
  };
}
