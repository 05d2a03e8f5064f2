/** Counts, prices per 1,000 images and ages as people read them in the popup, the report and exports. */
import { formatUsd } from '../money';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export const images = (n: number) => plural(n, 'image', 'images');

export function pricePer1k(model: { free: boolean; usdPer1kImages: number | null }): string {
  if (model.free) return 'free';
  if (model.usdPer1kImages == null) return 'price unknown';
  return `${formatUsd(model.usdPer1kImages)} per 1,000 images`;
}

/** "3 days ago"; coarse on purpose, the point is whether the list is fresh. */
export function age(fromMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.floor((nowMs - fromMs) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${plural(minutes, 'minute', 'minutes')} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${plural(hours, 'hour', 'hours')} ago`;
  return `${plural(Math.round(hours / 24), 'day', 'days')} ago`;
}
