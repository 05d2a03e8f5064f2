/**
 * Matches catalog model names ("Anthropic: Claude Opus 4.6") to MMMU leaderboard names
 * ("Claude Opus 4.6 w/o tools"). Both sides are reduced to a key: vendor prefix, dates,
 * variant words (preview, instruct, thinking, tools, batch, free) and punctuation removed.
 * When several leaderboard rows share a key, the plainest variant wins (no tools, no thinking),
 * because the captioning pipeline sends neither tools nor a reasoning request.
 */
export interface MmmuRow {
  name: string;
  /** MMMU validation overall, 0–100 (MMMU-Pro rows are mapped onto this scale by the generator). */
  score: number;
}

const VARIANT_WORDS = /\b(preview|instruct|it|thinking|w\/o thinking|w\/ thinking|w\/o tools|w\/ tools|w\/o python|batch|free|fast|beta|chat|latest)\b/g;

export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/^[^:]*:\s*/, '') // "Anthropic: " vendor prefix
    .replace(/\((\d{4}-\d{2}-\d{2}|\d{4}|\d{2}-\d{2}|high|low|medium|batch|free)\)/g, ' ')
    .replace(/\b\d{2}-\d{2}\b/g, ' ') // "05-06" release dates
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, ' ')
    .replace(VARIANT_WORDS, ' ')
    .replace(/[‐-―]/g, '-') // typographic hyphens
    .replace(/[-_/()]+/g, ' ')
    .replace(/\s1\.0\s*$/, ' ') // "Nova Pro 1.0" is listed as "Nova Pro"
    .replace(/\s+/g, ' ')
    .trim();
}

function variantRank(name: string): number {
  const n = name.toLowerCase();
  if (/w\/ tools|w\/ thinking/.test(n)) return 3;
  if (/thinking|deep-think/.test(n)) return 2;
  if (/w\/o/.test(n)) return 1;
  return 0;
}

export function buildMmmuIndex(rows: MmmuRow[]): Map<string, MmmuRow> {
  const best = new Map<string, { row: MmmuRow; rank: number }>();
  for (const row of rows) {
    const key = nameKey(row.name);
    if (!key) continue;
    const rank = variantRank(row.name);
    const prev = best.get(key);
    if (!prev || rank < prev.rank || (rank === prev.rank && row.score > prev.row.score)) best.set(key, { row, rank });
  }
  return new Map([...best].map(([k, v]) => [k, v.row]));
}

/** Names repeat on every ranking; keying them is the costliest step, so remember the answers. */
const matches = new WeakMap<Map<string, MmmuRow>, Map<string, MmmuRow | null>>();

export function matchMmmu(index: Map<string, MmmuRow>, modelName: string): MmmuRow | null {
  let seen = matches.get(index);
  if (!seen) matches.set(index, (seen = new Map()));
  let row = seen.get(modelName);
  if (row === undefined) seen.set(modelName, (row = index.get(nameKey(modelName)) ?? null));
  return row;
}
