import { z } from 'zod';
import type { CmsField, SaveNeed } from './types';
import { EDITED_SINCE, KEEPS_PERSONS_ALT } from './reasons';
import type { PageAltChange, PageSnapshot, PageWriteResult } from './wordpress-page';

/**
 * What the block editor's world answers (lib/cms/wordpress-page.ts) is page data: any page can
 * define a `wp` object. It is checked here, in the extension, before it becomes fields: bounded
 * sizes, image URLs that are http(s) only, text kept as text.
 */

const text = (max: number) => z.string().transform((s) => s.replace(/\s+/g, ' ').trim().slice(0, max));
const imageUrl = z.string().max(4096).refine((url) => /^https?:\/\//i.test(url) && URL.canParse(url), 'an http(s) image URL');
// A block key (`wp-block-` + id) must fit a finding id's 64-character local part.
const clientId = z.string().min(1).max(55).regex(/^[A-Za-z0-9_-]+$/);

const PageImageSchema = z.object({
  clientId,
  url: imageUrl,
  alt: z.string().max(2000),
  id: z.number().int().positive().nullable(),
  caption: text(300),
  href: z.string().max(4096),
  heading: text(300),
  before: text(300),
  after: text(300),
});

export const PageSnapshotSchema = z.object({
  editor: z.literal('wordpress-block-editor'),
  postId: z.number().int().positive().nullable(),
  postType: z.string().max(100),
  status: z.string().max(50),
  title: text(300),
  lang: z.string().max(35),
  dirty: z.boolean(),
  saving: z.boolean(),
  images: z.array(PageImageSchema).max(5000),
});

export const PageWriteResultsSchema = z.array(
  z.discriminatedUnion('ok', [
    z.object({ clientId, ok: z.literal(true), previous: z.string().max(2000) }),
    z.object({ clientId, ok: z.literal(false), reason: z.enum(['gone', 'has-alt', 'changed', 'not-taken', 'no-editor']) }),
  ]),
);

export const PageSaveResultSchema = z.object({ ok: z.boolean(), dirty: z.boolean(), error: z.string().max(300) });

/** The snapshot if it is one; null for anything else (no editor, or a page answering nonsense). */
export function parseSnapshot(value: unknown): PageSnapshot | null {
  const parsed = PageSnapshotSchema.safeParse(value);
  return parsed.success ? (parsed.data as PageSnapshot) : null;
}

const BLOCK_KEY = 'wp-block-';

/** The block editor's fields from the page's own state; `save` comes from the document (its button's name). */
export function blockEditorFields(snapshot: PageSnapshot, save: SaveNeed, label = 'Alt text (alternative text)'): CmsField[] {
  return snapshot.images.map((image) => ({
    key: `${BLOCK_KEY}${image.clientId}`,
    place: 'block-editor',
    src: image.url,
    alt: image.alt,
    label,
    save,
    attachmentId: image.id ?? undefined,
    context: {
      postTitle: snapshot.title || undefined,
      caption: image.caption || undefined,
      heading: image.heading || undefined,
      before: image.before || undefined,
      after: image.after || undefined,
      linkHref: /^https?:\/\//i.test(image.href) ? image.href : undefined,
      lang: snapshot.lang || undefined,
    },
    via: 'page',
  }));
}

/**
 * What keeps a block's alt in a post of this status: the button WordPress 6.1 shows for it. A draft
 * is kept by "Save draft" (its Publish button would publish it); a published, private or scheduled
 * post by "Update"; a post pending review by "Save as pending".
 */
export function blockEditorSaveNeed(status: string): SaveNeed {
  const button = ['publish', 'private', 'future'].includes(status) ? 'Update' : status === 'pending' ? 'Save as pending' : 'Save draft';
  return { kind: 'with-post', button, hint: `Click ${button} in WordPress to save` };
}

/** The block client id a block field's key names, or null for other fields. */
export function blockClientId(key: string): string | null {
  const id = key.startsWith(BLOCK_KEY) ? key.slice(BLOCK_KEY.length) : '';
  return clientId.safeParse(id).success ? id : null;
}

/** What to send into the page: nothing but the block ids it gave us and the alt text. */
export function pageChanges(changes: Array<{ key: string; alt: string; overwrite?: boolean; expected?: string }>): PageAltChange[] {
  return changes.flatMap((c) => {
    const id = blockClientId(c.key);
    return id ? [{ clientId: id, alt: c.alt, overwrite: c.overwrite === true, ...(c.expected !== undefined ? { expected: c.expected } : {}) }] : [];
  });
}

export const PAGE_REASONS: Record<Extract<PageWriteResult, { ok: false }>['reason'], string> = {
  gone: 'The image block is no longer in the post',
  'has-alt': KEEPS_PERSONS_ALT,
  changed: EDITED_SINCE,
  'not-taken': 'The editor did not take the text',
  'no-editor': 'The block editor is not ready on this page',
};

/**
 * Whether a value AltScout wrote into a block had already been saved with the post: the block
 * still holds it and the editor has nothing unsaved.
 */
export function blockAltSaved(snapshot: PageSnapshot, key: string, written: string): boolean {
  const id = blockClientId(key);
  const image = snapshot.images.find((i) => i.clientId === id);
  return !!image && image.alt === written && !snapshot.dirty;
}

const attachmentId = z.number().int().positive();

/** What `listLibraryWithoutAlt` answers from the page's world: page data, checked like the block editor's. */
export const LibraryListingSchema = z.object({
  images: z.array(z.object({
    id: attachmentId,
    url: imageUrl,
    alt: z.string().max(2000),
    title: text(300),
    caption: text(300),
    description: text(600),
    post: z.number().int().nonnegative(),
  })).max(10_000),
  withoutAlt: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  complete: z.boolean(),
  error: z.string().max(300),
});
export type CheckedLibraryListing = z.infer<typeof LibraryListingSchema>;

export const LibraryWriteResultsSchema = z.array(
  z.discriminatedUnion('ok', [
    z.object({ id: attachmentId, ok: z.literal(true), previous: z.string().max(2000) }),
    z.object({ id: attachmentId, ok: z.literal(false), reason: z.enum(['gone', 'has-alt', 'changed', 'not-taken', 'no-editor']) }),
  ]),
);

const LIBRARY_KEY = 'wp-attachment-';

/** The media library's images as fields (saved at once, through the page's REST access). */
export function libraryFields(listing: CheckedLibraryListing): CmsField[] {
  return listing.images.map((image) => ({
    key: `${LIBRARY_KEY}${image.id}`,
    place: 'library',
    src: image.url,
    alt: image.alt,
    label: 'Alternative Text',
    save: { kind: 'at-once' },
    attachmentId: image.id,
    context: {
      mediaTitle: image.title || undefined,
      caption: image.caption || undefined,
      description: image.description || undefined,
    },
    via: 'page',
  }));
}

/** The attachment id a library field's key names, or null. */
export function libraryAttachmentId(key: string): number | null {
  const n = key.startsWith(LIBRARY_KEY) ? Number(key.slice(LIBRARY_KEY.length)) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export const LIBRARY_REASONS = {
  gone: 'The attachment is no longer in the media library',
  'has-alt': KEEPS_PERSONS_ALT,
  changed: EDITED_SINCE,
  'not-taken': 'WordPress did not save the text',
  'no-editor': 'WordPress did not let AltScout save (log in again and reopen the media library)',
} as const;
