/**
 * Functions run in the WordPress block editor's own world (the page's main world), where its
 * `wp.data` stores live: `scripting.executeScript({ world: 'MAIN', func, args })` in the extension,
 * `page.evaluate(func, arg)` in tests. Each is self-contained (no imports, no outer names: the
 * browser receives its source text alone). The page gets nothing from us but the alt text to
 * write and the block ids it gave us; what comes back is untrusted page data, checked by
 * `lib/cms/block-editor.ts` before anything uses it.
 */

export interface PageImage {
  clientId: string;
  url: string;
  alt: string;
  /** Attachment id of the picture, when it is one from the media library. */
  id: number | null;
  caption: string;
  href: string;
  heading: string;
  before: string;
  after: string;
}

export interface PageSnapshot {
  editor: 'wordpress-block-editor';
  postId: number | null;
  postType: string;
  status: string;
  title: string;
  lang: string;
  /** The post has edits not yet saved. */
  dirty: boolean;
  saving: boolean;
  images: PageImage[];
}

export interface PageAltChange {
  clientId: string;
  alt: string;
  /** Replace alt text that is already there. */
  overwrite?: boolean;
  /** Write only while the block still holds this value (undo: still what AltScout wrote). */
  expected?: string;
}

export type PageWriteResult =
  | { clientId: string; ok: true; previous: string }
  | { clientId: string; ok: false; reason: 'gone' | 'has-alt' | 'changed' | 'not-taken' | 'no-editor' };

/** Every Image block of the post being edited with its alt, and the post's words around it. */
export function readBlockEditor(): PageSnapshot | null {
  const wp = (window as unknown as { wp?: any }).wp;
  const blockEditor = wp?.data?.select?.('core/block-editor');
  const editor = wp?.data?.select?.('core/editor');
  if (!blockEditor?.getBlocks || !editor?.getCurrentPostId) return null;
  const MAX_TEXT = 300;
  const clean = (text: unknown) => String(text ?? '').replace(/\s+/g, ' ').trim();
  // Attribute HTML (captions, paragraphs) to text in an inert document: nothing runs or loads.
  const parser = new DOMParser();
  const text = (html: unknown) => clean(parser.parseFromString(String(html ?? ''), 'text/html').body.textContent);
  const flat: any[] = [];
  const walk = (blocks: any[]) => {
    for (const block of blocks ?? []) {
      flat.push(block);
      if (block.innerBlocks?.length) walk(block.innerBlocks);
    }
  };
  walk(blockEditor.getBlocks());
  const leafText = new Map<number, string>();
  const textAt = (i: number): string => {
    if (!leafText.has(i)) {
      const block = flat[i];
      let value = '';
      if (!block.innerBlocks?.length && block.name !== 'core/image') {
        try {
          value = text(wp.blocks?.getBlockContent ? wp.blocks.getBlockContent(block) : block.attributes?.content);
        } catch {
          value = text(block.attributes?.content);
        }
      }
      leafText.set(i, value);
    }
    return leafText.get(i)!;
  };
  const around = (index: number, step: 1 | -1) => {
    const parts: string[] = [];
    let length = 0;
    for (let i = index + step; i >= 0 && i < flat.length && length < MAX_TEXT; i += step) {
      const part = textAt(i);
      if (!part) continue;
      if (step < 0) parts.unshift(part);
      else parts.push(part);
      length += part.length;
    }
    const joined = parts.join(' ');
    return step < 0 ? joined.slice(-MAX_TEXT) : joined.slice(0, MAX_TEXT);
  };
  const images: PageImage[] = [];
  let heading = '';
  for (let i = 0; i < flat.length && images.length < 5000; i += 1) {
    const block = flat[i];
    if (block.name === 'core/heading') heading = text(block.attributes?.content).slice(0, MAX_TEXT);
    if (block.name !== 'core/image' || !block.attributes?.url) continue;
    const a = block.attributes;
    images.push({
      clientId: String(block.clientId),
      url: String(a.url),
      alt: String(a.alt ?? ''),
      id: typeof a.id === 'number' ? a.id : null,
      caption: text(a.caption).slice(0, MAX_TEXT),
      href: typeof a.href === 'string' ? a.href : '',
      heading,
      before: around(i, -1),
      after: around(i, 1),
    });
  }
  return {
    editor: 'wordpress-block-editor',
    postId: editor.getCurrentPostId() ?? null,
    postType: String(editor.getCurrentPostType?.() ?? ''),
    status: String(editor.getEditedPostAttribute?.('status') ?? ''),
    title: clean(editor.getEditedPostAttribute?.('title')).slice(0, MAX_TEXT),
    lang: document.documentElement.lang || '',
    dirty: Boolean(editor.isEditedPostDirty?.()),
    saving: Boolean(editor.isSavingPost?.()),
    images,
  };
}

