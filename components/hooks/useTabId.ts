import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { tabIdFromSearch } from '@/lib/page/tab-param';

export type TabIdState = { status: 'loading' } | { status: 'ready'; tabId: number } | { status: 'error'; message: string };

export function useTabId(search = location.search): TabIdState {
  const [state, setState] = useState<TabIdState>(() => {
    const pinned = tabIdFromSearch(search);
    return pinned == null ? { status: 'loading' } : { status: 'ready', tabId: pinned };
  });
  useEffect(() => {
    if (state.status !== 'loading') return;
    browser.tabs
      .query({ active: true, currentWindow: true })
      .then(([tab]) =>
        setState(tab?.id != null ? { status: 'ready', tabId: tab.id } : { status: 'error', message: 'No active tab to check.' }),
      )
      .catch((e: unknown) => setState({ status: 'error', message: String(e) }));
  }, [state.status]);
  return state;
}
