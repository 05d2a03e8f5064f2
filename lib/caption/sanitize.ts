import { DETAILED_ALT_CHARS, SHORT_ALT_CHARS, type Length } from './prompt';

export type Sanitized =
  | { ok: true; alt: string; longDescription?: string; decorative: boolean }
  | { ok: false; reason: string };

export const LONG_DESCRIPTION_CHARS = 1500;

const REFUSAL = /^(i['’]?m sorry|i am sorry|sorry[,.!]|i can(?:not|['’]t)\b|i['’]?m (?:not able|unable)|i am (?:not able|unable)|as an ai\b|unfortunately,? i\b|i won['’]?t\b|i do not feel comfortable|i['’]?m not comfortable)/i;
const LEAD_IN = /^(?:(?:here(?:['’]s| is) (?:the |an? )?(?:alt(?:ernative)? text|description)[^:]*:)|(?:alt(?:ernative)?[ -]?text|alt|description|caption)\s*[:\-–—])\s*/i;
const IMAGE_OF = /^(?:(?:this|the|an?)\s+)?(?:image|picture|photo(?:graph)?|graphic|illustration|screenshot|icon|img)\s+(?:of|showing|shows|depicting|depicts|that shows|with)\s+/i;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

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

/** Cuts at the last sentence end (or word) before the cap, so alt text never stops mid-word. */
export function capLength(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = s.slice(0, max);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  if (sentence > max * 0.5) return head.slice(0, sentence + 1);
  const space = head.lastIndexOf(' ');
  return `${(space > max * 0.5 ? head.slice(0, space) : head.slice(0, max - 1)).replace(/[,;:\s]+$/, '')}…`;
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
  let text = raw.replace(/<think>[\s\S]*?<\/think>/gi, '').replace(/\r\n?/g, '\n').replace(CONTROL, '');
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
