import type { Ref } from 'react';
import type { PageSummary } from '@/lib/page/schema';

export function summaryText(summary: PageSummary): string {
  if (!summary.supported) return summary.reason;
  const n = summary.counts.missing;
  if (n === 0) return 'No images missing alt text.';
  return `${n} ${n === 1 ? 'image' : 'images'} missing alt text`;
}

/**
 * Other tests read this region by its name and its opening words: keep both stable. It takes the
 * focus (programmatically only) after "Scan again", whose button goes away.
 */
export function PageSummaryView({ summary, error, ref }: { summary: PageSummary | null; error?: string | null; ref?: Ref<HTMLParagraphElement> }) {
  return (
    <p ref={ref} tabIndex={-1} role="status" aria-label="Page summary" className={error ? 'summary error' : 'summary'}>
      {error ?? (summary ? summaryText(summary) : 'Checking this page…')}
    </p>
  );
}
