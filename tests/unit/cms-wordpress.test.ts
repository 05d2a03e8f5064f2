import { describe, expect, it, vi } from 'vitest';
import { fixtureDocument } from '../support/cms-fixture';
import { fill, inspect, NEEDS_PAGE, saveScreen, saveState, toFindingContext, undo, waitForSave } from '@/lib/cms';
import { isPlaceholderAlt, wordpress } from '@/lib/cms/wordpress';

/**
 * The WordPress adapter on the real markup of WordPress 6.1's four alt text screens, saved by
 * tests/tools/capture-wp-fixtures.ts (a post "Colours of the garden" with a heading, paragraphs,
 * red (caption "Poppies by the gate"), blue (alt "A blue square") and green (in a group) Image
 * blocks; the attachments red, blue and green).
 */

const ADMIN = 'http://127.0.0.1:8080/wp-admin';
const UPLOADS = 'http://127.0.0.1:8080/wp-content/uploads/2026/11';
const blockEditor = () => fixtureDocument('wp61-block-editor.html', `${ADMIN}/post.php?post=7&action=edit`);
const editorModal = () => fixtureDocument('wp61-editor-media-modal.html', `${ADMIN}/post.php?post=7&action=edit`);
const gridModal = () => fixtureDocument('wp61-media-grid-modal.html', `${ADMIN}/upload.php?mode=grid`);
const attachmentPage = () => fixtureDocument('wp61-attachment-edit.html', `${ADMIN}/post.php?post=6&action=edit`);

/**
 * React's value tracker, as React DOM installs it on a controlled field: an own `value` property
 * that records what React last set. On `input`, React fires onChange only when the field's real
 * value differs from the recorded one, so a write through `el.value = …` (which goes through this
 * property) is never seen.
 */
function reactTracker(field: HTMLTextAreaElement | HTMLInputElement) {
  const proto = Object.getPrototypeOf(field);
  const native = Object.getOwnPropertyDescriptor(proto, 'value')!;
  let tracked = native.get!.call(field) as string;
  Object.defineProperty(field, 'value', {
    configurable: true,
    get() { return native.get!.call(this); },
    set(value: string) { tracked = String(value); native.set!.call(this, value); },
  });
  const changes: string[] = [];
  field.ownerDocument.addEventListener('input', (event) => {
    if (event.target !== field) return;
    const now = native.get!.call(field) as string;
    if (now !== tracked) {
      tracked = now;
      changes.push(now);
    }
  });
  return changes;
}

