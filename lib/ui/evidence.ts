import type { EvidenceSummary } from '../evidence/schema';

/**
 * The options page's sentence for what the user's reviews and comparisons hold about one model:
 * "GPT-5.6 Luna: 18 of 20 suggestions accepted unedited, 1 edited, 1 rejected; won 4 of 5
 * comparisons, tied 1." Only counts that are not zero are said.
 */
export function evidenceSentence(name: string, s: EvidenceSummary): string {
  const parts: string[] = [];
  if (s.reviews > 0) {
    const rest = [
      s.edited > 0 && `${s.edited} edited`,
      s.rejected > 0 && `${s.rejected} rejected`,
      s.regenerated > 0 && `${s.regenerated} regenerated`,
    ].filter(Boolean);
    parts.push(`${s.acceptedUnedited} of ${s.reviews} ${s.reviews === 1 ? 'suggestion' : 'suggestions'} accepted unedited${rest.length ? `, ${rest.join(', ')}` : ''}`);
  }
  if (s.comparisons > 0) {
    parts.push(`won ${s.won} of ${s.comparisons} ${s.comparisons === 1 ? 'comparison' : 'comparisons'}${s.tied > 0 ? `, tied ${s.tied}` : ''}`);
  }
  return `${name}: ${parts.length ? parts.join('; ') : 'nothing recorded'}.`;
}
