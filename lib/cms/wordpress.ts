import type { CmsAdapter, CmsContext, CmsField, CmsScreen, SaveNeed, SaveState } from './types';
import { clean, clip, imageUrl, isAltLabel, isShown, isTextControl, labelsOf, textOf, type TextControl } from './dom';

/**
 * WordPress (checked on 6.1; the block editor's iframed canvas of 6.3+ is followed too). Four
 * places hold an image's alt text, each saved its own way:
 * - block editor: an Image block's "Alt text (alternative text)" (React; kept in the post, saved
 *   with it). The document shows only the selected block's field, and the canvas `<img>` shows a
 *   placeholder alt when the real one is empty, so every block's true value comes from the page's
 *   own `wp.data` (lib/cms/wordpress-page.ts, run in the page's world);
 * - Media Library grid, an item's details modal: `[data-setting="alt"] textarea` (Backbone; a
 *   `change` event saves it at once);
 * - attachment edit page: `textarea#attachment_alt` (a form field, saved by Update);
 * - the media modal opened from an editor: the same Backbone field in its sidebar, saved at once.
 * An open media modal sits on top of whatever opened it, so it is the screen while it is open.
 */

const BLOCK = '[data-type="core/image"][data-block]';
const MODAL_DETAILS = '.media-modal .attachment-details';
const MODAL_ALT = '[data-setting="alt"] textarea, [data-setting="alt"] input';

/** The canvas document: the editor's iframe (WordPress 6.3+) or the admin page itself (6.1). */
function canvasOf(doc: Document): Document {
  const frame = doc.querySelector<HTMLIFrameElement>('iframe[name="editor-canvas"]');
  try {
    return frame?.contentDocument ?? doc;
  } catch {
    return doc;
  }
}

/** The attachment details shown in an open media modal (grid or editor). */
function openModalDetails(doc: Document): { details: Element; control: TextControl } | null {
  for (const details of doc.querySelectorAll(MODAL_DETAILS)) {
    const control = details.querySelector(MODAL_ALT);
    if (isTextControl(control) && isShown(control)) return { details, control };
  }
  return null;
}

function numberFrom(text: string | null | undefined): number | undefined {
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The attachment id shown in a media modal: the library tile being edited, or the "Edit" links. */
function modalAttachmentId(details: Element): number | undefined {
  const modal = details.closest('.media-modal');
  const tile = modal?.querySelector('li.attachment.details[data-id]');
  const fromTile = numberFrom(tile?.getAttribute('data-id'));
  if (fromTile) return fromTile;
  for (const link of (modal ?? details).querySelectorAll('a[href*="post.php?post="]')) {
    const id = numberFrom(new URL(link.getAttribute('href')!, details.ownerDocument.baseURI).searchParams.get('post'));
    if (id) return id;
  }
  return undefined;
}

/** An attachment's key: its id, or a hash of its picture's address when the document does not give the id. */
function attachmentKey(id: number | undefined, src: string): string {
  if (id) return `wp-attachment-${id}`;
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < src.length; i += 1) hash = Math.imul(hash ^ src.charCodeAt(i), 0x01000193);
  return `wp-src-${(hash >>> 0).toString(36)}`;
}

/** The key of the attachment a media modal shows: its id, or its picture's address when the id is not in the document. */
function modalKey(details: Element): { key: string; attachmentId?: number; src: string } {
  const img = details.querySelector('.thumbnail img, img.details-image');
  const src = img ? imageUrl(img) : '';
  const attachmentId = modalAttachmentId(details);
  return { key: attachmentKey(attachmentId, src), attachmentId, src };
}

function textAt(root: ParentNode, selector: string): string {
  const el = root.querySelector(selector);
  return el ? textOf(el) : '';
}

function valueOf(root: ParentNode, selector: string): string {
  const el = root.querySelector(selector);
  return el && isTextControl(el) ? clean(el.value) : '';
}

/** The editor's own save button's visible name, e.g. "Update" or "Save draft". */
function blockEditorSave(doc: Document): SaveNeed {
  const draft = doc.querySelector('.editor-post-save-draft');
  const publish = doc.querySelector('.editor-post-publish-button, .editor-post-publish-panel__toggle');
  const button = (draft && isShown(draft) ? textOf(draft) : '') || (publish ? textOf(publish) : '') || 'Update';
  return withPost(button);
}

function withPost(button: string): SaveNeed {
  return { kind: 'with-post', button, hint: `Click ${button} in WordPress to save` };
}

/** The post title as typed in the editor (content, not the admin page's title). */
function editorTitle(doc: Document, canvas: Document): string {
  const title = canvas.querySelector('.editor-post-title__input') ?? doc.querySelector('.editor-post-title__input');
  if (!title) return '';
  return isTextControl(title) ? clean(title.value) : textOf(title);
}

