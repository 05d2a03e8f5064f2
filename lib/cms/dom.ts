/** Small DOM helpers the CMS adapters share: labels, visibility, writing a field the way editors listen. */

export type TextControl = HTMLInputElement | HTMLTextAreaElement;

const TEXT_INPUT_TYPES = new Set(['', 'text', 'search']);

/** A field a person types alt text into: a textarea or a one-line text input. */
export function isTextControl(el: Element | null | undefined): el is TextControl {
  if (!el) return false;
  if (el.localName === 'textarea') return true;
  return el.localName === 'input' && TEXT_INPUT_TYPES.has((el.getAttribute('type') ?? '').toLowerCase());
}

/** Collapses white space; '' for nothing. */
export function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** At most `max` characters, cut at a word where one is near. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.7 ? cut.slice(0, space) : cut}…`;
}

/** Text of an element without the text of form controls inside it (a label wrapping its textarea). */
export function textOf(el: Element): string {
  let out = '';
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) out += child.nodeValue;
      else if (child.nodeType === 1) {
        const name = (child as Element).localName;
        if (name !== 'textarea' && name !== 'select' && name !== 'input' && name !== 'script' && name !== 'style') walk(child);
      }
    }
  };
  walk(el);
  return clean(out);
}

/**
 * Whether the element is shown: connected, not in a `display: none` or `visibility: hidden`
 * subtree, not `hidden`/`inert`. Uses the browser's `checkVisibility` (happy-dom's follows
 * computed styles too) and adds the attributes it does not look at.
 */
export function isShown(el: Element): boolean {
  if (!el.isConnected) return false;
  if (el.closest('[hidden], [inert], template')) return false;
  if (el.localName === 'input' && (el as HTMLInputElement).type === 'hidden') return false;
  if (typeof el.checkVisibility === 'function') return el.checkVisibility({ visibilityProperty: true });
  const view = el.ownerDocument.defaultView;
  for (let node: Element | null = el; node; node = node.parentElement) {
    const style = view?.getComputedStyle(node);
    if (style?.display === 'none') return false;
    if (node === el && (style?.visibility === 'hidden' || style?.visibility === 'collapse')) return false;
  }
  return true;
}

/**
 * Every name the page gives the control, best first: aria-labelledby, aria-label, its labels,
 * then placeholder and title (weak, but some editors have nothing else).
 */
export function labelsOf(control: Element): string[] {
  const doc = control.ownerDocument;
  const names: string[] = [];
  const ids = control.getAttribute('aria-labelledby');
  if (ids) {
    names.push(clean(ids.split(/\s+/).map((id) => { const el = doc.getElementById(id); return el ? textOf(el) : ''; }).join(' ')));
  }
  names.push(clean(control.getAttribute('aria-label')));
  const id = control.getAttribute('id');
  if (id) for (const label of doc.querySelectorAll('label[for]')) if (label.getAttribute('for') === id) names.push(textOf(label));
  const wrapping = control.closest('label');
  if (wrapping) names.push(textOf(wrapping));
  names.push(clean(control.getAttribute('placeholder')), clean(control.getAttribute('title')));
  return [...new Set(names.filter(Boolean))];
}

/** Lower case without accents, for matching labels in several languages. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[’‘`´]/g, "'");
}

/**
 * "Alt text", "alternative text" or "image description" in English, French, German, Spanish,
 * Italian, Portuguese and Dutch (accents and case ignored). A bare "Description" or "Title" is
 * not an alt field.
 */
