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
  const text = sanitize(value).toLowerCase();
  return asciiComparable(text) ?? text.replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The same result for ASCII text without the Unicode-class regexes, which dominate on a page of
 * thousands of alts: every printable ASCII character other than letters, digits and space is
 * punctuation or a symbol. Null for anything else, which takes the general path.
 */
function asciiComparable(text: string): string | null {
  let out = '';
  let start = -1;
  for (let i = 0; i <= text.length; i += 1) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c > 127) return null;
    const separator = (c >= 9 && c <= 13) || (c >= 32 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
    if (!separator) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      // Whole words are copied at once; a text that is already one clean run is returned as is.
      const word = start === 0 && i === text.length ? text : text.slice(start, i);
      out = out ? `${out} ${word}` : word;
      start = -1;
    }
  }
  return out;
}
