import type { Reason } from './schema';
import { comparable, sanitize } from './text';

/**
 * WAVE-style checks on a text alternative that exists but serves nobody. Each returns a named
 * reason so the popup, the CSV and the CLI can filter on it.
 */

/**
 * 150 characters: screen readers read alt in one go with no way to move through it by word or
 * sentence, and guidance (WebAIM, the 125-character rule of thumb, WAVE's 100-character
 * "long alt" alert) puts a useful alt at one or two sentences. Past that the description belongs
 * in a caption or aria-describedby; 150 leaves room for a full sentence before we nag.
 */
export const LONG_ALT_CHARS = 150;

const IMAGE_EXT = /\.(a?png|jpe?g|jfif|pjpeg|gif|webp|avif|svg|bmp|tiff?|heic|ico)$/i;
const CAMERA_NAME = /^(img|dsc|dscn|dscf|dcim|pxl|pict?|mvimg|screen ?shot|photo|image|wp)[ _-]?\d{2,}/i;
const PLACEHOLDERS = new Set([
  'image', 'img', 'images', 'photo', 'photos', 'picture', 'pic', 'graphic', 'graphics', 'spacer',
  'untitled', 'blank', 'alt', 'alt text', 'placeholder', 'null', 'undefined', 'none', 'thumbnail',
  'icon', 'banner', 'logo', 'image description', 'description', 'todo', 'tbd', 'insert alt text',
]);
/** Longer keys cannot be placeholders: checked first, it spares most alts a hash of the whole text. */
const PLACEHOLDER_MAX = Math.max(...[...PLACEHOLDERS].map((p) => p.length));
const PREFIX = /^(an? |the )?(image|picture|graphic|photo|photograph|pic|img|icon)s? (of|showing|depicting|with)\b/i;

export interface AltSurroundings {
  /** Text of the link or button the image sits in, without the image itself. */
  controlText?: string;
  /**
   * Whether the visible text right before or after the image, or its figure's caption, reads as
   * `key` once made `comparable`. A question rather than a list: the neighbours are read only for
   * names that got this far, and the first match ends the reading.
   */
  repeatsAdjacent: (key: string) => boolean;
  /** The file names of the image itself (last path segment of its URLs, decoded), asked for only when needed. */
  fileNames?: () => string[];
}

/** `repeatsAdjacent` over texts already at hand. */
export const repeatsAnyOf = (texts: string[]) => (key: string) => texts.some((t) => comparable(t) === key);

export function suspiciousReasons(name: string, around: AltSurroundings): Reason[] {
  const text = sanitize(name);
  const reasons: Reason[] = [];
  const key = comparable(text);
  if (looksLikeFileName(text) || (around.fileNames && repeatsFileName(text, around.fileNames()))) {
    reasons.push({ code: 'file-name', text: `The alt text "${short(text)}" is a file name, not a description` });
  }
  // Only punctuation, symbols and spaces leave nothing comparable; the regex just confirms it.
  if ((!key && /^[\p{P}\p{S}\s]+$/u.test(text)) || (key.length <= PLACEHOLDER_MAX && PLACEHOLDERS.has(key))) {
    reasons.push({ code: 'placeholder', text: `The alt text "${short(text)}" is a placeholder` });
  }
  if (PREFIX.test(text)) {
    reasons.push({ code: 'redundant-prefix', text: 'Starts with "image of" or similar; screen readers already say it is an image' });
  }
  if (key && around.controlText != null && comparable(around.controlText) === key) {
    reasons.push({ code: 'repeats-link-text', text: 'Repeats the text of the link or button it sits in, so it is read twice' });
  } else if (key && around.repeatsAdjacent(key)) {
    reasons.push({ code: 'repeats-adjacent-text', text: 'Repeats the text next to the image, so it is read twice' });
  }
  if (text.length > LONG_ALT_CHARS) {
    reasons.push({ code: 'too-long', text: `Longer than ${LONG_ALT_CHARS} characters (${text.length}); move the detail into a caption` });
  }
  return reasons;
}

function looksLikeFileName(text: string): boolean {
  if (CAMERA_NAME.test(text)) return true;
  if (/^(https?:)?\/\/\S+$|^\/\S+$/.test(text)) return true;
  // "hero-banner.png", "DSC 0042.JPG": no spaces around words, or a trailing image extension.
  // Most names have no dot near their end: one lastIndexOf spares them the extension regex.
  if (text.lastIndexOf('.') < text.length - 6) return false;
  return IMAGE_EXT.test(text) && !/\s\S+\s\S+\s/.test(text.replace(IMAGE_EXT, ''));
}

/**
 * The last path segment of an image URL, decoded ("Hero%20shot.JPG" → "Hero shot.JPG"); '' for
 * data: and blob: URLs and URLs that end in a slash.
 */
export function fileNameOf(url: string): string {
  if (/^(data|blob):/i.test(url)) return '';
  const path = url.replace(/[?#].*$/s, '');
  const segment = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment).trim();
  } catch {
    return segment.trim();
  }
}

/** An alt that is the image's own file name, with or without its extension, whatever the name looks like. */
export function repeatsFileName(alt: string, names: string[]): boolean {
  const text = alt.trim().toLowerCase();
  if (!text) return false;
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (!name) continue;
    if (text === name) return true;
    const dot = name.lastIndexOf('.');
    if (dot > 0 && text === name.slice(0, dot)) return true;
  }
  return false;
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
