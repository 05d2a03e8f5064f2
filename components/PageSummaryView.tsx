import type { PageSummary } from '@/lib/page/schema';

export function summaryText(summary: PageSummary): string {
  if (!summary.supported) return summary.reason;
  const n = summary.counts.missing;
  if (n === 0) return 'No images missing alt text.';
  return `${n} ${n === 1 ? 'image' : 'images'} missing alt text`;
}

/** Other tests read this region by its name and its opening words: keep both stable. */
export function PageSummaryView({ summary, error }: { summary: PageSummary | null; error?: string | null }) {
  return (
    <p role="status" aria-label="Page summary" className={error ? 'summary error' : 'summary'}>
      {error ?? (summary ? summaryText(summary) : 'Checking this page…')}
    </p>
  );
}
