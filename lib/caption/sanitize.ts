import { DETAILED_ALT_CHARS, SHORT_ALT_CHARS, type Length } from './prompt';

export type Sanitized =
  | { ok: true; alt: string; longDescription?: string; decorative: boolean }
  | { ok: false; reason: string };

export const LONG_DESCRIPTION_CHARS = 1500;

const REFUSAL = /^(i['’]?m sorry|i am sorry|sorry[,.!]|i can(?:not|['’]t)\b|i['’]?m (?:not able|unable)|i am (?:not able|unable)|as an ai\b|unfortunately,? i\b|i won['’]?t\b|i do not feel comfortable|i['’]?m not comfortable)/i;
const LEAD_IN = /^(?:(?:here(?:['’]s| is) (?:the |an? )?(?:alt(?:ernative)? text|description)[^:]*:)|(?:alt(?:ernative)?[ -]?text|alt|description|caption)\s*[:\-–—])\s*/i;
const IMAGE_OF = /^(?:(?:this|the|an?)\s+)?(?:image|picture|photo(?:graph)?|graphic|illustration|screenshot|icon|img)\s+(?:of|showing|shows|depicting|depicts|that shows|with)\s+/i;

/**
 * Characters nobody sees but software reads: controls (tab and newline are kept), Unicode format
 * characters (\p{Cf}: bidi controls, zero-width characters, soft hyphen, the tag characters
 * U+E0000–E007F that can spell hidden text), the other default-ignorable code points (variation
 * selectors, Hangul fillers, combining grapheme joiner), lone surrogates and noncharacters.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;
/** Line and paragraph separators (and their C0/C1 cousins) end words: they become a space. */
const SEPARATORS = new Set(['\u2028', '\u2029', '\u0085', '\u000b', '\u000c']);
const ZWJ = '\u200d';
const ZWNJ = '\u200c';
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
/** What may stand before the joiner inside an emoji ZWJ sequence (👩🏽‍💻, 🏳️‍🌈). */
const EMOJI_BEFORE_JOINER = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;
/** Scripts whose spelling needs ZWJ/ZWNJ between letters (Persian می‌خواهم, Devanagari half forms). */
const JOINING_SCRIPT = /[\p{scx=Arab}\p{scx=Syrc}\p{scx=Nkoo}\p{scx=Thaa}\p{scx=Mong}\p{scx=Deva}\p{scx=Beng}\p{scx=Guru}\p{scx=Gujr}\p{scx=Orya}\p{scx=Taml}\p{scx=Telu}\p{scx=Knda}\p{scx=Mlym}\p{scx=Sinh}\p{scx=Khmr}\p{scx=Mymr}]/u;
const MONGOLIAN = /\p{scx=Mong}/u;
const MONGOLIAN_FORMAT = /[\u180b-\u180f]/;
const VARIANT_BASE = /[\p{L}\p{Sm}]/u;
const VARIATION_SELECTOR = /[\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/u;
/** The only emoji spelled with tag characters: the flags of England, Scotland and Wales (🏴 + "gbeng", "gbsct", "gbwls" + cancel tag). */
const BLACK_FLAG = '\u{1f3f4}';
const TAG_FLAGS = new Set(['gbeng', 'gbsct', 'gbwls'].map((code) => `${[...code].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('')}\u{e007f}`));

/** Whether an invisible character does visible work where it stands: joins an emoji or letters, selects a glyph. */
function keepInvisible(ch: string, prev: string, next: string): boolean {
  if (ch === ZWJ && EMOJI_BEFORE_JOINER.test(prev) && PICTOGRAPH.test(next)) return true;
  if ((ch === ZWJ || ch === ZWNJ) && JOINING_SCRIPT.test(prev) && JOINING_SCRIPT.test(next)) return true;
  if (MONGOLIAN_FORMAT.test(ch)) return MONGOLIAN.test(prev);
  // One variation selector after a visible character: text or emoji style (☺︎ ☺️, keycaps 1️⃣) after any,
  // the others (CJK, Myanmar and math variants) only after a non-ASCII letter or math symbol.
  // More than that, or after anything else, they only spell hidden data.
  if (VARIATION_SELECTOR.test(ch)) {
    if (!prev || INVISIBLE.test(prev)) return false;
    return ch === '\ufe0e' || ch === '\ufe0f' || (prev.codePointAt(0)! > 0x7f && VARIANT_BASE.test(prev));
  }
  return false;
}

/**
 * Drops what a reader cannot see: every invisible character above, except a joiner inside an
 * emoji ZWJ sequence (👩‍💻 stays one picture) or between letters of a script that needs it, one
 * variation selector after a visible character, and the three tag-spelled flag emoji. Line and
 * paragraph separators become spaces; tab and newline are kept for the caller to fold.
 */
export function stripInvisible(text: string): string {
  const chars = Array.from(text);
  let out = '';
  let prev = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === BLACK_FLAG) {
      const tags = chars.slice(i + 1, i + 7).join('');
      if (TAG_FLAGS.has(tags)) {
        out += ch + tags;
        prev = ch;
        i += 6;
        continue;
      }
    }
    if (SEPARATORS.has(ch)) {
      out += ' ';
      prev = ' ';
      continue;
    }
    if (ch === '\n' || ch === '\t' || !INVISIBLE.test(ch) || keepInvisible(ch, prev, chars[i + 1] ?? '')) {
      out += ch;
      prev = ch;
    }
  }
  return out;
}

function stripMarkdown(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+•]\s+|\d+[.)]\s+)/, '')
    .replace(/(\*\*|__|\*|_|`{1,3}|~~)(.+?)\1/g, '$2')
    .replace(/`+/g, '');
}

const QUOTE_PAIRS: Array<[string, string]> = [['"', '"'], ["'", "'"], ['“', '”'], ['‘', '’'], ['«', '»'], ['„', '“'], ['「', '」']];

function unquote(s: string): string {
  let out = s.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [open, close] of QUOTE_PAIRS) {
      if (out.length >= 2 && out.startsWith(open) && out.endsWith(close)) {
        out = out.slice(open.length, -close.length).trim();
        changed = true;
      }
    }
  }
  return out;
}

