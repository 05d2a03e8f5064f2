import { z } from 'zod';
import { isFindingId } from '../page/finding-id';

/**
 * The worker's CMS messages (lib/background/cms.ts answers them; lib/messaging.ts lists them in
 * the one protocol map), and the checks on what the injected script (`/cms.js`, lib/cms/page-global.ts)
 * answers from an editing screen: its words come from the page's DOM, so they are bounded and
 * image addresses must be http(s) before the worker uses them.
 */

const FindingId = z.string().refine(isFindingId, 'expected a field id such as "0:c3j2h1g0f9e8:wp-attachment-12"');
const tabId = z.number().int().nonnegative();
const key = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const text = (max: number) => z.string().transform((s) => s.replace(/\s+/g, ' ').trim().slice(0, max));
const httpUrl = z.string().max(4096).refine((url) => /^https?:\/\//i.test(url) && URL.canParse(url), 'an http(s) image URL');

export const SaveNeedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('at-once') }),
  z.object({ kind: z.literal('with-post'), button: text(60), hint: text(200) }),
]);

export const PlaceSchema = z.enum(['block-editor', 'media-grid', 'attachment-page', 'media-modal', 'form', 'library']);

const ContextSchema = z.object({
  postTitle: text(300).optional(),
  caption: text(300).optional(),
  mediaTitle: text(300).optional(),
  description: text(600).optional(),
  heading: text(300).optional(),
  before: text(300).optional(),
  after: text(300).optional(),
  linkHref: z.string().max(4096).optional(),
  lang: z.string().max(35).optional(),
});

/** One field as the injected script lists it (lib/cms/types.ts CmsField). */
export const PageFieldSchema = z.object({
  key,
  place: PlaceSchema,
  src: httpUrl,
  alt: z.string().max(2000),
  savedAlt: z.string().max(2000).optional(),
  label: text(200),
  save: SaveNeedSchema,
  attachmentId: z.number().int().positive().optional(),
  context: ContextSchema,
  via: z.enum(['dom', 'page']),
});

export const PageScreenSchema = z.object({
  cms: z.enum(['wordpress', 'generic']),
  place: PlaceSchema,
  label: text(100),
  pageApi: z.literal('wordpress-block-editor').optional(),
});

/** What `__altscoutCms.inspect()` answers; fields that break the rules are dropped one by one, not the whole screen. */
export const PageInspectionSchema = z.object({ screen: PageScreenSchema, fields: z.array(z.unknown()).max(5000) }).nullable();
export const CmsHelloSchema = z.object({ doc: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), url: z.string().max(10_000) });

/** One image the popup lists: the field's id (a finding id naming frame, document and field), what it holds, how it is kept. */
export const CmsItemSchema = z.object({
  id: FindingId,
  src: z.string(),
  /** The field's alt text; '' when empty (the editor's placeholder alt is not alt text). */
  alt: z.string(),
  label: z.string(),
  save: SaveNeedSchema,
  attachmentId: z.number().int().positive().optional(),
});
export type CmsItem = z.infer<typeof CmsItemSchema>;

export const CmsInspectionSchema = z.discriminatedUnion('found', [
  z.object({ found: z.literal(false), reason: z.string() }),
  z.object({
    found: z.literal(true),
    tabId,
    cms: z.enum(['wordpress', 'generic']),
    place: PlaceSchema,
    /** "WordPress block editor", "Image form". */
    label: z.string(),
    /** The title of the post being edited, when the screen shows one. */
    postTitle: z.string().optional(),
    /** The editor page's address. */
    url: z.string(),
    /** The token of the document inspected (every item id names it). */
    doc: z.string(),
    /** Missing alt first, then in the editor's order. */
    items: z.array(CmsItemSchema),
    /** The media library's screen: "Describe the media library" is offered. */
    mediaLibrary: z.boolean(),
    /** The library images being described in this document ("Describe the media library"), so a reopened popup follows their job. */
    libraryIds: z.array(FindingId),
  }),
]);

export const CmsLibraryInputSchema = z.object({ tabId, doc: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), max: z.number().int().min(1).max(1000) }).strict();
export const CmsLibraryResultSchema = z.object({
  /** Field ids of the next images without alt text (at most `max`), for startJob. */
  ids: z.array(FindingId),
  withoutAlt: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  complete: z.boolean(),
  error: z.string().optional(),
  pageChanged: z.boolean().optional(),
});
export type CmsLibraryResult = z.infer<typeof CmsLibraryResultSchema>;
export type CmsInspection = z.infer<typeof CmsInspectionSchema>;

export const CmsFillInputSchema = z.object({
  tabId,
  items: z.array(z.object({ id: FindingId, alt: z.string().max(2000), overwrite: z.boolean().optional() }).strict()).min(1).max(10_000),
}).strict();

/** How far a filled value got: kept by the editor, waiting for the user's save, or the editor reported an error. */
export const FillStateSchema = z.enum(['saved', 'waiting', 'failed', 'unknown']);
export type FillState = z.infer<typeof FillStateSchema>;

export const CmsFillResultSchema = z.object({
  results: z.array(z.discriminatedUnion('ok', [
    z.object({ id: z.string(), ok: z.literal(true), state: FillStateSchema, written: z.string(), hint: z.string().optional() }),
    z.object({ id: z.string(), ok: z.literal(false), reason: z.string() }),
  ])),
  pageChanged: z.boolean().optional(),
});
export type CmsFillResult = z.infer<typeof CmsFillResultSchema>;

export const CmsSaveInputSchema = z.object({ tabId, doc: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict();
export const CmsSaveResultSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  /** The editor's save loaded a new page (the attachment page's Update): its fields have new ids. */
  reloaded: z.boolean().optional(),
  pageChanged: z.boolean().optional(),
});
export type CmsSaveResult = z.infer<typeof CmsSaveResultSchema>;

export const CmsUndoInputSchema = z.object({ tabId, ids: z.array(FindingId).min(1).max(10_000) }).strict();
export const CmsUndoResultSchema = z.object({
  restored: z.array(z.string()),
  /** Restored fields whose filled value had already been kept: `atOnce` ones are saved again, the others wait for the user's save. */
  alreadySaved: z.array(z.object({ id: z.string(), atOnce: z.boolean() })),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  pageChanged: z.boolean().optional(),
});
export type CmsUndoResult = z.infer<typeof CmsUndoResultSchema>;
