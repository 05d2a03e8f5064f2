import { afterEach, describe, expect, it } from 'vitest';
import { readBlockEditor, saveBlockEditorPost, writeBlockAlts } from '@/lib/cms/wordpress-page';
import { blockAltSaved, blockClientId, blockEditorFields, pageChanges, parseSnapshot, PageWriteResultsSchema } from '@/lib/cms/page-data';

/**
 * The block editor's page-world functions, run the way the browser runs an injected function: from
 * their source text alone (a reference to anything outside them fails here), against a small
 * stand-in for WordPress's `wp.data` stores. The real stores are exercised in
 * tests/e2e/cms-wordpress.test.ts.
 */

function fromSource<F extends (...args: never[]) => unknown>(fn: F): F {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(`return (${fn.toString()})`)() as F;
}

interface Block { clientId: string; name: string; attributes: Record<string, unknown>; innerBlocks: Block[] }
const block = (clientId: string, name: string, attributes: Record<string, unknown>, innerBlocks: Block[] = []): Block => ({ clientId, name, attributes, innerBlocks });

function fakeWordPress(blocks: Block[], post = { id: 12, title: 'Colours of the garden', status: 'publish' }) {
  const all = new Map<string, Block>();
  const index = (list: Block[]) => list.forEach((b) => { all.set(b.clientId, b); index(b.innerBlocks); });
  index(blocks);
  let dirty = false;
  let saves = 0;
  const stores: Record<string, { select: object; dispatch: object }> = {
    'core/block-editor': {
      select: { getBlocks: () => blocks, getBlock: (id: string) => all.get(id) ?? null },
      dispatch: {
        updateBlockAttributes: (id: string, attributes: Record<string, unknown>) => {
          const b = all.get(id)!;
          b.attributes = { ...b.attributes, ...attributes };
          dirty = true;
        },
      },
    },
    'core/editor': {
      select: {
        getCurrentPostId: () => post.id,
        getCurrentPostType: () => 'post',
        getEditedPostAttribute: (name: 'title' | 'status') => post[name],
        isEditedPostDirty: () => dirty,
        isSavingPost: () => false,
        didPostSaveRequestSucceed: () => saves > 0,
      },
      dispatch: { savePost: async () => { saves += 1; dirty = false; } },
    },
  };
  (window as unknown as { wp: unknown }).wp = {
    data: { select: (name: string) => stores[name]?.select, dispatch: (name: string) => stores[name]?.dispatch },
    blocks: { getBlockContent: (b: Block) => `<p>${String(b.attributes.content ?? '')}</p>` },
  };
  return { blocks: all, saves: () => saves };
}

afterEach(() => { delete (window as unknown as { wp?: unknown }).wp; });

const UUID = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const post = () => [
  block(UUID(1), 'core/heading', { content: 'Spring' }),
  block(UUID(2), 'core/paragraph', { content: 'The first <em>flowers</em> came out in March.' }),
  block(UUID(3), 'core/image', { url: 'http://127.0.0.1:8080/wp-content/uploads/red.png', alt: '', id: 4, caption: 'Poppies <strong>by the gate</strong>' }),
  block(UUID(4), 'core/group', {}, [
    block(UUID(5), 'core/image', { url: 'http://127.0.0.1:8080/wp-content/uploads/blue.png', alt: 'A blue square', href: 'https://example.org/blue' }),
    block(UUID(6), 'core/paragraph', { content: 'Then the sky cleared.' }),
  ]),
  block(UUID(7), 'core/image', {}), // an Image block still waiting for its picture
];

describe('readBlockEditor (page world)', () => {
  it('lists every Image block with its alt, nested ones too, and the post’s words around it as text', () => {
    fakeWordPress(post());
    const snapshot = fromSource(readBlockEditor)();
    expect(snapshot).toEqual({
      editor: 'wordpress-block-editor',
      postId: 12,
      postType: 'post',
      status: 'publish',
      title: 'Colours of the garden',
      lang: expect.any(String),
      dirty: false,
      saving: false,
      images: [
        { clientId: UUID(3), url: 'http://127.0.0.1:8080/wp-content/uploads/red.png', alt: '', id: 4, caption: 'Poppies by the gate', href: '', heading: 'Spring', before: 'Spring The first flowers came out in March.', after: 'Then the sky cleared.' },
        { clientId: UUID(5), url: 'http://127.0.0.1:8080/wp-content/uploads/blue.png', alt: 'A blue square', id: null, caption: '', href: 'https://example.org/blue', heading: 'Spring', before: 'Spring The first flowers came out in March.', after: 'Then the sky cleared.' },
      ],
    });
    expect(parseSnapshot(snapshot)).toEqual(snapshot);
  });

  it('answers null where there is no block editor', () => {
    expect(fromSource(readBlockEditor)()).toBeNull();
  });
});

