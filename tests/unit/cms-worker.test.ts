import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureDocument } from '../support/cms-fixture';
import { createCmsGlobal, type CmsGlobal } from '@/lib/cms/page-global';
import { fillInTab, inspectTab, libraryInTab, saveInTab, undoInTab, withCmsInputs, type CmsBrowser } from '@/lib/background/cms';
import type { FramePort } from '@/lib/background/job-inputs';
import { parseFindingId } from '@/lib/page/finding-id';
import { KEEPS_PERSONS_ALT } from '@/lib/cms/reasons';

/**
 * The worker's side of the popup on an editing screen (lib/background/cms.ts), over WordPress 6.1's
 * saved markup: the CMS script (lib/cms/page-global.ts) runs on the fixture document as it would
 * in the tab's isolated world, and every function the worker sends into the page runs from its
 * source text alone, as `scripting.executeScript` runs it. The block editor's store is a small
 * stand-in for `wp.data` (the real one: tests/e2e/cms-popup.test.ts).
 */

const ADMIN = 'http://127.0.0.1:8080/wp-admin';
const UPLOADS = 'http://127.0.0.1:8080/wp-content/uploads/2026/11';

function fromSource<F extends (...args: never[]) => unknown>(fn: F): F {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(`return (${fn.toString()})`)() as F;
}

const slot = globalThis as { __altscoutCms?: CmsGlobal };
afterEach(() => {
  vi.unstubAllGlobals();
  delete slot.__altscoutCms;
  delete (window as unknown as { wp?: unknown }).wp;
});

/** A tab whose top frame shows `doc`; `load` puts a new document there (a reload: a new CMS script, a new token). */
function tab(doc: Document | null) {
  let cms: CmsGlobal | undefined = doc ? createCmsGlobal(doc) : undefined;
  const injected = vi.fn();
  const browser: CmsBrowser = {
    inject: async () => {
      injected();
      slot.__altscoutCms = cms;
      return cms?.hello();
    },
    isolated: async (_tabId, func, args) => {
      slot.__altscoutCms = cms;
      return (fromSource(func) as (...a: unknown[]) => unknown)(...args);
    },
    main: async (_tabId, func, args) => (fromSource(func) as (...a: unknown[]) => unknown)(...args),
    reloadAfter: async (_tabId, trigger) => {
      await trigger();
    },
  };
  return { browser, injected, load: (next: Document) => { cms = createCmsGlobal(next); } };
}

const attachmentPage = () => fixtureDocument('wp61-attachment-edit.html', `${ADMIN}/post.php?post=6&action=edit`);
const altField = (doc: Document) => doc.getElementById('attachment_alt') as HTMLTextAreaElement;

describe('inspectTab', () => {
  it('recognises the attachment page and names each field by the CMS script’s document', async () => {
    const { browser, injected } = tab(attachmentPage());
    const found = await inspectTab(1, browser);
    expect(injected).toHaveBeenCalledTimes(1);
    if (!found.found) throw new Error('not found');
    expect(found).toMatchObject({ found: true, cms: 'wordpress', place: 'attachment-page', label: 'WordPress attachment page', url: `${ADMIN}/post.php?post=6&action=edit` });
    expect(found.items).toEqual([{
      id: `0:${found.doc}:wp-attachment-6`,
      src: `${UPLOADS}/green.png`,
      alt: '',
      label: 'Alternative Text',
      save: { kind: 'with-post', button: 'Update', hint: 'Click Update in WordPress to save' },
      attachmentId: 6,
    }]);
  });

  it('answers "not found" for a page that is no editing screen, and where the page cannot be scripted', async () => {
    const plain = fixtureDocument('generic-form.html', 'http://127.0.0.1:8080/plain');
    plain.body.innerHTML = '<p>Just a page</p><img src="/a.png" alt="">';
    expect((await inspectTab(1, tab(plain).browser)).found).toBe(false);
    const refused = tab(null).browser;
    refused.inject = async () => { throw new Error('Cannot access contents of the page'); };
    expect(await inspectTab(1, refused)).toEqual({ found: false, reason: 'AltScout cannot read this page.' });
  });
});

