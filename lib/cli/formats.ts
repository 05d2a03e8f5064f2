import type { Status } from '../scan/schema';
import { toCsv } from '../csv';
import type { AuditResult, ImageResult, PageResult } from './result';

/** The plain formats of an audit: table (people), JSON, JSON Lines, CSV; and the exit code rule. */

export const FORMATS = ['table', 'json', 'jsonl', 'csv', 'junit', 'sarif', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export const FAIL_ON = ['missing', 'suspicious', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function failingStatuses(failOn: FailOn): Status[] {
  return failOn === 'missing' ? ['missing'] : failOn === 'suspicious' ? ['missing', 'suspicious'] : [];
}

/** The images `--fail-on` counts on a page: with a baseline, only the new ones. */
export function failingImages(page: PageResult, failOn: FailOn, baseline: boolean): ImageResult[] {
  const statuses = failingStatuses(failOn);
  return page.images.filter((i) => statuses.includes(i.status) && (!baseline || i.change === 'new'));
}

export const EXIT = { clean: 0, found: 1, usage: 2, pageErrors: 3 } as const;

/** 1 when --fail-on finds something, else 3 when a page could not be audited, else 0. */
export function exitCode(pages: PageResult[], failOn: FailOn, baseline: boolean): number {
  if (pages.some((p) => failingImages(p, failOn, baseline).length > 0)) return EXIT.found;
  if (pages.some((p) => p.error)) return EXIT.pageErrors;
  return EXIT.clean;
}

export function jsonText(result: AuditResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

export function jsonLine(page: PageResult): string {
  return `${JSON.stringify(page)}\n`;
}

const SHOWN: Status[] = ['missing', 'suspicious'];

export function pageNotes(page: PageResult): string[] {
  const notes: string[] = [];
  if (page.scannedBeforeLoad) notes.push(`scanned before load (${page.readyState})`);
  if (!page.settled) notes.push('still changing at the wait cap');
  if (page.requests?.abandoned.length) notes.push(`${page.requests.abandoned.length} request${page.requests.abandoned.length === 1 ? '' : 's'} abandoned after the timeout`);
  if (page.requests?.blocked) notes.push(`${page.requests.blocked} blocked`);
  return notes;
}

export function tableText(result: AuditResult): string {
  const lines: string[] = [];
  for (const page of result.pages) {
    if (page.error) {
      lines.push(`${page.url}`, `  could not be audited: ${page.error}`, '');
      continue;
    }
    const c = page.counts;
    const notes = pageNotes(page);
    lines.push(`${page.url}  (${page.scanMs.toFixed(1)} ms scan, ${page.frames} frame${page.frames === 1 ? '' : 's'}${notes.length ? `; ${notes.join('; ')}` : ''})`);
    lines.push(`  missing ${c.missing}  suspicious ${c.suspicious}  decorative ${c.decorative}  ok ${c.ok}  ignored ${c.ignored}`);
    const rows = page.images.filter((f) => SHOWN.includes(f.status));
    if (rows.length) {
      const width = Math.min(60, Math.max(...rows.map((f) => f.selector.length)));
      for (const f of rows) {
        lines.push(`  ${f.status.padEnd(10)} ${f.kind.padEnd(11)} ${f.selector.padEnd(width)}  ${f.reasons.map((r) => r.code).join(',')}  ${f.src ?? ''}${f.change === 'new' ? '  [new]' : ''}`.trimEnd());
      }
    }
    for (const f of page.fixed ?? []) lines.push(`  fixed      ${f.kind.padEnd(11)} ${f.selector}  (was ${f.status})`);
    lines.push('');
  }
  lines.push(summaryLine(result));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(result: AuditResult): string {
  const s = result.summary;
  const c = s.counts;
  const parts = [`${s.pages} page${s.pages === 1 ? '' : 's'}`];
  if (s.failedPages) parts.push(`${s.failedPages} could not be audited`);
  if (s.scannedBeforeLoad) parts.push(`${s.scannedBeforeLoad} scanned before load`);
  const base = s.baseline ? `; since the baseline: ${s.baseline.new} new, ${s.baseline.fixed} fixed, ${s.baseline.unchanged} unchanged` : '';
  return `${parts.join(', ')}: missing ${c.missing}, suspicious ${c.suspicious}, decorative ${c.decorative}, ok ${c.ok}, ignored ${c.ignored}${base}`;
}

type CsvRow = { page: PageResult; image: ImageResult | null; change: string };

const CSV_COLUMNS = [
  ['page_url', (r: CsvRow) => r.page.url],
  ['frame', (r: CsvRow) => r.image?.frame ?? ''],
  ['selector', (r: CsvRow) => r.image?.selector ?? ''],
  ['kind', (r: CsvRow) => r.image?.kind ?? ''],
  ['status', (r: CsvRow) => (r.image ? r.image.status : 'error')],
  ['reasons', (r: CsvRow) => (r.image ? r.image.reasons.map((x) => x.code).join(' ') : r.page.error ?? '')],
  ['alt', (r: CsvRow) => r.image?.alt ?? ''],
  ['image_url', (r: CsvRow) => r.image?.src ?? ''],
  ['change', (r: CsvRow) => r.change],
] as const;

/** One row per image (and one per page that could not be audited), through lib/csv.ts. */
export function csvText(result: AuditResult): string {
  const rows: CsvRow[] = [];
  for (const page of result.pages) {
    if (page.error) rows.push({ page, image: null, change: '' });
    for (const image of page.images) rows.push({ page, image, change: image.change ?? '' });
    for (const image of page.fixed ?? []) rows.push({ page, image, change: 'fixed' });
  }
  return toCsv(CSV_COLUMNS, rows);
}
