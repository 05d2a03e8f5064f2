import type { Model } from '../catalog/schema';
import { imageFamily, imageTokens } from './image-tokens';
import { CAPTION_REQUEST, GENERATION_REQUEST, mandatoryReasoningTokens } from './profiles';
import type { Task } from './schema';

/** Tokens one request of a task uses, before prices. */
export interface RequestTokens {
  text: number;
  image: number;
  answer: number;
  reasoning: number;
  /** Generation only: tokens of the image the model draws. */
  imageOut: number;
}

/** Output tokens of one ~1 MP image: Gemini 2.x 1290, Gemini 3.x 1120, OpenAI (medium quality) 1056. */
export function outputImageTokens(model: Pick<Model, 'id' | 'tokenizer'>): number {
  const family = imageFamily(model);
  if (family === 'gemini-3') return 1120;
  if (family.startsWith('openai')) return 1056;
  return 1290;
}

export function requestTokens(model: Model, task: Task): RequestTokens {
  const reasoning = mandatoryReasoningTokens(model);
  // An alias (~openai/gpt-mini-latest) tokenizes images the way the model it points to does.
  const shape = model.aliasOf ? { id: model.aliasOf, tokenizer: model.tokenizer === 'Router' ? null : model.tokenizer } : model;
  return task === 'captioning'
    ? { text: CAPTION_REQUEST.textTokens, image: imageTokens(shape, CAPTION_REQUEST.image), answer: CAPTION_REQUEST.answerTokens, reasoning, imageOut: 0 }
    : { text: GENERATION_REQUEST.textTokens, image: 0, answer: GENERATION_REQUEST.answerTokens, reasoning, imageOut: outputImageTokens(shape) };
}

/** Long-prompt overrides apply from a prompt size; a captioning prompt is far below any of them. */
function promptPrice(model: Model, promptTokens: number): { prompt: number; completion: number } {
  let { prompt, completion } = model.pricing;
  for (const o of model.pricing.overrides) {
    if (o.minPromptTokens != null && promptTokens >= o.minPromptTokens) {
      prompt = o.prompt ?? prompt;
      completion = o.completion ?? completion;
    }
  }
  return { prompt, completion };
}

/** USD for one request of the task: tokens × prices + per-image and per-request fees. */
export function estimateUsdPerRequest(model: Model, task: Task): number {
  const t = requestTokens(model, task);
  const p = model.pricing;
  const { prompt, completion } = promptPrice(model, t.text + t.image);
  const imageTokenPrice = p.imageToken > 0 ? p.imageToken : prompt;
  const reasoningPrice = p.internalReasoning > 0 ? p.internalReasoning : completion;
  return (
    t.text * prompt +
    t.image * imageTokenPrice +
    t.answer * completion +
    t.reasoning * reasoningPrice +
    t.imageOut * p.imageOutput +
    (task === 'captioning' ? p.image : 0) +
    p.request
  );
}

/** What the user's own runs of a model were charged (lib/storage.ts modelStatsItem). */
export interface MeasuredCost {
  runs: number;
  totalCostUsd: number;
}

/**
 * USD per request as AltScout counts it everywhere (ranking, price per 1,000 images, a job's
 * budget check): what the user's own runs were charged beats the estimate from the price list.
 * Null when the model is unknown and nothing was measured.
 */
export function costPerRequest(model: Model | null | undefined, task: Task, measured?: MeasuredCost): { usd: number; source: 'measured' | 'estimate' } | null {
  if (measured && measured.runs > 0) return { usd: measured.totalCostUsd / measured.runs, source: 'measured' };
  if (!model) return null;
  return { usd: isFree(model) ? 0 : estimateUsdPerRequest(model, task), source: 'estimate' };
}

/** Free: nothing to pay per token or per call, or a `:free` variant. */
export function isFree(model: Model): boolean {
  const p = model.pricing;
  return model.id.endsWith(':free') || (p.prompt === 0 && p.completion === 0 && p.image === 0 && p.request === 0 && p.imageOutput === 0);
}
