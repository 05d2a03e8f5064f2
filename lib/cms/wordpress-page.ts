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
