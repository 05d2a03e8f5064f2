import type { PageSummary } from '@/lib/page/schema';

export function summaryText(summary: PageSummary): string {
  if (!summary.supported) return summary.reason;
  const n = summary.counts.missing;
  if (n === 0) return 'No images missing alt text.';
  return `${n} ${n === 1 ? 'image' : 'images'} missing alt text`;
}

export function PageSummaryView({ summary }: { summary: PageSummary | null; }) {
  return (
    <p role="status" aria-label="Page summary" className="summary">
      {summary ? summaryText(summary) : 'Checking this page…'}
    </p>
  );
}