describe('fillInTab and undoInTab', () => {
  it('fills an empty field, says it waits for Update, and Undo puts it back', async () => {
    const doc = attachmentPage();
    const { browser } = tab(doc);
    const found = await inspectTab(1, browser);
    if (!found.found) throw new Error('not found');
    const id = found.items[0].id;
    const filled = await fillInTab({ tabId: 1, items: [{ id, alt: '  A green   square ' }] }, browser);
    expect(filled).toEqual({ results: [{ id, ok: true, state: 'waiting', written: 'A green square', hint: 'Click Update in WordPress to save' }] });
    expect(altField(doc).value).toBe('A green square');

    expect(await undoInTab({ tabId: 1, ids: [id] }, browser)).toEqual({ restored: [id], alreadySaved: [], skipped: [] });
    expect(altField(doc).value).toBe('');
    // Nothing left to undo: the record went with the undo.
    expect((await undoInTab({ tabId: 1, ids: [id] }, browser)).skipped).toEqual([{ id, reason: 'AltScout did not fill this field on this page' }]);
  });

  it('leaves alt text a person wrote unless the item asks to overwrite it', async () => {
    const doc = attachmentPage();
    altField(doc).value = 'Green, by the author';
    const { browser } = tab(doc);
    const found = await inspectTab(1, browser);
    if (!found.found) throw new Error('not found');
    const id = found.items[0].id;
    expect((await fillInTab({ tabId: 1, items: [{ id, alt: 'A green square' }] }, browser)).results).toEqual([{ id, ok: false, reason: KEEPS_PERSONS_ALT }]);
    expect(altField(doc).value).toBe('Green, by the author');
    expect((await fillInTab({ tabId: 1, items: [{ id, alt: 'A green square', overwrite: true }] }, browser)).results[0]).toMatchObject({ ok: true });
    expect(altField(doc).value).toBe('A green square');
    await undoInTab({ tabId: 1, ids: [id] }, browser);
    expect(altField(doc).value).toBe('Green, by the author');
  });

  it('writes nothing into a document other than the one inspected (the page reloaded)', async () => {
    const first = attachmentPage();
    const t = tab(first);
    const found = await inspectTab(1, t.browser);
    if (!found.found) throw new Error('not found');
    const next = attachmentPage();
    t.load(next);
    const filled = await fillInTab({ tabId: 1, items: [{ id: found.items[0].id, alt: 'A green square' }] }, t.browser);
    expect(filled.pageChanged).toBe(true);
    expect(filled.results[0]).toMatchObject({ ok: false });
    expect(altField(next).value).toBe('');
    expect((await undoInTab({ tabId: 1, ids: [found.items[0].id] }, t.browser)).pageChanged).toBe(true);
  });

  it('"Save for me" on the attachment page clicks Update and waits for the page WordPress loads next', async () => {
    const doc = attachmentPage();
    const t = tab(doc);
    const found = await inspectTab(1, t.browser);
    if (!found.found) throw new Error('not found');
    await fillInTab({ tabId: 1, items: [{ id: found.items[0].id, alt: 'A green square' }] }, t.browser);
    const clicked = vi.fn((event: Event) => event.preventDefault());
    doc.getElementById('publish')!.addEventListener('click', clicked);
    expect(await saveInTab({ tabId: 1, doc: found.doc }, t.browser)).toEqual({ ok: true, reloaded: true, message: 'Saved: clicked Update in the editor.' });
    expect(clicked).toHaveBeenCalledTimes(1);
    expect((await saveInTab({ tabId: 1, doc: 'someotherdoc' }, t.browser)).pageChanged).toBe(true);
  });
});

/** A small stand-in for the block editor's stores (the real ones: the e2e test). */
function fakeBlockEditor(status = 'draft') {
  const blocks = [
    { clientId: '00000000-0000-4000-8000-000000000001', name: 'core/heading', attributes: { content: 'Spring' }, innerBlocks: [] },
    { clientId: '00000000-0000-4000-8000-000000000002', name: 'core/image', attributes: { url: `${UPLOADS}/blue.png`, alt: 'Blue, by the author', id: 5 }, innerBlocks: [] },
    { clientId: '00000000-0000-4000-8000-000000000003', name: 'core/paragraph', attributes: { content: 'The sky cleared.' }, innerBlocks: [] },
    { clientId: '00000000-0000-4000-8000-000000000004', name: 'core/image', attributes: { url: `${UPLOADS}/red.png`, alt: '', id: 4, caption: 'Poppies' }, innerBlocks: [] },
  ] as Array<{ clientId: string; name: string; attributes: Record<string, unknown>; innerBlocks: never[] }>;
  let dirty = false;
  const get = (id: string) => blocks.find((b) => b.clientId === id) ?? null;
  const stores: Record<string, { select: object; dispatch: object }> = {
    'core/block-editor': {
      select: { getBlocks: () => blocks, getBlock: get },
      dispatch: { updateBlockAttributes: (id: string, a: Record<string, unknown>) => { get(id)!.attributes = { ...get(id)!.attributes, ...a }; dirty = true; } },
    },
    'core/editor': {
      select: {
        getCurrentPostId: () => 7, getCurrentPostType: () => 'post', isEditedPostDirty: () => dirty, isSavingPost: () => false,
        getEditedPostAttribute: (name: string) => (name === 'title' ? 'Colours of the garden' : status),
        didPostSaveRequestSucceed: () => !dirty,
      },
      dispatch: { savePost: async () => { dirty = false; } },
    },
  };
  (window as unknown as { wp: unknown }).wp = {
    data: { select: (n: string) => stores[n]?.select, dispatch: (n: string) => stores[n]?.dispatch },
    blocks: { getBlockContent: (b: { attributes: { content?: string } }) => `<p>${b.attributes.content ?? ''}</p>` },
  };
  return { alt: (n: 2 | 4) => get(`00000000-0000-4000-8000-00000000000${n}`)!.attributes.alt };
}

