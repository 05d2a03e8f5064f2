/** Money and counts as people read them in the popup, the report and exports. */

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export const images = (n: number) => plural(n, 'image', 'images');

/**
 * Small amounts keep one significant digit ("$0.004") so a cheap run does not read as "$0.00";
 * anything under a hundredth of a cent is said in words rather than in exponent notation.
 */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return 'unknown';
  if (usd === 0) return '$0';
  if (usd < 0.0001) return 'under $0.0001';
  if (usd < 0.01) return `$${Number(usd.toPrecision(1))}`;
  if (usd < 100) return `$${usd.toFixed(2)}`;
  return `$${Math.round(usd).toLocaleString('en-US')}`;
}

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