describe('WordPress block editor (saved 6.1 markup)', () => {
  it('is recognised from the document, and needs the page world for every block', () => {
    expect(wordpress.recognise(blockEditor())).toEqual({ cms: 'wordpress', place: 'block-editor', label: 'WordPress block editor', pageApi: 'wordpress-block-editor' });
  });

  it('lists the Image blocks (nested ones too), not the admin bar avatars', () => {
    const found = inspect(blockEditor())!;
    expect(found.fields.map((f) => f.src)).toEqual([`${UPLOADS}/red.png`, `${UPLOADS}/blue.png`, `${UPLOADS}/green.png`]);
    expect(found.fields.every((f) => /^wp-block-[0-9a-f-]{36}$/.test(f.key) && f.via === 'page')).toBe(true);
    // Keys fit the local part of a finding id (lib/page/finding-id.ts).
    expect(found.fields.every((f) => /^[A-Za-z0-9_-]{1,64}$/.test(f.key))).toBe(true);
    // The document has the avatars (admin bar) among its images; none of them is a field.
    expect([...blockEditor().querySelectorAll('img')].some((img) => img.src.includes('gravatar.com'))).toBe(true);
  });

  it('does not read the editor placeholder as alt text', () => {
    const doc = blockEditor();
    const green = [...doc.querySelectorAll('img')].find((img) => img.src.endsWith('green.png'))!;
    expect(green.alt).toBe('This image has an empty alt attribute; its file name is green.png');
    expect(inspect(doc)!.fields.map((f) => f.alt)).toEqual(['', 'A blue square', '']);
  });

  it('takes the context from the post being edited: title, caption, heading, text around the image', () => {
    const [red, , green] = inspect(blockEditor())!.fields;
    expect(red.context).toEqual({
      postTitle: 'Colours of the garden',
      caption: 'Poppies by the gate',
      heading: 'Spring',
      before: 'Spring The first flowers came out in March.',
      after: 'Then the sky cleared. The end of the post.',
      lang: 'en-US',
    });
    // The green image sits in a group: its neighbours are the group's.
    expect(green.context).toMatchObject({ before: 'Spring The first flowers came out in March. Then the sky cleared.', after: 'The end of the post.' });
    expect(toFindingContext(red.context)).toEqual({
      pageTitle: 'Colours of the garden',
      lang: 'en-US',
      figcaption: 'Poppies by the gate',
      heading: 'Spring',
      nearbyText: 'Spring The first flowers came out in March. … Then the sky cleared. The end of the post.',
    });
  });

  it('says the post must be saved, with the button the page shows', () => {
    expect(inspect(blockEditor())!.fields[0].save).toEqual({ kind: 'with-post', button: 'Update', hint: 'Click Update in WordPress to save' });
    // A draft is saved by "Save draft" (Publish would publish it).
    const draft = blockEditor();
    const publish = draft.querySelector('.editor-post-publish-button')!;
    publish.textContent = 'Publish';
    publish.insertAdjacentHTML('beforebegin', '<button type="button" class="components-button editor-post-save-draft is-tertiary">Save draft</button>');
    expect(inspect(draft)!.fields[0].save).toEqual({ kind: 'with-post', button: 'Save draft', hint: 'Click Save draft in WordPress to save' });
  });

  it('writes the selected block through its React sidebar field (native setter, input event); others need the page world', () => {
    const doc = blockEditor();
    const found = inspect(doc)!;
    const sidebar = [...doc.querySelectorAll('textarea')].find((t) => t.id.startsWith('inspector-textarea-control'))!;
    const seen = reactTracker(sidebar);
    const results = fill(doc, [
      { key: found.fields[0].key, alt: 'Red poppies  by a gate ' },
      { key: found.fields[2].key, alt: 'A green square' },
    ], found);
    expect(results).toEqual([
      { key: found.fields[0].key, ok: true, previous: '', written: 'Red poppies by a gate', save: found.fields[0].save },
      { key: found.fields[2].key, ok: false, reason: NEEDS_PAGE },
    ]);
    expect(seen).toEqual(['Red poppies by a gate']);
    expect(sidebar.value).toBe('Red poppies by a gate');
  });
});

describe('WordPress media modal opened from the editor (saved 6.1 markup)', () => {
  it('wins over the block editor behind it, and reads the library alt a person wrote', () => {
    const found = inspect(editorModal())!;
    expect(found.screen).toEqual({ cms: 'wordpress', place: 'media-modal', label: 'WordPress media modal' });
    expect(found.fields).toEqual([{
      key: 'wp-attachment-5',
      place: 'media-modal',
      src: `${UPLOADS}/blue.png`,
      alt: 'A blue square',
      label: 'Alt Text',
      save: { kind: 'at-once' },
      attachmentId: 5,
      context: { postTitle: 'Colours of the garden', mediaTitle: 'blue', lang: 'en-US' },
      via: 'dom',
    }]);
  });

  it('keeps the alt a person wrote unless asked, then writes it with a change event (Backbone saves on change)', () => {
    const doc = editorModal();
    const details = doc.querySelector('.media-modal .attachment-details')!;
    const changed: string[] = [];
    // Backbone's delegated handler sits on the view's element, like this listener.
    details.addEventListener('change', (event) => changed.push((event.target as HTMLTextAreaElement).value));
    expect(fill(doc, [{ key: 'wp-attachment-5', alt: 'Something else' }])).toEqual([
      { key: 'wp-attachment-5', ok: false, reason: 'It already has alt text a person wrote; choose overwrite to replace it' },
    ]);
    expect(changed).toEqual([]);
    expect(fill(doc, [{ key: 'wp-attachment-5', alt: 'A blue tile', overwrite: true }])[0]).toMatchObject({ ok: true, previous: 'A blue square', save: { kind: 'at-once' } });
    expect(changed).toEqual(['A blue tile']);
  });

  it('does not write into the modal once it shows another attachment', () => {
    const doc = editorModal();
    const found = inspect(doc)!;
    const tile = doc.querySelector('.media-modal li.attachment.details')!;
    tile.setAttribute('data-id', '9');
    expect(fill(doc, [{ key: 'wp-attachment-5', alt: 'A blue tile', overwrite: true }], found)).toEqual([
      { key: 'wp-attachment-5', ok: false, reason: 'The field is no longer on the screen' },
    ]);
    expect((doc.querySelector('.media-modal [data-setting="alt"] textarea') as HTMLTextAreaElement).value).toBe('A blue square');
  });
});

