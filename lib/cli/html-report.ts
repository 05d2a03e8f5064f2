import { createHash } from 'node:crypto';
import type { AuditResult, ImageResult, PageResult } from './result';
import { pageNotes, summaryLine } from './formats';

/**
 * One self-contained HTML file for a client: the site's totals, a summary per page, and every
 * image with its thumbnail (where it could be read), selector, status and reasons, sortable and
 * filterable. Plain HTML first (every row is there without script), native controls, a live
 * region for what the filters and sorting did. Page text (alt, URLs, titles) is escaped; a
 * Content-Security-Policy allows only the report's own script and data: images.
 */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STATUSES = ['missing', 'suspicious', 'decorative', 'ok', 'ignored'] as const;
const STATUS_LABEL: Record<string, string> = { missing: 'Missing', suspicious: 'Suspicious', decorative: 'Decorative', ok: 'OK', ignored: 'Ignored' };

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fff; --muted: #55575d; --line: #c9cbd1; --accent: #0b57d0; --missing: #a4161a; --suspicious: #7a4d00; --ok: #1d6b35; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececf1; --bg: #16171a; --muted: #b4b6bd; --line: #44464d; --accent: #8ab4ff; --missing: #ff8a8a; --suspicious: #ffc75f; --ok: #7fd69a; } }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
header, main { max-width: 80rem; margin: 0 auto; padding: 1rem 1.5rem; }
h1 { margin: .5rem 0 0; font-size: 1.75rem; }
h2 { margin-top: 2rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.muted { color: var(--muted); }
.totals { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; margin: 0; list-style: none; }
.totals li { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem 1rem; min-width: 8rem; }
.totals strong { display: block; font-size: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-decoration: underline dotted; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
td.selector, td.url { font-family: ui-monospace, monospace; font-size: .875rem; word-break: break-all; }
.status { font-weight: 600; }
.status-missing { color: var(--missing); }
.status-suspicious { color: var(--suspicious); }
.status-ok { color: var(--ok); }
.thumb { width: 96px; max-height: 96px; object-fit: contain; background: repeating-conic-gradient(#ccc 0 25%, #fff 0 50%) 0 0/12px 12px; border: 1px solid var(--line); }
form.filters { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: end; border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; }
fieldset { border: 0; margin: 0; padding: 0; }
legend { font-weight: 600; padding: 0; }
fieldset label { margin-right: 1rem; white-space: nowrap; }
.field label { display: block; font-weight: 600; }
input[type="search"], select { font: inherit; padding: .25rem .4rem; min-width: 16rem; max-width: 100%; }
tr[hidden] { display: none; }
`;

const SCRIPT = `(() => {
  const table = document.getElementById('findings');
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const live = document.getElementById('shown');
  const form = document.getElementById('filters');
  const text = document.getElementById('text-filter');
  const page = document.getElementById('page-filter');
  const change = document.getElementById('change-filter');
  const total = rows.length;
  const apply = (extra) => {
    const statuses = new Set(Array.from(form.querySelectorAll('input[name="status"]:checked')).map((i) => i.value));
    const query = text.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const ok = statuses.has(row.dataset.status) && (!page.value || row.dataset.page === page.value) && (!change || !change.value || row.dataset.change === change.value) && (!query || row.textContent.toLowerCase().includes(query));
      row.hidden = !ok;
      if (ok) shown += 1;
    }
    live.textContent = (extra ? extra + ' ' : '') + 'Showing ' + shown + ' of ' + total + ' images.';
  };
  form.addEventListener('input', () => apply());
  form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  const rank = { missing: 0, suspicious: 1, decorative: 2, ok: 3, ignored: 4 };
  for (const button of table.querySelectorAll('th button')) {
    button.addEventListener('click', () => {
      const th = button.closest('th');
      const key = button.dataset.key;
      const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      for (const other of table.querySelectorAll('th[aria-sort]')) other.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', dir);
      const value = (row) => key === 'status' ? rank[row.dataset.status] : (row.dataset[key] || '');
      const sorted = rows.slice().sort((a, b) => {
        const x = value(a), y = value(b);
        const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        return dir === 'ascending' ? c : -c;
      });
      for (const row of sorted) body.appendChild(row);
      apply('Sorted by ' + button.textContent.trim().toLowerCase() + ', ' + dir + '.');
    });
  }
  apply();
})();`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

function pageLink(url: string, label: string): string {
  return /^https?:/i.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>` : escapeHtml(label);
}

function findingRow(page: PageResult, pageIndex: number, image: ImageResult, baseline: boolean): string {
  const thumb = image.thumbnail && /^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(image.thumbnail)
    ? `<img class="thumb" src="${image.thumbnail}" alt="">`
    : `<span class="muted">${image.status === 'missing' || image.status === 'suspicious' ? 'not readable' : '—'}</span>`;
  const reasons = image.reasons.map((r) => `<li><span class="muted">${escapeHtml(r.code)}</span>: ${escapeHtml(r.text)}</li>`).join('');
  const alt = image.alt == null ? '<span class="muted">none</span>' : image.alt === '' ? '<span class="muted">empty (decorative)</span>' : escapeHtml(image.alt);
  return `<tr data-status="${image.status}" data-page="${pageIndex}" data-pageurl="${escapeHtml(page.url)}" data-kind="${image.kind}" data-selector="${escapeHtml(image.selector)}" data-change="${image.change ?? ''}">`
    + `<td>${thumb}</td>`
    + `<td class="url">${pageLink(page.url, page.url)}</td>`
    + `<td class="status status-${image.status}">${STATUS_LABEL[image.status]}</td>`
    + (baseline ? `<td>${image.change ?? ''}</td>` : '')
    + `<td>${image.kind}</td>`
    + `<td class="selector">${escapeHtml(image.selector)}${image.src ? `<br><span class="muted">${escapeHtml(image.src.length > 200 ? `${image.src.slice(0, 200)}…` : image.src)}</span>` : ''}</td>`
    + `<td>${alt}</td>`
    + `<td>${reasons ? `<ul>${reasons}</ul>` : ''}</td>`
    + '</tr>';
}

export function htmlReport(result: AuditResult): string {
  const s = result.summary;
  const baseline = Boolean(s.baseline);
  const title = `AltScout image audit: ${s.pages} page${s.pages === 1 ? '' : 's'}`;
  const totals = STATUSES.map((k) => `<li>${STATUS_LABEL[k]}<strong>${s.counts[k]}</strong></li>`).join('')
    + (baseline ? `<li>New since the baseline<strong>${s.baseline!.new}</strong></li><li>Fixed<strong>${s.baseline!.fixed}</strong></li><li>Unchanged<strong>${s.baseline!.unchanged}</strong></li>` : '');
  const pageRows = result.pages.map((p, i) => {
    const notes = p.error ? `Could not be audited: ${p.error}` : pageNotes(p).join('; ');
    const cells = STATUSES.map((k) => `<td class="num">${p.error ? '—' : p.counts[k]}</td>`).join('');
    return `<tr><th scope="row" class="url">${pageLink(p.url, p.title ? `${p.title} (${p.url})` : p.url)}</th>${cells}<td>${escapeHtml(notes)}</td><td class="num">${i + 1}</td></tr>`;
  }).join('\n');
  const images = result.pages.flatMap((p, i) => p.images.map((img) => findingRow(p, i + 1, img, baseline))).join('\n');
  const fixed = result.pages.flatMap((p) => (p.fixed ?? []).map((img) => `<tr><td class="url">${escapeHtml(p.url)}</td><td>${STATUS_LABEL[img.status]}</td><td>${img.kind}</td><td class="selector">${escapeHtml(img.selector)}</td></tr>`)).join('\n');
  const pageOptions = result.pages.map((p, i) => `<option value="${i + 1}">${i + 1}. ${escapeHtml(p.url.length > 90 ? `${p.url.slice(0, 90)}…` : p.url)}</option>`).join('');
  const header = (key: string, label: string) => `<th scope="col" aria-sort="none"><button type="button" data-key="${key}">${label}</button></th>`;
  const statusBoxes = STATUSES.map((k) => `<label><input type="checkbox" name="status" value="${k}"${k === 'missing' || k === 'suspicious' ? ' checked' : ''}> ${STATUS_LABEL[k]}</label>`).join(' ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>AltScout image audit</h1>
<p class="muted">Created ${escapeHtml(result.createdAt)}${result.shard ? `, shard ${result.shard.index} of ${result.shard.total}` : ''}. ${escapeHtml(summaryLine(result))}.</p>
</header>
<main>
<section aria-labelledby="site-heading">
<h2 id="site-heading">Site summary</h2>
<ul class="totals">${totals}</ul>
<p>Missing: no text alternative at all (axe-core's image-alt, input-image-alt, role-img-alt, svg-img-alt and area-alt). Suspicious: a text alternative that serves nobody (a file name, a placeholder, "image of…", repeated text, over 150 characters). Ignored: hidden from assistive technology, or a tracking pixel.</p>
</section>
<section aria-labelledby="pages-heading">
<h2 id="pages-heading">Pages</h2>
<table>
<caption>Images per page and status</caption>
<thead><tr><th scope="col">Page</th>${STATUSES.map((k) => `<th scope="col" class="num">${STATUS_LABEL[k]}</th>`).join('')}<th scope="col">Notes</th><th scope="col" class="num">No.</th></tr></thead>
<tbody>
${pageRows}
</tbody>
</table>
</section>
<section aria-labelledby="images-heading">
<h2 id="images-heading">Images</h2>
<form id="filters" class="filters" aria-label="Filter the images">
<fieldset><legend>Status</legend>${statusBoxes}</fieldset>
${baseline ? '<div class="field"><label for="change-filter">Since the baseline</label><select id="change-filter"><option value="">New and unchanged</option><option value="new">New only</option><option value="unchanged">Unchanged only</option></select></div>' : ''}
<div class="field"><label for="page-filter">Page</label><select id="page-filter"><option value="">All pages</option>${pageOptions}</select></div>
<div class="field"><label for="text-filter">Search selector, alt text or reason</label><input id="text-filter" type="search"></div>
</form>
<p id="shown" role="status">Showing all ${result.pages.reduce((n, p) => n + p.images.length, 0)} images.</p>
<table id="findings">
<caption>Every image found, with its status and reasons; sort with the column buttons</caption>
<thead><tr><th scope="col">Thumbnail</th>${header('pageurl', 'Page')}${header('status', 'Status')}${baseline ? header('change', 'Change') : ''}${header('kind', 'Kind')}${header('selector', 'Selector and image')}<th scope="col">Alt text</th><th scope="col">Reasons</th></tr></thead>
<tbody>
${images}
</tbody>
</table>
${fixed ? `<h2 id="fixed-heading">Fixed since the baseline</h2>\n<table aria-labelledby="fixed-heading"><thead><tr><th scope="col">Page</th><th scope="col">Was</th><th scope="col">Kind</th><th scope="col">Selector</th></tr></thead><tbody>\n${fixed}\n</tbody></table>` : ''}
</section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
