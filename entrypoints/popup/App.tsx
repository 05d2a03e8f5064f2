import { useEffect, useState } from 'react';
import { send } from '@/lib/messaging';
import type { PageSummary } from '@/lib/page/schema';
import { PageSummaryView } from '@/components/PageSummaryView';
import { useTabId } from '@/components/useTabId';

export function App() {
  const tab = useTabId();
  const [summary, setSummary] = useState<PageSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (tab.status !== 'ready') return;
    send('getPageSummary', { tabId: tab.tabId })
      .then(setSummary)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [tab]);

  return (
    <main className="popup">
      <h1>AltScout</h1>
      {tab.status === 'error' || error ? (
        <p role="status" className="error">{tab.status === 'error' ? tab.message : error}</p>
      ) : (
        <PageSummaryView summary={summary} />
      )}
    </main>
  );
}
