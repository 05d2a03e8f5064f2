// Derives the bundled, reduced data from ../shared/data (run: npx tsx tests/tools/make-snapshot.ts):
//   lib/catalog/snapshot.json  offline catalog: captioning and generation candidates only, no descriptions
//   lib/ranking/mmmu.json      MMMU scores by model name (MMMU-Pro-only rows mapped onto the MMMU scale)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseCatalog } from '../../lib/catalog/parse';
import { isCandidate } from '../../lib/ranking/profiles';
import { buildMmmuIndex, matchMmmu } from '../../lib/ranking/mmmu';

const SHARED = '../shared/data';
const CATALOG_FILE = `${SHARED}/openrouter-models-2026-08-19.json`;
const MMMU_FILE = `${SHARED}/mmmu-leaderboard-2026-07-03.json`;
const CATALOG_DATE = Date.parse('2026-08-19T00:00:00Z');

const catalog = parseCatalog(JSON.parse(readFileSync(CATALOG_FILE, 'utf8')));
// Parameters the caption pipeline may set; the rest only make the shipped file larger.
const KEEP_PARAMETERS = new Set(['max_tokens', 'temperature', 'reasoning', 'include_reasoning', 'response_format', 'structured_outputs']);
const models = catalog.models
  .filter((m) => isCandidate(m, 'captioning') || isCandidate(m, 'generation'))
  .map((m) => ({ ...m, parameters: m.parameters.filter((p) => KEEP_PARAMETERS.has(p)) }));
const snapshot = { fetchedAt: CATALOG_DATE, source: 'openrouter-models-2026-08-19', kind: catalog.kind, skipped: catalog.skipped, models };
writeFileSync('lib/catalog/snapshot.json', `${JSON.stringify(snapshot)}\n`);
console.log(`snapshot: ${models.length} of ${catalog.models.length} models, ${(JSON.stringify(snapshot).length / 1024).toFixed(0)} KB`);

interface Entry { info: { name: string; type?: string }; validation?: { overall?: string }; pro?: { overall?: string } }
const rows = (JSON.parse(readFileSync(MMMU_FILE, 'utf8')).leaderboardData as Entry[])
  .filter((e) => e.info.type !== 'human_expert' && !/choice$/i.test(e.info.name));
const num = (s?: string) => (s != null && Number.isFinite(Number(s)) ? Number(s) : null);

// Rows with both scores give a least-squares line from MMMU-Pro to MMMU, so a model published
// only on MMMU-Pro (newer releases) is not ranked below older models for using the harder test.
const both = rows.map((e) => [num(e.pro?.overall), num(e.validation?.overall)] as const).filter((p): p is readonly [number, number] => p[0] != null && p[1] != null);
const proFit = linearFit(both);
const { slope, intercept } = proFit;
const table = rows.flatMap((e) => {
  const v = num(e.validation?.overall);
  const p = num(e.pro?.overall);
  const score = v ?? (p == null ? null : Math.min(100, intercept + slope * p));
  return score == null ? [] : [{ name: e.info.name, score: Math.round(score * 10) / 10 }];
});
console.log(`mmmu: ${table.length} rows; MMMU ≈ ${intercept.toFixed(1)} + ${slope.toFixed(3)} × MMMU-Pro over ${both.length} pairs`);

// The ranking puts MMMU on the AA index scale with a second line: fitted over the catalog
// models that have both an AA index and a matched MMMU row.
const index = buildMmmuIndex(table);
const pairs = catalog.models.flatMap((m) => {
  const row = matchMmmu(index, m.name);
  return row && m.aaIndex != null && !m.id.includes(':') ? [[row.score, m.aaIndex] as const] : [];
});
const fit = linearFit(pairs);
console.log(`AA ≈ ${fit.intercept.toFixed(1)} + ${fit.slope.toFixed(3)} × MMMU over ${pairs.length} catalog models`);
writeFileSync(
  'lib/ranking/mmmu.json',
  `${JSON.stringify({
    source: 'MMMU leaderboard 2026-07-03',
    proToMmmu: { slope: +proFit.slope.toFixed(4), intercept: +proFit.intercept.toFixed(3), pairs: both.length },
    aaFromMmmu: { slope: +fit.slope.toFixed(4), intercept: +fit.intercept.toFixed(3), pairs: pairs.length },
    rows: table,
  })}\n`,
);

function linearFit(points: ReadonlyArray<readonly [number, number]>): { slope: number; intercept: number } {
  const mx = points.reduce((s, p) => s + p[0], 0) / points.length;
  const my = points.reduce((s, p) => s + p[1], 0) / points.length;
  const slope = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return { slope, intercept: my - slope * mx };
}
