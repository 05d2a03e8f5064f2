import { type Finding, type Kind, type Status } from '../scan/schema';

/** What auditors filter the full findings list by; "all" lists every status, worst first. */
export type FindingFilter = Status | 'all';

export const FILTER_LABELS: Record<FindingFilter, string> = {
  all: 'All',
  missing: 'Missing',
  suspicious: 'Suspicious',
  decorative: 'Decorative',
  ok: 'OK',
  ignored: 'Ignored',
};

/** Worst first: what needs fixing, then what needs a look, then what is fine or out of scope. */
const SEVERITY: Status[] = ['missing', 'suspicious', 'decorative', 'ok', 'ignored'];

export const FILTERS: FindingFilter[] = ['all', ...SEVERITY];

export const KIND_LABELS: Record<Kind, string> = {
  img: 'img',
  'input-image': 'image button (input type=image)',
  'role-img': 'element with role=img',
  svg: 'inline svg',
  area: 'image map area',
};

export interface NumberedFinding {
  /** 1-based position in the page's full list, so a finding keeps its number under every filter. */
  n: number;
  finding: Finding;
}

/**
 * The findings one filter shows, numbered by page order. Within "all" they are grouped by status,
 * worst first; inside a status they stay in page order (frame by frame), the order people scroll.
 */
export function filterFindings(findings: Finding[], filter: FindingFilter): NumberedFinding[] {
  const numbered = findings.map((finding, i) => ({ n: i + 1, finding }));
  if (filter !== 'all') return numbered.filter(({ finding }) => finding.status === filter);
  const rank = (s: Status) => SEVERITY.indexOf(s);
  return numbered.sort((a, b) => rank(a.finding.status) - rank(b.finding.status) || a.n - b.n);
}

export function countFindings(findings: Finding[]): Record<FindingFilter, number> {
  const counts = Object.fromEntries(FILTERS.map((f) => [f, 0])) as Record<FindingFilter, number>;
  for (const f of findings) counts[f.status] += 1;
  counts.all = findings.length;
  return counts;
}

/** The alt text as found, in words: no attribute, an empty (decorative) one, or the text quoted. */
export function currentAltText(alt: string | null): string {
  if (alt == null) return 'none';
  if (alt === '') return 'empty (decorative)';
  return `“${alt}”`;
}

/** data: URLs run to megabytes; show their type and size instead of the bytes. */
export function imageUrlText(src: string | null): string {
  if (src == null) return 'none (inline svg)';
  if (!src.startsWith('data:')) return src;
  const type = src.slice(5, src.search(/[;,]/)) || 'data';
  return `inline ${type} data (${Math.round(src.length / 1024) || '<1'} kB)`;
}

/** Images the page does not render (display:none and the like) or draws at 1x1: nothing to scroll to. */
export function notShownOnPage(finding: Finding): boolean {
  return finding.reasons.some((r) => r.code === 'hidden' || r.code === 'tracking-pixel');
}
