/**
 * "$0.21", "$0.0042", "$1,234.50": two decimals, or two significant figures below a cent.
 * Hand-rolled: toLocaleString costs ~20 µs a call, which alone would eat the ranking's budget.
 */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${Number(usd.toPrecision(2))}`;
  // toPrecision first so 3.175 (stored as 3.17499…) rounds to 3.18, as a person would.
  const [whole, cents] = (Math.round(Number((usd * 100).toPrecision(12))) / 100).toFixed(2).split('.');
  return `$${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${cents}`;
}

export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}
