import { useTabId } from './hooks/useTabId';
import { Workbench } from './Workbench';

/** Resolves the tab (pinned by ?tab= or the active one) and shows its workbench. */
export function TabWorkbench({ mode }: { mode: 'popup' | 'report' }) {
  const tab = useTabId();
  if (tab.status === 'ready') return <Workbench key={tab.tabId} tabId={tab.tabId} mode={mode} />;
  return (
    <main className={mode}>
      <h1>AltScout</h1>
      <p role="status" aria-label="Page summary" className={tab.status === 'error' ? 'summary error' : 'summary'}>
        {tab.status === 'error' ? tab.message : 'Checking this page…'}
      </p>
    </main>
  );
}