describe('the block editor, through its own store', () => {
  const blockEditor = () => fixtureDocument('wp61-block-editor.html', `${ADMIN}/post.php?post=7&action=edit`);

  it('lists every Image block with its true alt, missing first, kept by "Save draft" for a draft', async () => {
    fakeBlockEditor('draft');
    const found = await inspectTab(1, tab(blockEditor()).browser);
    if (!found.found) throw new Error('not found');
    expect(found).toMatchObject({ place: 'block-editor', postTitle: 'Colours of the garden' });
    expect(found.items.map((i) => [parseFindingId(i.id)!.local, i.alt])).toEqual([
      ['wp-block-00000000-0000-4000-8000-000000000004', ''],
      ['wp-block-00000000-0000-4000-8000-000000000002', 'Blue, by the author'],
    ]);
    expect(found.items[0].save).toEqual({ kind: 'with-post', button: 'Save draft', hint: 'Click Save draft in WordPress to save' });
  });

  it('answers a job’s inputs with the post’s words for the CMS script’s document, and leaves other documents to the page agent', async () => {
    fakeBlockEditor('publish');
    const { browser } = tab(blockEditor());
    const found = await inspectTab(1, browser);
    if (!found.found) throw new Error('not found');
    const base = { agents: vi.fn(), probe: vi.fn(), tabUrl: vi.fn(), send: vi.fn(async () => ({ url: 'page-agent', inputs: [] })) } as unknown as FramePort;
    const port = withCmsInputs(base, browser);
    const { doc, local } = parseFindingId(found.items[0].id)!;
    const answer = await port.send('jobInputs', { doc, ids: [local] }, { tabId: 1, frameId: 0 });
    expect(answer).toEqual({
      url: `${ADMIN}/post.php?post=7&action=edit`,
      inputs: [{
        id: local, selector: '', kind: 'img', status: 'missing', alt: null, src: `${UPLOADS}/red.png`, width: 0, height: 0,
        context: { pageTitle: 'Colours of the garden', lang: expect.any(String), figcaption: 'Poppies', heading: 'Spring', nearbyText: 'Spring The sky cleared.' },
      }],
    });
    expect(base.send).not.toHaveBeenCalled();
    expect(await port.send('jobInputs', { doc: 'pageagentdoc', ids: ['e1'] }, { tabId: 1, frameId: 0 })).toEqual({ url: 'page-agent', inputs: [] });
    expect(base.send).toHaveBeenCalledTimes(1);
  });

  it('fills through the store (never over the author’s alt), saves with the post, and Undo says it had been saved', async () => {
    const wp = fakeBlockEditor('publish');
    const { browser } = tab(blockEditor());
    const found = await inspectTab(1, browser);
    if (!found.found) throw new Error('not found');
    const [red, blue] = found.items.map((i) => i.id);
    const filled = await fillInTab({ tabId: 1, items: [{ id: red, alt: 'Red poppies' }, { id: blue, alt: 'Something else' }] }, browser);
    expect(filled.results).toEqual([
      { id: red, ok: true, state: 'waiting', written: 'Red poppies', hint: 'Click Update in WordPress to save' },
      { id: blue, ok: false, reason: KEEPS_PERSONS_ALT },
    ]);
    expect([wp.alt(4), wp.alt(2)]).toEqual(['Red poppies', 'Blue, by the author']);
    expect(await saveInTab({ tabId: 1, doc: found.doc }, browser)).toEqual({ ok: true, message: 'Saved the post in WordPress.' });
    expect(await undoInTab({ tabId: 1, ids: [red] }, browser)).toEqual({ restored: [red], alreadySaved: [{ id: red, atOnce: false }], skipped: [] });
    expect(wp.alt(4)).toBe('');
  });
});