describe('WordPress media library grid modal (saved 6.1 markup)', () => {
  it('lists the modal field only: the grid tiles behind it and the avatars are not fields', () => {
    const doc = gridModal();
    expect(doc.querySelectorAll('li.attachment img').length).toBeGreaterThan(1);
    const found = inspect(doc)!;
    expect(found.screen.place).toBe('media-grid');
    expect(found.fields).toEqual([expect.objectContaining({ key: 'wp-attachment-4', src: `${UPLOADS}/red.png`, alt: '', label: 'Alternative Text', attachmentId: 4, save: { kind: 'at-once' } })]);
  });

  it('keys the field by the picture when the document does not give the attachment id, in a finding id’s alphabet', () => {
    const doc = gridModal();
    doc.querySelectorAll('.media-modal a[href*="post.php?post="]').forEach((a) => a.remove());
    const [field] = inspect(doc)!.fields;
    expect(field.key).toMatch(/^wp-src-[0-9a-z]+$/);
    expect(field.attachmentId).toBeUndefined();
    expect(fill(doc, [{ key: field.key, alt: 'A red square' }])[0].ok).toBe(true);
  });

  it('follows the save WordPress reports after the change event', async () => {
    const doc = gridModal();
    const details = doc.querySelector('.media-modal .attachment-details')!;
    // What Backbone's view does: waiting while admin-ajax saves, complete when it answered.
    details.addEventListener('change', () => {
      details.classList.replace('save-ready', 'save-waiting');
      setTimeout(() => details.classList.replace('save-waiting', 'save-complete'), 120);
    });
    expect(saveState(doc, 'wp-attachment-4')).toBe('unknown');
    expect(fill(doc, [{ key: 'wp-attachment-4', alt: 'A red square' }])[0].ok).toBe(true);
    expect(saveState(doc, 'wp-attachment-4')).toBe('saving');
    expect(await waitForSave(doc, 'wp-attachment-4', 5_000)).toBe('saved');
  });

  it('reports a failed save', async () => {
    const doc = gridModal();
    const details = doc.querySelector('.media-modal .attachment-details')!;
    details.addEventListener('change', () => details.classList.replace('save-ready', 'save-error'));
    fill(doc, [{ key: 'wp-attachment-4', alt: 'A red square' }]);
    expect(await waitForSave(doc, 'wp-attachment-4', 5_000)).toBe('failed');
  });

  it('has no field once the modal is closed (WordPress hides it, keeping it in the document)', () => {
    const doc = gridModal();
    (doc.querySelector('.media-modal')!.parentElement as HTMLElement).style.display = 'none';
    expect(inspect(doc)).toEqual({ screen: { cms: 'wordpress', place: 'media-grid', label: 'WordPress media library' }, fields: [] });
  });
});

