import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ComparePage } from '@/components/ComparePage';
import { tabIdFromSearch } from '@/lib/page/tab-param';
import '@/components/theme.css';

// compare.html?tab=ID: the comparison for one tab (opened from the popup's "Compare models").
const tabId = tabIdFromSearch(location.search);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {tabId == null ? (
      <main className="compare">
        <h1>Compare models on your images</h1>
        <p className="error">Open this from AltScout&apos;s popup on the page whose images you want to compare on.</p>
      </main>
    ) : (
      <ComparePage tabId={tabId} />
    )}
  </StrictMode>,
);