describe('"Describe the media library", through the page’s own REST access', () => {
  const SITE = 'http://127.0.0.1:8080';
  const NONCE = '0a1b2c3d4e';

  /** WordPress's REST media routes as the logged-in admin page reaches them: session cookie and nonce. */
  function fakeRest(library: Array<{ id: number; alt: string }>) {
    const requests: Array<{ url: string; method: string; nonce: string | null; credentials?: string }> = [];
    const json = (body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json', ...headers } });
    const fetch = vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input);
      const nonce = new Headers(init.headers).get('X-WP-Nonce');
      requests.push({ url: input, method: init.method ?? 'GET', nonce, credentials: init.credentials });
      if (url.pathname.endsWith('/admin-ajax.php') && url.searchParams.get('action') === 'rest-nonce') return new Response(NONCE);
      if (nonce !== NONCE) return json({ code: 'rest_cookie_invalid_nonce' }, {});
      const route = url.searchParams.get('rest_route') ?? '';
      const one = /^\/wp\/v2\/media\/(\d+)$/.exec(route);
      if (route === '/wp/v2/media') {
        const page = Number(url.searchParams.get('page'));
        const slice = library.slice((page - 1) * 100, page * 100);
        return json(slice.map((m) => ({ id: m.id, source_url: `${UPLOADS}/${m.id}.png`, alt_text: m.alt, title: { raw: `photo ${m.id}` }, caption: { raw: '' }, description: { raw: '' }, post: 0 })),
          { 'X-WP-Total': String(library.length), 'X-WP-TotalPages': String(Math.max(1, Math.ceil(library.length / 100))) });
      }
      if (one) {
        const item = library.find((m) => m.id === Number(one[1]));
        if (!item) return new Response('{}', { status: 404 });
        if (init.method === 'POST') item.alt = JSON.parse(String(init.body)).alt_text;
        return json({ alt_text: item.alt });
      }
      return new Response('{}', { status: 404 });
    });
    vi.stubGlobal('fetch', fetch);
    return { requests, library };
  }

  it('lists the images without alt, describes them as fields, fills each at once, never over a person’s alt, and undoes', async () => {
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${SITE}/wp-admin/upload.php?mode=grid`);
    const library = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, alt: i % 3 === 0 ? `Written by a person ${i}` : '' }));
    const rest = fakeRest(library);
    const grid = fixtureDocument('wp61-media-grid-modal.html', `${ADMIN}/upload.php?mode=grid`);
    const { browser } = tab(grid);
    const found = await inspectTab(1, browser);
    if (!found.found) throw new Error('not found');
    expect(found.mediaLibrary).toBe(true);

    const listed = await libraryInTab({ tabId: 1, doc: found.doc, max: 20 }, browser);
    expect(listed).toMatchObject({ withoutAlt: 100, total: 150, complete: true });
    expect(listed.ids).toHaveLength(20);
    expect(listed.ids.map((id) => parseFindingId(id)!.local).slice(0, 3)).toEqual(['wp-attachment-2', 'wp-attachment-3', 'wp-attachment-5']);
    // Only the page's own session and nonce: same-origin requests, every REST call with the nonce.
    expect(rest.requests.every((r) => r.credentials === 'same-origin' && r.url.startsWith(SITE))).toBe(true);
    expect(rest.requests.filter((r) => r.url.includes('rest_route')).every((r) => r.nonce === NONCE)).toBe(true);
    // A reopened popup follows the job over these images.
    const again = await inspectTab(1, browser);
    expect(again.found && again.libraryIds).toEqual(listed.ids);

    // Between listing and filling a person wrote alt for attachment 3.
    library[2].alt = 'A person got there first';
    const [two, three] = listed.ids;
    const filled = await fillInTab({ tabId: 1, items: [{ id: two, alt: 'Photo two' }, { id: three, alt: 'Photo three' }] }, browser);
    expect(filled.results).toEqual([
      { id: two, ok: true, state: 'saved', written: 'Photo two' },
      { id: three, ok: false, reason: KEEPS_PERSONS_ALT },
    ]);
    expect([library[1].alt, library[2].alt]).toEqual(['Photo two', 'A person got there first']);
    expect(await undoInTab({ tabId: 1, ids: [two] }, browser)).toEqual({ restored: [two], alreadySaved: [{ id: two, atOnce: true }], skipped: [] });
    expect(library[1].alt).toBe('');
  });
});
