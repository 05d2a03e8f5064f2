/** Text helpers shared by the name, suspicious-alt and context rules. */

const CLEANUP = /^\s|\s$|\s\s|\r|\u00A0/;

/** axe-core's `sanitize`: what counts as "empty" must match the oracle exactly. */
export function sanitize(value: string | null | undefined): string {
  if (!value) return '';
  // Most names are already clean; one test is cheaper than four replaces on thousands of images.
  if (!CLEANUP.test(value)) return value;
  return value.replace(/\r\n/g, '\n').replace(/\u00A0/g, ' ').replace(/[\s]{2,}/g, ' ').trim();
}

/** Collapsed text, cut at `max` characters on a word boundary where one is close. */
export function cap(value: string | null | undefined, max: number): string {
  const text = sanitize(value);
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.7 ? cut.slice(0, space) : cut}…`;
}

/** Lower case, punctuation and extra spaces gone: for "does this alt just repeat that text". */
export function comparable(value: string | null | undefined): string {
  return sanitize(value)
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
