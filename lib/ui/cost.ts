import type { RankedModel } from '../ranking/schema';
import { images } from './format';
import { formatUsd } from '../money';

/** The sentence shown before running: what will be described, by whom, for roughly how much. */
export function costSentence(count: number, model: Pick<RankedModel, 'name' | 'free' | 'usdPer1kImages'>): string {
  const what = `Describe ${images(count)} with ${model.name}`;
  if (model.free) return `${what} — free`;
  if (model.usdPer1kImages == null) return `${what} — cost unknown`;
  const usd = formatUsd((count * model.usdPer1kImages) / 1000);
  return `${what} — ${usd.startsWith('$') ? `about ${usd}` : usd}`;
}

/** Model names in the catalog carry their vendor ("Google: Gemini 3.1 Flash Lite"); the picker shows the model. */
export function shortName(name: string): string {
  const i = name.indexOf(': ');
  return i > 0 ? name.slice(i + 2) : name;
}