const ALT_LABEL = new RegExp(
  [
    String.raw`\balt(?:[\s-]?(?:text|texte|texto|testo|tekst|tag|attribut\w*|atributo|attributo))\b`,
    String.raw`\b(?:texte|texto|testo|tekst|text|atributo|attribut|attributo|attribute)\s+alt\b`,
    String.raw`\balternat(?:ive|e|ivo|iver|ief|ieve|if|ivt)\s*(?:text\w*|texte|texto|testo|tekst)`,
    String.raw`\balternativtext`,
    String.raw`\b(?:texte|texto|testo|text)\s+(?:alternati\w*|de remplacement)`,
    String.raw`\bimage description\b`,
    String.raw`\bdescription (?:of (?:the|this|your) image|de l'image|d'image|de l'illustration)`,
    String.raw`\bbildbeschreibung`,
    String.raw`\bbeschreibung des bildes`,
    String.raw`\bdescripcion (?:de (?:la )?imagen|alternativa)`,
    String.raw`\bdescricao da imagem`,
    String.raw`\bdescrizione (?:dell'immagine|alternativa)`,
    String.raw`\bafbeeldingsbeschrijving`,
    String.raw`^alt\s*:?$`,
  ].join('|'),
);

export function isAltLabel(text: string): boolean {
  return ALT_LABEL.test(fold(clean(text)));
}

/** Where `value` is set: the prototype's own setter, which a framework's per-element override cannot see. */
function nativeValueSetter(el: TextControl): ((this: TextControl, value: string) => void) | undefined {
  for (let proto = Object.getPrototypeOf(el); proto; proto = Object.getPrototypeOf(proto)) {
    const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
    if (setter) return setter as (this: TextControl, value: string) => void;
  }
  return undefined;
}

/**
 * Writes a value the way editors register typing: through the native value setter, then `input`
 * (React, Vue, Angular) and `change` (Backbone and jQuery, e.g. WordPress's media modal, which
 * saves on `change`). React tracks the last value it set through its own per-element `value`
 * property; assigning `el.value` in the page's world would update that tracker too and React would
 * see no change. (A content script's isolated world does not see that property, but the prototype
 * setter is right in every world.) Returns whether the field holds the value afterwards.
 */
export function writeValue(el: TextControl, value: string): boolean {
  const view = el.ownerDocument.defaultView;
  const setter = nativeValueSetter(el);
  if (setter) setter.call(el, value);
  else el.value = value;
  const InputEventCtor = view?.InputEvent ?? view?.Event ?? Event;
  el.dispatchEvent(new InputEventCtor('input', { bubbles: true, composed: true, inputType: 'insertReplacementText', data: value } as InputEventInit));
  el.dispatchEvent(new (view?.Event ?? Event)('change', { bubbles: true }));
  return el.value === value;
}

/** The absolute URL of an image's picture ('' when it has none). */
export function imageUrl(img: Element): string {
  const el = img as HTMLImageElement;
  const raw = el.currentSrc || el.getAttribute('src') || '';
  if (!raw) return '';
  try {
    return new URL(raw, el.ownerDocument.baseURI).href;
  } catch {
    return '';
  }
}

/** An image small enough to be an icon or avatar by its declared or rendered size. */
function looksLikeIcon(img: HTMLImageElement): boolean {
  const w = img.width || Number(img.getAttribute('width')) || 0;
  const h = img.height || Number(img.getAttribute('height')) || 0;
  if (w && h && w <= 32 && h <= 32) return true;
  return /\b(?:avatar|icon|emoji|spinner|logo)\b/i.test(img.className);
}

/**
 * The image preview a field sits next to: in the closest ancestor (within `levels`) that holds a
 * shown picture (not an icon), the picture just before the field (else the first after it). When
 * that ancestor also holds another of the `fields`, which picture goes with which field would be a
 * guess: no preview.
 */
export function previewNear(control: Element, fields: Element[], levels = 6): HTMLImageElement | null {
  let node: Element | null = control.parentElement;
  for (let i = 0; node && i < levels; i += 1, node = node.parentElement) {
    const images = [...node.querySelectorAll('img')].filter((img) => imageUrl(img) && !looksLikeIcon(img) && isShown(img));
    if (!images.length) continue;
    if (fields.some((f) => f !== control && node!.contains(f))) return null;
    const before = images.filter((img) => img.compareDocumentPosition(control) & 4 /* FOLLOWING */);
    return before.length ? before[before.length - 1] : images[0];
  }
  return null;
}
