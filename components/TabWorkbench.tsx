import { useState } from 'react';
import { useTabId } from './hooks/useTabId';
import { useCmsScreen } from './hooks/useCmsScreen';
import { Workbench } from './Workbench';
import { CmsWorkbench } from './CmsWorkbench';

/** Resolves the tab (pinned by ?tab= or the active one) and shows its workbench. */
export function TabWorkbench({ mode }: { mode: 'popup' | 'report' }) {
  const tab = useTabId();
  if (tab.status === 'ready') {
    return mode === 'popup' ? <PopupWorkbench key={tab.tabId} tabId={tab.tabId} /> : <Workbench key={tab.tabId} tabId={tab.tabId} mode={mode} />;
  }
  return <Checking mode={mode} message={tab.status === 'error' ? tab.message : null} />;
}

/** On a CMS editing screen the popup fills the editor's own alt fields (CmsWorkbench); elsewhere, the page view. */
export function PopupWorkbench({ tabId }: { tabId: number }) {
  const cms = useCmsScreen(tabId);
  const [pageView, setPageView] = useState(false);
  if (cms.state.status === 'checking') return <Checking mode="popup" message={null} />;
  if (cms.state.status === 'found' && !pageView) {
    return <CmsWorkbench tabId={tabId} inspection={cms.state.inspection} reinspect={cms.inspect} onLeave={() => setPageView(true)} />;
  }
  return <Workbench tabId={tabId} mode="popup" />;
}

function Checking({ mode, message }: { mode: 'popup' | 'report'; message: string | null }) {
  return (
    <main className={mode}>
      <h1>AltScout</h1>
      <p role="status" aria-label="Page summary" className={message ? 'summary error' : 'summary'}>
        {message ?? 'Checking this page…'}
      </p>
    </main>
  );
}