describe('WordPress attachment edit page (saved 6.1 markup)', () => {
  it('lists the attachment with the value the server sent', () => {
    const found = inspect(attachmentPage())!;
    expect(found.screen.place).toBe('attachment-page');
    expect(found.fields).toEqual([{
      key: 'wp-attachment-6',
      place: 'attachment-page',
      src: `${UPLOADS}/green.png`,
      alt: '',
      savedAlt: '',
      label: 'Alternative Text',
      save: { kind: 'with-post', button: 'Update', hint: 'Click Update in WordPress to save' },
      attachmentId: 6,
      context: { mediaTitle: 'green', lang: 'en-US' },
      via: 'dom',
    }]);
  });

  it('fills the form field, which stays unsaved until Update; Save for me clicks Update', () => {
    const doc = attachmentPage();
    expect(fill(doc, [{ key: 'wp-attachment-6', alt: 'A green square' }])[0]).toMatchObject({ ok: true, previous: '' });
    expect((doc.getElementById('attachment_alt') as HTMLTextAreaElement).value).toBe('A green square');
    expect(saveState(doc, 'wp-attachment-6')).toBe('unsaved');
    const clicked = vi.fn((event: Event) => event.preventDefault());
    doc.getElementById('publish')!.addEventListener('click', clicked);
    expect(saveScreen(doc)).toBe(true);
    expect(clicked).toHaveBeenCalledTimes(1);
  });

  it('undo puts the field back, says whether the value had been saved, and leaves a person’s later edit alone', () => {
    const doc = attachmentPage();
    fill(doc, [{ key: 'wp-attachment-6', alt: 'A green square' }]);
    expect(undo(doc, [{ key: 'wp-attachment-6', previous: '', written: 'A green square' }])).toEqual([
      { key: 'wp-attachment-6', ok: true, alreadySaved: false, save: expect.objectContaining({ kind: 'with-post' }) },
    ]);
    expect((doc.getElementById('attachment_alt') as HTMLTextAreaElement).value).toBe('');

    // After Update the page comes back from the server holding the value: it had been saved.
    const saved = attachmentPage();
    const field = saved.getElementById('attachment_alt') as HTMLTextAreaElement;
    field.defaultValue = 'A green square';
    expect(undo(saved, [{ key: 'wp-attachment-6', previous: '', written: 'A green square' }])[0]).toMatchObject({ ok: true, alreadySaved: true });

    const edited = attachmentPage();
    fill(edited, [{ key: 'wp-attachment-6', alt: 'A green square' }]);
    (edited.getElementById('attachment_alt') as HTMLTextAreaElement).value = 'A green square, edited by a person';
    expect(undo(edited, [{ key: 'wp-attachment-6', previous: '', written: 'A green square' }])).toEqual([
      { key: 'wp-attachment-6', ok: false, reason: 'It was edited after AltScout filled it; left as it is' },
    ]);
  });
});

describe('WordPress recognition', () => {
  it('is not fooled by URLs: an admin screen without alt fields, or a page that is not the admin, is no WordPress screen', () => {
    const dashboard = new DOMParser().parseFromString('<body class="wp-admin index-php"><img src="/a.png"><textarea aria-label="Alt text"></textarea></body>', 'text/html');
    expect(wordpress.recognise(dashboard)).toBeNull();
    const front = new DOMParser().parseFromString('<body class="home"><div class="media-modal"></div></body>', 'text/html');
    expect(wordpress.recognise(front)).toBeNull();
  });

  it('knows the placeholder alt in any language by its file name, and not a real alt', () => {
    const src = `${UPLOADS}/red.png`;
    expect(isPlaceholderAlt('This image has an empty alt attribute; its file name is red.png', src)).toBe(true);
    expect(isPlaceholderAlt('This image has an empty alt attribute', 'http://x/blob')).toBe(true);
    expect(isPlaceholderAlt('Cette image a un attribut alt vide ; le nom du fichier est red.png', src)).toBe(true);
    expect(isPlaceholderAlt('Red poppies', src)).toBe(false);
    expect(isPlaceholderAlt('red.png', src)).toBe(false);
  });
});