/**
 * An editor's stand-in for an empty alt: "This image has an empty alt attribute; its file name is
 * red.png" in English, translated elsewhere but always ending with the file name, or the short
 * form without it. Never alt text.
 */
export function isPlaceholderAlt(alt: string, src: string): boolean {
  const text = clean(alt);
  if (!text) return false;
  if (/^this image has an empty alt attribute\b/i.test(text)) return true;
  let file = '';
  try {
    file = decodeURIComponent(new URL(src).pathname.split('/').pop() ?? '');
  } catch {
    // no file name to compare
  }
  return file.length > 0 && text.length > file.length + 10 && text.endsWith(file);
}

/** Text of the nearest blocks before or after `block` among its siblings and its ancestors' (never other images). */
function neighbourText(block: Element, direction: 'before' | 'after', max = 300): string {
  const parts: string[] = [];
  let length = 0;
  for (let node: Element | null = block; node && length < max; node = node.parentElement?.closest('[data-block]') ?? null) {
    let sibling = direction === 'before' ? node.previousElementSibling : node.nextElementSibling;
    for (; sibling && length < max; sibling = direction === 'before' ? sibling.previousElementSibling : sibling.nextElementSibling) {
      if (!sibling.hasAttribute('data-block') || sibling.matches(BLOCK) || sibling.querySelector(BLOCK)) continue;
      const text = textOf(sibling);
      if (!text) continue;
      if (direction === 'before') parts.unshift(text);
      else parts.push(text);
      length += text.length;
    }
  }
  const joined = parts.join(' ');
  return direction === 'before' ? (joined.length > max ? `…${joined.slice(-max)}` : joined) : clip(joined, max);
}

function headingBefore(canvas: Document, block: Element): string {
  let found = '';
  for (const heading of canvas.querySelectorAll('[data-type="core/heading"][data-block]')) {
    if (heading.compareDocumentPosition(block) & 4) found = textOf(heading);
  }
  return found;
}

/** The sidebar's alt field, shown for the selected Image block only. */
function inspectorAlt(doc: Document): TextControl | null {
  for (const control of doc.querySelectorAll('.block-editor-block-inspector textarea, .block-editor-block-inspector input')) {
    if (isTextControl(control) && isShown(control) && labelsOf(control).some(isAltLabel)) return control;
  }
  return null;
}

function selectedBlockId(canvas: Document): string | null {
  return canvas.querySelector(`${BLOCK}.is-selected`)?.getAttribute('data-block') ?? null;
}

