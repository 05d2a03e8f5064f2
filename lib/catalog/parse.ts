import { CatalogModelSchema, type Catalog, type Model } from './schema';

export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogError';
  }
}

/** OpenRouter marks routers whose price depends on the routed model with -1. */
const isSentinel = (n: number) => n < 0;

function toModel(raw: unknown): Model | null {
  // Junk arrays can hold millions of scalars; skipping them before zod keeps a bad answer cheap.
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const parsed = CatalogModelSchema.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  const p = m.pricing;
  if ([p.prompt, p.completion, p.image, p.request, p.internal_reasoning, p.image_output].some(isSentinel)) return null;
  const aa = m.benchmarks?.artificial_analysis?.intelligence_index;
  return {
    id: m.id,
    name: m.name || m.id,
    created: m.created ?? null,
    contextLength: m.context_length ?? null,
    input: m.architecture.input_modalities,
    output: m.architecture.output_modalities,
    tokenizer: m.architecture.tokenizer ?? null,
    pricing: {
      prompt: p.prompt,
      completion: p.completion,
      image: p.image,
      request: p.request,
      internalReasoning: p.internal_reasoning,
      imageOutput: p.image_output,
      imageToken: p.image_token,
      overrides: p.overrides.map((o) => ({
        minPromptTokens: o.min_prompt_tokens ?? null,
        prompt: o.prompt ?? null,
        completion: o.completion ?? null,
      })),
    },
    parameters: m.supported_parameters ?? [],
    reasoning: m.reasoning
      ? {
          mandatory: m.reasoning.mandatory === true,
          efforts: m.reasoning.supported_efforts ?? [],
          defaultEffort: m.reasoning.default_effort ?? null,
        }
      : null,
    aaIndex: typeof aa === 'number' && Number.isFinite(aa) ? aa : null,
    arena: Object.fromEntries((m.benchmarks?.design_arena ?? []).map((e) => [e.category, e.elo])),
    aliasOf: m.alias_target?.slug ?? null,
    expires: m.expiration_date ?? null,
  };
}

/** An OpenAI-style `/v1/models` entry (Ollama, LM Studio, vLLM): an id and nothing to rank by. */
function isBareEntry(raw: unknown): raw is { id: string } {
  if (!raw || typeof raw !== 'object') return false;
  const e = raw as Record<string, unknown>;
  return typeof e.id === 'string' && e.id.length > 0 && e.pricing === undefined && e.architecture === undefined;
}

function bareModel(id: string): Model {
  return {
    id, name: id, created: null, contextLength: null, input: [], output: [], tokenizer: null,
    pricing: { prompt: 0, completion: 0, image: 0, request: 0, internalReasoning: 0, imageOutput: 0, imageToken: 0, overrides: [] },
    parameters: [], reasoning: null, aaIndex: null, arena: {}, aliasOf: null, expires: null,
  };
}

/**
 * Parses a `GET /models` body. Bad entries are skipped and counted; only a body with no usable
 * entry at all is an error, so one malformed model can never take the ranking down.
 */
export function parseCatalog(body: unknown): Catalog {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { data?: unknown }).data)) {
    throw new CatalogError('The model list is not in the expected form (no "data" array).');
  }
  const data = (body as { data: unknown[] }).data;
  if (data.length === 0) throw new CatalogError('The model list is empty.');

  const bare = data.filter(isBareEntry);
  if (bare.length === data.length) {
    const ids = [...new Set(bare.map((e) => e.id))];
    return { kind: 'custom', models: ids.map(bareModel), skipped: data.length - ids.length };
  }

  const models: Model[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const raw of data) {
    const model = toModel(raw);
    if (!model || seen.has(model.id)) {
      skipped += 1;
      continue;
    }
    seen.add(model.id);
    models.push(model);
  }
  if (models.length === 0) throw new CatalogError(`None of the ${data.length} models in the list could be read.`);
  return { kind: 'openrouter', models, skipped };
}