/** Sets Image blocks' alt through the editor's own store, as typing in the sidebar does. */
export function writeBlockAlts(changes: PageAltChange[]): PageWriteResult[] {
  const wp = (window as unknown as { wp?: any }).wp;
  const select = wp?.data?.select?.('core/block-editor');
  const dispatch = wp?.data?.dispatch?.('core/block-editor');
  return changes.map((change): PageWriteResult => {
    const clientId = String(change.clientId);
    if (!select?.getBlock || !dispatch?.updateBlockAttributes) return { clientId, ok: false, reason: 'no-editor' };
    const block = select.getBlock(clientId);
    if (!block || block.name !== 'core/image') return { clientId, ok: false, reason: 'gone' };
    const previous = String(block.attributes?.alt ?? '');
    const alt = String(change.alt);
    if (change.expected !== undefined && previous !== change.expected) return { clientId, ok: false, reason: 'changed' };
    if (previous.trim() && previous !== alt && !change.overwrite) return { clientId, ok: false, reason: 'has-alt' };
    dispatch.updateBlockAttributes(clientId, { alt });
    return select.getBlock(clientId)?.attributes?.alt === alt ? { clientId, ok: true, previous } : { clientId, ok: false, reason: 'not-taken' };
  });
}

/** The editor's own save (what Update / Save draft do), awaited; a draft stays a draft. */
export async function saveBlockEditorPost(): Promise<{ ok: boolean; dirty: boolean; error: string }> {
  const wp = (window as unknown as { wp?: any }).wp;
  const editor = wp?.data?.select?.('core/editor');
  const actions = wp?.data?.dispatch?.('core/editor');
  if (!editor || !actions?.savePost) return { ok: false, dirty: true, error: 'no-editor' };
  try {
    await actions.savePost();
  } catch (error) {
    return { ok: false, dirty: Boolean(editor.isEditedPostDirty()), error: String((error as Error)?.message ?? error).slice(0, 300) };
  }
  const ok = Boolean(editor.didPostSaveRequestSucceed());
  return { ok, dirty: Boolean(editor.isEditedPostDirty()), error: ok ? '' : 'save-failed' };
}

/** An attachment of the media library, as the page's own REST access lists it. */
export interface LibraryImage {
  id: number;
  url: string;
  alt: string;
  title: string;
  caption: string;
  description: string;
  /** The post the file was uploaded to (0: none). */
  post: number;
}

export interface LibraryListing {
  /** The first `max` images without alt text, oldest upload first. */
  images: LibraryImage[];
  /** Images without alt text in the whole library (as far as it was read: `complete`). */
  withoutAlt: number;
  /** Images in the library. */
  total: number;
  complete: boolean;
  error: string;
}

/**
 * Lists the media library's images without alt text through the page's own logged-in REST access:
 * the user's session cookies (a same-origin request from the admin page) and a REST nonce WordPress
 * gives the logged-in page (`admin-ajax.php?action=rest-nonce`). No password is stored or sent.
 */