describe('writeBlockAlts and saveBlockEditorPost (page world)', () => {
  it('writes through the editor’s store, keeps a person’s alt unless asked, and refuses stale undo', () => {
    const wp = fakeWordPress(post());
    const write = fromSource(writeBlockAlts);
    expect(write([
      { clientId: UUID(3), alt: 'Red poppies' },
      { clientId: UUID(5), alt: 'Blue' },
      { clientId: UUID(2), alt: 'Not an image' },
      { clientId: 'gone', alt: 'x' },
    ])).toEqual([
      { clientId: UUID(3), ok: true, previous: '' },
      { clientId: UUID(5), ok: false, reason: 'has-alt' },
      { clientId: UUID(2), ok: false, reason: 'gone' },
      { clientId: 'gone', ok: false, reason: 'gone' },
    ]);
    expect(wp.blocks.get(UUID(3))!.attributes.alt).toBe('Red poppies');
    expect(write([{ clientId: UUID(5), alt: 'Blue', overwrite: true }])).toEqual([{ clientId: UUID(5), ok: true, previous: 'A blue square' }]);
    // Undo: only while the block still holds what was written.
    expect(write([{ clientId: UUID(3), alt: '', overwrite: true, expected: 'Something else' }])).toEqual([{ clientId: UUID(3), ok: false, reason: 'changed' }]);
    expect(write([{ clientId: UUID(3), alt: '', overwrite: true, expected: 'Red poppies' }])).toEqual([{ clientId: UUID(3), ok: true, previous: 'Red poppies' }]);
    expect(PageWriteResultsSchema.safeParse(write([{ clientId: UUID(3), alt: 'x' }])).success).toBe(true);
  });

  it('saves with the editor’s own savePost and says whether it worked', async () => {
    const wp = fakeWordPress(post());
    fromSource(writeBlockAlts)([{ clientId: UUID(3), alt: 'Red poppies' }]);
    const dirty = parseSnapshot(fromSource(readBlockEditor)())!;
    expect(blockAltSaved(dirty, `wp-block-${UUID(3)}`, 'Red poppies')).toBe(false);
    expect(await fromSource(saveBlockEditorPost)()).toEqual({ ok: true, dirty: false, error: '' });
    expect(wp.saves()).toBe(1);
    expect(blockAltSaved(parseSnapshot(fromSource(readBlockEditor)())!, `wp-block-${UUID(3)}`, 'Red poppies')).toBe(true);
  });
});

describe('page data checks (extension side)', () => {
  const good = () => ({
    editor: 'wordpress-block-editor', postId: 12, postType: 'post', status: 'draft', title: 'T', lang: 'en', dirty: false, saving: false,
    images: [{ clientId: UUID(3), url: 'https://example.org/a.png', alt: '', id: 4, caption: '', href: '', heading: '', before: '', after: '' }],
  });

  it('refuses what a page could send instead of a snapshot', () => {
    expect(parseSnapshot(good())).not.toBeNull();
    const withImage = (patch: object) => ({ ...good(), images: [{ ...good().images[0], ...patch }] });
    expect(parseSnapshot(withImage({ url: 'javascript:alert(1)' }))).toBeNull();
    expect(parseSnapshot(withImage({ url: 'file:///etc/passwd' }))).toBeNull();
    expect(parseSnapshot(withImage({ clientId: 'a"><b' }))).toBeNull();
    expect(parseSnapshot(withImage({ alt: 'x'.repeat(2001) }))).toBeNull();
    expect(parseSnapshot({ ...good(), images: Array(5001).fill(good().images[0]) })).toBeNull();
    expect(parseSnapshot('<html>')).toBeNull();
    expect(parseSnapshot(null)).toBeNull();
    // Context is cut to size, not refused.
    expect(parseSnapshot(withImage({ caption: 'word '.repeat(200) }))!.images[0].caption).toHaveLength(300);
  });

  it('turns a snapshot into fields written through the page, and sends the page only ids and alt text', () => {
    const snapshot = parseSnapshot({ ...good(), images: [{ ...good().images[0], href: 'javascript:void(0)', caption: 'Poppies' }] })!;
    const save = { kind: 'with-post' as const, button: 'Save draft', hint: 'Click Save draft in WordPress to save' };
    const [field] = blockEditorFields(snapshot, save);
    expect(field).toEqual({
      key: `wp-block-${UUID(3)}`,
      place: 'block-editor',
      src: 'https://example.org/a.png',
      alt: '',
      label: 'Alt text (alternative text)',
      save,
      attachmentId: 4,
      context: { postTitle: 'T', caption: 'Poppies', lang: 'en' },
      via: 'page',
    });
    expect(pageChanges([
      { key: field.key, alt: 'Red poppies' },
      { key: 'wp-attachment-4', alt: 'not a block' },
      { key: 'wp-block-../../x', alt: 'bad id' },
    ])).toEqual([{ clientId: UUID(3), alt: 'Red poppies', overwrite: false }]);
    expect(blockClientId('form:1')).toBeNull();
  });
});
