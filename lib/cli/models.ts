// `npm run altscout -- models`: the extension's ranking, printed as a table or JSON.
import { readFile } from 'node:fs/promises';
import { fetchCatalog, parseCatalogText } from '../catalog/fetch';
import { CatalogError } from '../catalog/parse';
import type { Catalog } from '../catalog/schema';
import { offlineSnapshot } from '../catalog/snapshot';
import { formatUsd } from '../money';
import { rankModels } from '../ranking/rank';
import { TaskSchema, TIER_LABELS, type RankedModel, type Task } from '../ranking/schema';
import { DEFAULT_API_BASE } from '../settings/schema';
import { parseCommand, runCommand, stringValue, UsageError, type CommandSpec, type Parsed } from './args';

export const MODELS_SPEC: CommandSpec = {
  name: 'models',
  usage: '[options]',
  description: `Ranks the models that can describe images (captioning) or draw them (generation) by quality,
price per image and speed, and picks one per tier: Free, Budget, Balanced, Best quality.`,
  options: {
    task: { type: 'string', value: 'TASK', help: 'captioning (default) or generation' },
    catalog: { type: 'string', value: 'PATH_OR_URL', help: "a saved GET /models JSON file, an API base URL (https://openrouter.ai/api/v1, http://localhost:11434/v1) or a full /models URL; default: OpenRouter's live catalog, falling back to the catalog bundled with AltScout when offline" },
    json: { type: 'boolean', help: 'print [{rank, id, name, tier, quality, qualitySource, usdPer1kImages, reasons}]' },
    limit: { type: 'string', value: 'N', help: 'print the first N models (default: 25 in the table, all in JSON)' },
  },
  footer: 'Exit codes: 0 ranked, 1 the catalog could not be read, 2 usage error.',
};

export interface ModelsArgs {
  task: Task;
  catalog: string | null;
  json: boolean;
  limit: number | null;
}

function checkModelsArgs({ values, positionals }: Parsed): ModelsArgs {
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const task = TaskSchema.safeParse(stringValue(values, 'task') ?? 'captioning');
  if (!task.success) throw new UsageError('--task must be captioning or generation.');
  const catalog = stringValue(values, 'catalog');
  if (catalog === '') throw new UsageError('--catalog needs a file path or a URL.');
  const limit = stringValue(values, 'limit');
  if (limit !== undefined && !(/^\d+$/.test(limit) && Number(limit) >= 1)) throw new UsageError('--limit must be a whole number of at least 1.');
  return { task: task.data, catalog: catalog ?? null, json: values.json === true, limit: limit === undefined ? null : Number(limit) };
}

/** argv → arguments, 'help', or { error } (the sentence a usage error prints). */
export function parseArgs(args: string[]): ModelsArgs | { error: string } | 'help' {
  try {
    const parsed = parseCommand(MODELS_SPEC, args);
    return parsed === 'help' ? 'help' : checkModelsArgs(parsed);
  } catch (error) {
    if (error instanceof UsageError) return { error: error.message };
    throw error;
  }
}

async function loadCatalog(source: string | null): Promise<{ catalog: Catalog; from: string }> {
  if (source == null) {
    try {
      return { catalog: await fetchCatalog(DEFAULT_API_BASE, { timeoutMs: 15_000 }), from: DEFAULT_API_BASE };
    } catch (error) {
      console.error(`${(error as Error).message} Using the catalog bundled with AltScout.`);
      return { catalog: offlineSnapshot().catalog, from: 'bundled snapshot' };
    }
  }
  if (/^https?:\/\//i.test(source)) {
    if (/\/models\/?(\?|$)/.test(source)) {
      const res = await fetch(source).catch(() => null);
      if (!res) throw new CatalogError(`Could not reach ${source}.`);
      if (!res.ok) throw new CatalogError(`${source} answered ${res.status}.`);
      return { catalog: parseCatalogText(await res.text(), source), from: source };
    }
    return { catalog: await fetchCatalog(source), from: source };
  }
  const text = await readFile(source, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CatalogError(`Cannot read ${source}: ${e.code === 'ENOENT' ? 'no such file' : e.message}.`);
  });
  return { catalog: parseCatalogText(text, source), from: source };
}

function table(models: RankedModel[]): string {
  const rows = models.map((m) => [
    String(m.rank),
    m.id,
    m.tier ? TIER_LABELS[m.tier] : '',
    m.quality == null ? 'unrated' : m.quality.toFixed(1),
    m.qualitySource ?? 'unrated',
    m.free ? 'free' : m.usdPer1kImages == null ? '?' : formatUsd(m.usdPer1kImages),
    m.reasons.join(', '),
  ]);
  const head = ['#', 'model', 'tier', 'quality', 'quality from', 'USD/1k img', 'why'];
  const last = head.length - 1;
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === last ? 0 : r[i].length))));
  const line = (r: string[]) => r.map((c, i) => (i === last ? c : i === 0 || i === 3 || i === 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

export function run(argv: string[]): Promise<number> {
  return runCommand(MODELS_SPEC, argv, checkModelsArgs, models);
}

async function models(parsed: ModelsArgs): Promise<number> {
  let loaded: { catalog: Catalog; from: string };
  try {
    loaded = await loadCatalog(parsed.catalog);
  } catch (error) {
    console.error(`altscout models: ${(error as Error).message}`);
    return 1;
  }
  const ranking = rankModels(loaded.catalog, { task: parsed.task, now: Date.now() });
  const limit = parsed.limit ?? (parsed.json ? Infinity : 25);
  const shown = ranking.models.slice(0, limit);
  if (parsed.json) {
    console.log(JSON.stringify(shown.map(({ rank, id, name, tier, quality, qualitySource, usdPer1kImages, reasons }) => ({ rank, id, name, tier, quality, qualitySource, usdPer1kImages, reasons })), null, 2));
    return 0;
  }
  const { catalog } = loaded;
  console.log(`${parsed.task === 'captioning' ? 'Captioning' : 'Image generation'} models from ${loaded.from}: ${ranking.models.length} candidates of ${catalog.models.length}` +
    `${catalog.skipped ? `, ${catalog.skipped} unreadable entries skipped` : ''}${catalog.kind === 'custom' ? ' (this server lists ids only: unranked)' : ''}.\n`);
  for (const tier of ['free', 'budget', 'balanced', 'best'] as const) {
    const pick = ranking.tiers[tier].pick;
    if (pick) console.log(`${TIER_LABELS[tier].padEnd(13)} ${pick}`);
  }
  console.log(`\n${table(shown)}`);
  if (shown.length < ranking.models.length) console.log(`\n… ${ranking.models.length - shown.length} more (--limit N to see them).`);
  return 0;
}