export async function listLibraryWithoutAlt(max: number): Promise<LibraryListing> {
  const settings = (window as unknown as { wpApiSettings?: { root?: string; nonce?: string } }).wpApiSettings;
  const admin = location.pathname.includes('/wp-admin/') ? location.href.slice(0, location.href.indexOf('/wp-admin/') + 10) : `${location.origin}/wp-admin/`;
  const root = settings?.root ?? new URL('../index.php?rest_route=/', admin).href;
  const route = (path: string, query: Record<string, string>) => {
    const url = new URL(root);
    if (url.searchParams.has('rest_route')) url.searchParams.set('rest_route', `/${path}`);
    else url.pathname += path;
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url.href;
  };
  const text = (html: unknown) => new DOMParser().parseFromString(String(html ?? ''), 'text/html').body.textContent?.replace(/\s+/g, ' ').trim().slice(0, 600) ?? '';
  const out: LibraryListing = { images: [], withoutAlt: 0, total: 0, complete: false, error: '' };
  try {
    const nonce = settings?.nonce ?? (await (await fetch(`${admin}admin-ajax.php?action=rest-nonce`, { credentials: 'same-origin' })).text()).trim();
    if (!/^[a-f0-9]{6,20}$/i.test(nonce)) return { ...out, error: 'not-logged-in' };
    for (let page = 1; page <= 200; page += 1) {
      const response = await fetch(route('wp/v2/media', {
        media_type: 'image', per_page: '100', page: String(page), orderby: 'id', order: 'asc', context: 'edit',
        _fields: 'id,source_url,alt_text,title,caption,description,post',
      }), { credentials: 'same-origin', headers: { 'X-WP-Nonce': nonce } });
      if (!response.ok) return { ...out, error: `http-${response.status}` };
      out.total = Number(response.headers.get('X-WP-Total') ?? 0);
      const pages = Number(response.headers.get('X-WP-TotalPages') ?? 1);
      for (const m of (await response.json()) as any[]) {
        if (String(m.alt_text ?? '').trim()) continue;
        out.withoutAlt += 1;
        if (out.images.length < max) {
          out.images.push({
            id: Number(m.id), url: String(m.source_url ?? ''), alt: '', title: text(m.title?.raw ?? m.title?.rendered),
            caption: text(m.caption?.raw ?? m.caption?.rendered), description: text(m.description?.raw ?? m.description?.rendered), post: Number(m.post) || 0,
          });
        }
      }
      if (page >= pages) {
        out.complete = true;
        break;
      }
    }
  } catch (error) {
    return { ...out, error: String((error as Error)?.message ?? error).slice(0, 200) };
  }
  return out;
}

export interface LibraryAltChange {
  id: number;
  alt: string;
  overwrite?: boolean;
  /** Write only while the attachment still holds this value (undo: still what AltScout wrote). */
  expected?: string;
}

export type LibraryWriteResult =
  | { id: number; ok: true; previous: string }
  | { id: number; ok: false; reason: 'gone' | 'has-alt' | 'changed' | 'not-taken' | 'no-editor' };

/** Saves attachments' alt text through the page's own REST access (as the media library's field does), one by one. */
export async function saveLibraryAlts(changes: LibraryAltChange[]): Promise<LibraryWriteResult[]> {
  const settings = (window as unknown as { wpApiSettings?: { root?: string; nonce?: string } }).wpApiSettings;
  const admin = location.pathname.includes('/wp-admin/') ? location.href.slice(0, location.href.indexOf('/wp-admin/') + 10) : `${location.origin}/wp-admin/`;
  const root = settings?.root ?? new URL('../index.php?rest_route=/', admin).href;
  const route = (path: string, query: Record<string, string> = {}) => {
    const url = new URL(root);
    if (url.searchParams.has('rest_route')) url.searchParams.set('rest_route', `/${path}`);
    else url.pathname += path;
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url.href;
  };
  let nonce = '';
  try {
    nonce = settings?.nonce ?? (await (await fetch(`${admin}admin-ajax.php?action=rest-nonce`, { credentials: 'same-origin' })).text()).trim();
  } catch {
    // answered below
  }
  const results: LibraryWriteResult[] = [];
  for (const change of changes) {
    const id = Number(change.id);
    if (!/^[a-f0-9]{6,20}$/i.test(nonce)) {
      results.push({ id, ok: false, reason: 'no-editor' });
      continue;
    }
    try {
      const headers = { 'X-WP-Nonce': nonce, 'Content-Type': 'application/json' };
      const current = await fetch(route(`wp/v2/media/${id}`, { context: 'edit', _fields: 'alt_text' }), { credentials: 'same-origin', headers });
      if (!current.ok) {
        results.push({ id, ok: false, reason: 'gone' });
        continue;
      }
      const previous = String((await current.json()).alt_text ?? '');
      const alt = String(change.alt);
      if (change.expected !== undefined && previous !== change.expected) {
        results.push({ id, ok: false, reason: 'changed' });
        continue;
      }
      if (previous.trim() && previous !== alt && !change.overwrite) {
        results.push({ id, ok: false, reason: 'has-alt' });
        continue;
      }
      const saved = await fetch(route(`wp/v2/media/${id}`), { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify({ alt_text: alt }) });
      const body = saved.ok ? await saved.json() : null;
      results.push(body && String(body.alt_text) === alt ? { id, ok: true, previous } : { id, ok: false, reason: 'not-taken' });
    } catch {
      results.push({ id, ok: false, reason: 'not-taken' });
    }
  }
  return results;
}
