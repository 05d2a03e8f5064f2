import type { Model } from '../catalog/schema';
import type { Task } from './schema';

/** Captioning: image in, text out. Generation: image out. */
export function isCandidate(model: Pick<Model, 'input' | 'output'>, task: Task): boolean {
  return task === 'captioning'
    ? model.input.includes('image') && model.output.includes('text')
    : model.output.includes('image');
}

/** What one request of each task looks like; the cost estimate prices exactly this. */
export const CAPTION_REQUEST = {
  /** The pipeline downscales to a 768 px long edge; 4:3 is the commonest photo shape. */
  image: { width: 768, height: 576 },
  /** System instruction (~150) plus page context: surrounding text, title, language (~250). */
  textTokens: 400,
  /** A short alt text, ~25 words. */
  answerTokens: 40,
} as const;

export const GENERATION_REQUEST = {
  /** A one-paragraph prompt. */
  textTokens: 120,
  /** Short text that accompanies the image. */
  answerTokens: 40,
} as const;

/**
 * Reasoning tokens a model that cannot switch reasoning off spends, by the lowest effort it
 * accepts (the pipeline always asks for the lowest). Rough medians for a short describe task.
 */
export const REASONING_TOKENS: Record<string, number> = {
  none: 0,
  minimal: 120,
  low: 350,
  medium: 900,
  high: 2000,
  xhigh: 4000,
  max: 6000,
};
/** Mandatory reasoning with no effort list: assume a low-effort budget. */
export const REASONING_TOKENS_UNKNOWN = 600;
const EFFORT_ORDER = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

/** Reasoning tokens one request cannot avoid (0 when reasoning can be turned off). */
export function mandatoryReasoningTokens(model: Pick<Model, 'reasoning'>): number {
  const r = model.reasoning;
  if (!r || !r.mandatory) return 0;
  const lowest = EFFORT_ORDER.find((e) => r.efforts.includes(e));
  return lowest ? REASONING_TOKENS[lowest] : REASONING_TOKENS_UNKNOWN;
}
