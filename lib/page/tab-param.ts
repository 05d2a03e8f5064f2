/** `popup.html?tab=<id>` pins a page (popup, report, tests) to one tab instead of the active one. */
export function tabIdFromSearch(search: string): number | null {
  const raw = new URLSearchParams(search).get('tab');
  if (raw == null || !/^\d+$/.test(raw)) return null;
  return Number(raw);
}
