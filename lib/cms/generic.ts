import type { CmsAdapter, CmsField, SaveNeed } from './types';
import { clean, imageUrl, isAltLabel, isShown, isTextControl, labelsOf, previewNear, textOf, type TextControl } from './dom';

/**
 * Any other editor: a shown `textarea` or text `input` whose label, aria-label or placeholder says
 * alt text / alternative text / image description (English, French, German, Spanish, Italian,
 * Portuguese, Dutch) next to an image preview. Written through the native setter with `input` and
 * `change`, which React, Vue, Angular and jQuery forms all register; kept when the editor saves.
 */

const CANDIDATES = 'textarea, input:not([type]), input[type="text"], input[type="search"]';

/** Ids for fields that have no identity of their own, stable for the document's life. */
const ids = new WeakMap<Document, { next: number; of: WeakMap<Element, string>; elements: Map<string, WeakRef<Element>> }>();

function fieldKey(doc: Document, el: Element): string {
  let registry = ids.get(doc);
  if (!registry) ids.set(doc, (registry = { next: 1, of: new WeakMap(), elements: new Map() }));
  let key = registry.of.get(el);
  if (!key) {
    key = `form-${registry.next++}`;
    registry.of.set(el, key);
    registry.elements.set(key, new WeakRef(el));
  }
  return key;
}

function byKey(doc: Document, key: string): Element | null {
  return ids.get(doc)?.elements.get(key)?.deref() ?? null;
}

interface Found {
  control: TextControl;
  img: HTMLImageElement;
  label: string;
}

function altFields(doc: Document): Found[] {
  const labelled: Array<{ control: TextControl; label: string }> = [];
  for (const el of doc.querySelectorAll(CANDIDATES)) {
    if (!isTextControl(el) || el.disabled || el.readOnly || !isShown(el)) continue;
    const label = labelsOf(el).find(isAltLabel);
    if (label) labelled.push({ control: el, label });
  }
  const controls = labelled.map((f) => f.control);
  return labelled.flatMap(({ control, label }) => {
    const img = previewNear(control, controls);
    return img ? [{ control, img, label }] : [];
  });
}

/** The form's save button by its visible name, for the hint; the generic words when there is none. */
function saveNeed(control: TextControl): SaveNeed {
  const form = control.form;
  const submit = form?.querySelector('button:not([type]), button[type="submit"], input[type="submit"]');
  const name = submit ? (submit.localName === 'input' ? clean((submit as HTMLInputElement).value) : textOf(submit)) : '';
  return name
    ? { kind: 'with-post', button: name, hint: `Click ${name} in the editor to save` }
    : { kind: 'with-post', button: 'Save', hint: 'Save in your editor to keep it' };
}

const CAPTION = /^(?:caption|l[ée]gende|bildunterschrift|leyenda|didascalia|legenda|pie de foto)\b/i;
const TITLE = /^(?:title|titre|titel|t[ií]tulo|titolo|headline|[üu]berschrift)\b/i;

/** The value of the first field in `scope` whose label starts with one of `words`. */
function fieldLabelled(scope: ParentNode | null | undefined, words: RegExp, except?: Element): string {
  for (const el of scope?.querySelectorAll(CANDIDATES) ?? []) {
    if (el !== except && isTextControl(el) && labelsOf(el).some((l) => words.test(l))) return clean(el.value);
  }
  return '';
}

/** The smallest element holding both the field and its preview: the image's own row of fields. */
function rowOf(control: Element, img: Element): Element | null {
  let node: Element | null = control.parentElement;
  while (node && !node.contains(img)) node = node.parentElement;
  return node;
}

export const generic: CmsAdapter = {
  id: 'generic',

  recognise(doc) {
    return altFields(doc).length ? { cms: 'generic', place: 'form', label: 'Image form' } : null;
  },

  list(doc) {
    return altFields(doc).map(({ control, img, label }): CmsField => ({
      key: fieldKey(doc, control),
      place: 'form',
      src: imageUrl(img),
      // No savedAlt: React keeps an input's default value in step with what it holds, so a
      // form's default value does not tell what the server has.
      alt: control.value,
      label,
      save: saveNeed(control),
      context: {
        // The content's own title field, not the editor's page title.
        postTitle: fieldLabelled(control.form, TITLE) || undefined,
        caption: fieldLabelled(rowOf(control, img), CAPTION, control) || undefined,
        lang: (control.closest('[lang]')?.getAttribute('lang') ?? doc.documentElement.lang) || undefined,
      },
      via: 'dom',
    }));
  },

  control(doc, field) {
    const el = byKey(doc, field.key);
    return el && el.isConnected && isTextControl(el) ? el : null;
  },
};
