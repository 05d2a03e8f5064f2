/**
 * The one CSV writer (RFC 4180) for the extension's exports and the command line. Every cell goes
 * through `csvCell`: text that starts like a spreadsheet formula (= + - @ tab CR) gets a leading
 * apostrophe, so a spreadsheet opening the file does not run text that came from a web page or a
 * model; cells with commas, quotes or line breaks are quoted.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value == null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, CRLF-terminated as RFC 4180 asks. */
export function toCsv<Row>(columns: ReadonlyArray<readonly [header: string, cell: (row: Row) => string | number | boolean | null | undefined]>, rows: Iterable<Row>): string {
  const lines = [columns.map(([header]) => csvCell(header)).join(',')];
  for (const row of rows) lines.push(columns.map(([, cell]) => csvCell(cell(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