export const wordpress: CmsAdapter = {
  id: 'wordpress',

  recognise(doc) {
    const body = doc.body;
    if (!body?.classList.contains('wp-admin')) return null;
    const modal = openModalDetails(doc);
    if (modal) {
      const grid = modal.details.closest('.edit-attachment-frame') != null;
      return grid
        ? { cms: 'wordpress', place: 'media-grid', label: 'WordPress media library' }
        : { cms: 'wordpress', place: 'media-modal', label: 'WordPress media modal' };
    }
    if (body.classList.contains('block-editor-page')) {
      return { cms: 'wordpress', place: 'block-editor', label: 'WordPress block editor', pageApi: 'wordpress-block-editor' };
    }
    if (body.classList.contains('post-type-attachment') && doc.getElementById('attachment_alt')) {
      return { cms: 'wordpress', place: 'attachment-page', label: 'WordPress attachment page' };
    }
    if (body.classList.contains('upload-php')) return { cms: 'wordpress', place: 'media-grid', label: 'WordPress media library' };
    return null;
  },

  list(doc, screen) {
    const lang = doc.documentElement.lang || undefined;
    switch (screen.place) {
      case 'media-grid':
      case 'media-modal': {
        const modal = openModalDetails(doc);
        if (!modal) return [];
        const { details, control } = modal;
        const { key, attachmentId, src } = modalKey(details);
        if (!src) return [];
        const context: CmsContext = {
          // The post being edited behind the modal, or in the library the post the file was uploaded to.
          postTitle: (screen.place === 'media-modal' ? editorTitle(doc, canvasOf(doc)) : textAt(details, '.uploaded-to a')) || undefined,
          mediaTitle: valueOf(details, '[data-setting="title"] input') || undefined,
          caption: valueOf(details, '[data-setting="caption"] textarea') || undefined,
          description: valueOf(details, '[data-setting="description"] textarea') || undefined,
          lang,
        };
        return [{
          key,
          place: screen.place,
          src,
          alt: control.value,
          label: labelsOf(control)[0] ?? 'Alternative Text',
          save: { kind: 'at-once' },
          attachmentId,
          context,
          via: 'dom',
        }];
      }
      case 'attachment-page': {
        const control = doc.getElementById('attachment_alt');
        const img = doc.querySelector('.wp_attachment_image img, #media-head img');
        if (!isTextControl(control) || !img || !imageUrl(img)) return [];
        const attachmentId = numberFrom((doc.getElementById('post_ID') as HTMLInputElement | null)?.value);
        const publish = doc.getElementById('publish') as HTMLInputElement | null;
        return [{
          key: attachmentKey(attachmentId, imageUrl(img)),
          place: 'attachment-page',
          src: imageUrl(img),
          alt: control.value,
          savedAlt: control.defaultValue,
          label: labelsOf(control)[0] ?? 'Alternative Text',
          save: withPost(clean(publish?.value) || 'Update'),
          attachmentId,
          context: {
            mediaTitle: valueOf(doc, '#title') || undefined,
            caption: valueOf(doc, '#attachment_caption') || undefined,
            description: valueOf(doc, '#attachment_content') || undefined,
            lang,
          },
          via: 'dom',
        }];
      }
      case 'block-editor': {
        const canvas = canvasOf(doc);
        const save = blockEditorSave(doc);
        const postTitle = editorTitle(doc, canvas) || undefined;
        const selected = selectedBlockId(canvas);
        const sidebar = inspectorAlt(doc);
        const fields: CmsField[] = [];
        for (const block of canvas.querySelectorAll(BLOCK)) {
          const img = [...block.querySelectorAll('img')].find((i) => i.closest(BLOCK) === block);
          const src = img ? imageUrl(img) : '';
          if (!img || !src) continue; // an Image block still waiting for its picture
          const clientId = block.getAttribute('data-block')!;
          if (!/^[A-Za-z0-9_-]{1,55}$/.test(clientId)) continue; // not a block id the editor makes (a key must fit a finding id)
          const shown = img.getAttribute('alt') ?? '';
          const alt = clientId === selected && sidebar ? sidebar.value : isPlaceholderAlt(shown, src) ? '' : shown;
          const caption = block.querySelector('figcaption');
          const link = img.closest('a[href]');
          fields.push({
            key: `wp-block-${clientId}`,
            place: 'block-editor',
            src,
            alt,
            label: (clientId === selected && sidebar && labelsOf(sidebar)[0]) || 'Alt text (alternative text)',
            save,
            attachmentId: numberFrom(/\bwp-image-(\d+)\b/.exec(img.className)?.[1]),
            context: {
              postTitle,
              caption: caption ? textOf(caption) || undefined : undefined,
              heading: headingBefore(canvas, block) || undefined,
              before: neighbourText(block, 'before') || undefined,
              after: neighbourText(block, 'after') || undefined,
              linkHref: link?.getAttribute('href') ?? undefined,
              lang,
            },
            via: 'page',
          });
        }
        return fields;
      }
      default:
        return [];
    }
  },

  control(doc, field) {
    switch (field.place) {
      case 'media-grid':
      case 'media-modal': {
        // The modal shows one attachment at a time: write only if it is still this field's.
        const modal = openModalDetails(doc);
        return modal && modalKey(modal.details).key === field.key ? modal.control : null;
      }
      case 'attachment-page': {
        const control = doc.getElementById('attachment_alt');
        return isTextControl(control) ? control : null;
      }
      case 'block-editor': {
        // Without the page's own editor API only the selected block's field can be written.
        const selected = selectedBlockId(canvasOf(doc));
        return selected && field.key === `wp-block-${selected}` ? inspectorAlt(doc) : null;
      }
      default:
        return null;
    }
  },

  saveState(doc, field): SaveState {
    if (field.place === 'media-grid' || field.place === 'media-modal') {
      const details = openModalDetails(doc)?.details;
      if (!details) return 'unknown';
      // Backbone's attachment view: save-waiting while its request runs, save-complete when
      // WordPress answered, save-error when it failed, back to save-ready two seconds later.
      if (details.classList.contains('save-error')) return 'failed';
      if (details.classList.contains('save-waiting')) return 'saving';
      if (details.classList.contains('save-complete')) return 'saved';
      return 'unknown';
    }
    if (field.place === 'attachment-page') {
      const control = doc.getElementById('attachment_alt');
      return isTextControl(control) && control.value === control.defaultValue ? 'saved' : 'unsaved';
    }
    return 'unknown';
  },

  save(doc, screen) {
    if (screen.place !== 'attachment-page') return false;
    const publish = doc.getElementById('publish') as HTMLInputElement | null;
    if (!publish || publish.disabled) return false;
    publish.click();
    return true;
  },
};