/** The first `n` UTF-16 units, never half a surrogate pair, nor a joiner left waiting for the emoji it joined. */
const cut = (s: string, n: number) => s.slice(0, n).replace(/[\ud800-\udbff]$/, '').replace(/\u200d+$/, '');

/** Cuts at the last sentence end (or word) before the cap, so alt text never stops mid-word. */
export function capLength(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = cut(s, max);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  if (sentence > max * 0.5) return head.slice(0, sentence + 1);
  const space = head.lastIndexOf(' ');
  return `${(space > max * 0.5 ? head.slice(0, space) : cut(head, max - 1)).replace(/[,;:\s]+$/, '')}…`;
}

function clean(line: string): string {
  let s = stripMarkdown(line).replace(/\s+/g, ' ').trim();
  s = unquote(s);
  for (let i = 0; i < 2; i++) s = unquote(s.replace(LEAD_IN, '').replace(IMAGE_OF, ''));
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}

/** Turns a model's answer into alt text, or says why it cannot be used. Never returns HTML: it is text for an attribute. */
export function sanitizeCaption(raw: unknown, length: Length = 'short'): Sanitized {
  if (typeof raw !== 'string') return { ok: false, reason: 'The model returned no text for this image.' };
  let text = raw.replace(/<think>[\s\S]*?<\/think>/gi, '').replace(/\r\n?/g, '\n');
  text = stripInvisible(text);
  text = text.replace(/^```[a-z]*\n?|```$/gim, '');
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return { ok: false, reason: 'The model returned an empty answer for this image.' };
  const longIndex = lines.findIndex((l) => /^\**long(?: description)?\**\s*:/i.test(l));
  const longDescription = longIndex >= 0
    ? capLength(clean(lines.slice(longIndex).join(' ').replace(/^\**long(?: description)?\**\s*:\s*/i, '')), LONG_DESCRIPTION_CHARS)
    : undefined;
  const altLines = (longIndex >= 0 ? lines.slice(0, longIndex) : lines).map(clean).filter(Boolean);
  const first = altLines[0] ?? '';
  if (/^decorative\.?$/i.test(first)) return { ok: true, alt: '', decorative: true };
  if (!first) return { ok: false, reason: 'The model returned an empty answer for this image.' };
  if (REFUSAL.test(first)) return { ok: false, reason: 'The model declined to describe this image. Try another model or write this one by hand.' };
  const detailed = length === 'detailed';
  // One line for the short form: anything after it is the model talking, not alt text.
  const alt = capLength(detailed ? altLines.join(' ') : first, detailed ? DETAILED_ALT_CHARS : SHORT_ALT_CHARS);
  return { ok: true, alt, decorative: false, ...(longDescription ? { longDescription } : {}) };
}

/** The optional "mark as AI-generated" setting. */
export const AI_MARK = '(AI-generated)';
export function withAiMark(alt: string, on: boolean): string {
  if (!on || !alt || alt.endsWith(AI_MARK)) return alt;
  return `${alt} ${AI_MARK}`;
}
