import { describe, expect, it } from 'vitest';
import { exportFileName, reportRows, toCsv, toJson } from '@/lib/ui/export';
import { csvCell } from '@/lib/csv';
import { EMPTY_DRAFT } from '@/lib/ui/review';
import { FINDINGS, PAGE_URL, doneItem, job, jobItem } from './popup-fixtures';

/** Splits RFC 4180 text back into rows, to prove the quoting round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  return rows;
}

describe('report export', () => {
  const theJob = job([
    doneItem(FINDINGS[0]),
    { ...doneItem(FINDINGS[1]), alt: 'Line one\nline "two", with comma' },
    doneItem(FINDINGS[2]),
    jobItem(FINDINGS[3], { state: 'failed', error: 'Provider returned error' }),
  ], { state: 'done' });
  const draft = { edits: { '0:menu:f1': '  Edited text  ' }, rejected: ['0:menu:f3'], updatedAt: 1 };

  it('has one row per job item with status, old and new alt, decision, model and cost', () => {
    const rows = reportRows(theJob, FINDINGS, draft);
    expect(rows.map((r) => [r.status, r.oldAlt, r.newAlt, r.decision])).toEqual([
      ['missing', '', 'Edited text', 'edited'],
      ['missing', '', 'Line one\nline "two", with comma', 'accepted'],
      ['suspicious', 'IMG_2041.jpg', '', 'rejected'],
      ['missing', '', '', 'failed'],
    ]);
    expect(rows[3].error).toBe('Provider returned error');
    expect(rows.every((r) => r.pageUrl === PAGE_URL && r.model === theJob.modelId)).toBe(true);
  });

  it('writes CSV that parses back to the same cells', () => {
    const rows = reportRows(theJob, FINDINGS, draft);
    const parsed = parseCsv(toCsv(rows));
    expect(parsed[0]).toEqual(['page_url', 'selector', 'image_url', 'status', 'old_alt', 'new_alt', 'decision', 'model', 'cost_usd', 'error']);
    expect(parsed).toHaveLength(5);
    expect(parsed[2][5]).toBe('Line one\nline "two", with comma');
    expect(parsed[1][8]).toBe('0.0002');
  });

  it('defuses cells that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('A red swatch')).toBe('A red swatch');
    expect(csvCell(0.5)).toBe('0.5');
  });

  it('writes JSON with the page, model, total cost and items', () => {
    const rows = reportRows(theJob, FINDINGS, EMPTY_DRAFT);
    const json = JSON.parse(toJson(rows, theJob, new Date('2026-11-21T08:00:00Z')));
    expect(json).toMatchObject({ pageUrl: PAGE_URL, model: theJob.modelId, exportedAt: '2026-11-21T08:00:00.000Z', totalCostUsd: theJob.costUsd });
    expect(json.items).toHaveLength(4);
  });

  it('names files after the site and the day', () => {
    const when = new Date('2026-11-21T08:00:00Z');
    expect(exportFileName('https://www.example.org/a/b', 'csv', when)).toBe('altscout-www.example.org-2026-11-21.csv');
    expect(exportFileName('file:///tmp/x.html', 'json', when)).toBe('altscout-page-2026-11-21.json');
    expect(exportFileName('not a url', 'csv', when)).toBe('altscout-page-2026-11-21.csv');
  });
});
