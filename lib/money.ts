/**
 * The one rule for showing US dollars, everywhere AltScout shows money (popup, report, models
 * page, job messages, key check, CLI): "$0", "$0.0042", "$0.21", "$1,234.50".
 * - below a cent: two significant figures, so a cheap run never reads as "$0.00";
 * - below a hundredth of a cent: said in words ("under $0.0001") rather than in exponent notation;
 * - otherwise two decimals with thousands separators (hand-rolled: toLocaleString costs ~20 µs a
 *   call, which alone would eat the ranking's budget);
 * - not a finite non-negative number: "unknown".
 */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return 'unknown';
  if (usd === 0) return '$0';
  if (usd < 0.0001) return 'under $0.0001';
  if (usd < 0.01) return `$${Number(usd.toPrecision(2))}`;
  // toPrecision first so 3.175 (stored as 3.17499…) rounds to 3.18, as a person would.
  const [whole, cents] = (Math.round(Number((usd * 100).toPrecision(12))) / 100).toFixed(2).split('.');
  return `$${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${cents}`;
}
