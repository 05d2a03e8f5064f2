import type { Job } from '../jobs/schema';
import type { Finding } from '../scan/schema';
import { toCsv as writeCsv } from '../csv';
import { decisionFor, textFor, type Decision, type ReviewDraft } from './review';

/** One line of the report, for a CMS import or an audit record. */
export interface ReportRow {
  pageUrl: string;
  selector: string;
  imageUrl: string;
  status: string;
  oldAlt: string;
  newAlt: string;
  decision: Decision;
  model: string;
  costUsd: number;
  error: string;
}

export const CSV_COLUMNS: Array<[keyof ReportRow, string]> = [
  ['pageUrl', 'page_url'],
  ['selector', 'selector'],
  ['imageUrl', 'image_url'],
  ['status', 'status'],
  ['oldAlt', 'old_alt'],
  ['newAlt', 'new_alt'],
  ['decision', 'decision'],
  ['model', 'model'],
  ['costUsd', 'cost_usd'],
  ['error', 'error'],
];

/** Rejected and failed items stay in the report (an audit needs them) with an empty new alt. */
export function reportRows(job: Job, findings: Finding[], draft: ReviewDraft): ReportRow[] {
  const status = new Map(findings.map((f) => [f.id, f.status]));
  return job.items.map((item) => {
    const decision = decisionFor(item, draft);
    const kept = decision === 'accepted' || decision === 'edited';
    return {
      pageUrl: job.pageUrl,
      selector: item.selector,
      imageUrl: item.src ?? '',
      status: status.get(item.id) ?? '',
      oldAlt: item.oldAlt ?? '',
      newAlt: kept ? textFor(item, draft).trim() : '',
      decision,
      model: job.modelId,
      costUsd: item.costUsd,
      error: item.error ?? '',
    };
  });
}

/** The export as CSV, one line per job item (lib/csv.ts writes every cell, formula-safe). */
export function toCsv(rows: ReportRow[]): string {
  return writeCsv(CSV_COLUMNS.map(([key, header]) => [header, (row: ReportRow) => row[key]] as const), rows);
}

export function toJson(rows: ReportRow[], job: Job, exportedAt = new Date()): string {
  return `${JSON.stringify(
    {
      pageUrl: job.pageUrl,
      model: job.modelId,
      exportedAt: exportedAt.toISOString(),
      totalCostUsd: job.costUsd,
      items: rows,
    },
    null,
    2,
  )}\n`;
}

/** "altscout-example.com-2026-11-21.csv" */
export function exportFileName(pageUrl: string, ext: 'csv' | 'json', when = new Date()): string {
  let host = 'page';
  try {
    host = new URL(pageUrl).hostname || 'page';
  } catch {
    /* keep "page" */
  }
  return `altscout-${host.replace(/[^a-z0-9.-]/gi, '_')}-${when.toISOString().slice(0, 10)}.${ext}`;
}
