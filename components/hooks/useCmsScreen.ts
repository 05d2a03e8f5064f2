import { useCallback, useEffect, useState } from 'react';
import type { CmsInspection } from '@/lib/cms/messages';
import { usePlatform } from '../api';

export type CmsScreenState =
  | { status: 'checking' }
  | { status: 'none' }
  | { status: 'found'; inspection: Extract<CmsInspection, { found: true }> };

/** How long the popup waits for the answer before it shows the ordinary page view. */
export const CMS_CHECK_MS = 4000;

/**
 * Whether the tab shows a CMS editing screen (the worker's `cmsInspect`), and `inspect` to look
 * again (after filling, or after the editor saved and loaded its page again). Any failure means
 * "no editing screen": the popup then shows the ordinary page view.
 */
export function useCmsScreen(tabId: number): { state: CmsScreenState; inspect(): Promise<CmsScreenState> } {
  const platform = usePlatform();
  const [state, setState] = useState<CmsScreenState>({ status: 'checking' });

  const inspect = useCallback(async (): Promise<CmsScreenState> => {
    let next: CmsScreenState;
    try {
      const answer = await Promise.race([
        platform.send('cmsInspect', { tabId }),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), CMS_CHECK_MS)),
      ]);
      next = answer?.found ? { status: 'found', inspection: answer } : { status: 'none' };
    } catch {
      next = { status: 'none' };
    }
    setState((current) => (current.status === 'found' && next.status === 'none' && current.inspection.tabId === tabId ? current : next));
    return next;
  }, [platform, tabId]);

  useEffect(() => {
    void inspect();
  }, [inspect]);

  return { state, inspect };
}
