/**
 * The CMS adapters' one small interface. An adapter recognises an editing screen from the
 * document, lists the images being edited with their own alt field, reads and writes that field
 * the way the editor registers it, and says what saving needs. Pure over a `Document` (tests pass
 * saved editor markup); nothing here imports zod or React: this code is injected on demand into
 * editing screens as its own small script, apart from the scanner's content script.
 */

export type CmsId = 'wordpress' | 'generic';

/** Where the alt field is. */
export type Place =
  /** WordPress block editor: an Image block's "Alt text (alternative text)". */
  | 'block-editor'
  /** WordPress Media Library grid, an item's details modal. */
  | 'media-grid'
  /** WordPress attachment edit page (post.php for an attachment). */
  | 'attachment-page'
  /** WordPress media modal opened from an editor (Replace, Add media, featured image). */
  | 'media-modal'
  /** Any other editor's form (generic adapter). */
  | 'form'
  /** WordPress media library item listed through the page's own REST access ("Describe the media library"). */
  | 'library';

/** What keeps a written value. */
export type SaveNeed =
  /** The editor stores the value as soon as it is written (WordPress's media modals). */
  | { kind: 'at-once' }
  /**
   * Nothing persists until the editor's own save: `button` is that button's visible name as the
   * page shows it ("Update", "Save draft"), `hint` the sentence for the user.
   */
  | { kind: 'with-post'; button: string; hint: string };

/** Words for the prompt from the content being edited (never the admin interface around it). */
export interface CmsContext {
  /** Title of the post or page being edited, or that the media item is attached to. */
  postTitle?: string;
  /** The image's caption. */
  caption?: string;
  /** The media item's title (WordPress defaults it to the file name). */
  mediaTitle?: string;
  /** The media item's description. */
  description?: string;
  /** Nearest heading before the image in the content. */
  heading?: string;
  /** Text of the content right before and right after the image. */
  before?: string;
  after?: string;
  /** Where the image links to, when it is a link. */
  linkHref?: string;
  lang?: string;
}

export interface CmsScreen {
  cms: CmsId;
  place: Place;
  /** For people: "WordPress block editor", "WordPress media library", "Image form". */
  label: string;
  /**
   * Set when the editor keeps its images in the page's own state (the block editor): listing every
   * image and writing to it goes through functions run in the page's main world
   * (lib/cms/wordpress-page.ts); the document alone shows only the selected block's field.
   */
  pageApi?: 'wordpress-block-editor';
}

export interface CmsField {
  /**
   * Names the field within its document, stable across re-renders where the editor gives an
   * identity: `wp-block-<clientId>`, `wp-attachment-<id>`, `form-<n>`. At most 64 of
   * `[A-Za-z0-9_-]`, so it can be the local part of a finding id (lib/page/finding-id.ts).
   */
  key: string;
  place: Place;
  /** The image the field describes (absolute URL of its preview). */
  src: string;
  /** The field's current alt text; '' when empty. Editor placeholders are not alt text. */
  alt: string;
  /** The value the server sent with the page, when the document tells (a form's default value). */
  savedAlt?: string;
  /** The field's label as the page shows it. */
  label: string;
  save: SaveNeed;
  attachmentId?: number;
  context: CmsContext;
  /** 'dom': written through the field in the document; 'page': through the editor's own API in the page's world. */
  via: 'dom' | 'page';
}

export interface CmsChange {
  key: string;
  alt: string;
  /** Replace alt text that is already there (a person's); only when the user chose to. */
  overwrite?: boolean;
}

export type CmsWriteResult =
  /** `written` is the text as put in the field (white space collapsed); `previous` what Undo puts back. */
  | { key: string; ok: true; previous: string; written: string; save: SaveNeed }
  | { key: string; ok: false; reason: string };

/** How far the editor has kept a written value. */
export type SaveState = 'saved' | 'saving' | 'failed' | 'unsaved' | 'unknown';

export interface CmsAdapter {
  id: CmsId;
  /** The editing screen this document shows, or null when it is not one of this CMS's. */
  recognise(doc: Document): CmsScreen | null;
  /** The images being edited, each with its own alt field (admin chrome's icons are not listed). */
  list(doc: Document, screen: CmsScreen): CmsField[];
  /** The element that holds the field's value, for `write` (null when it is gone). */
  control(doc: Document, field: CmsField): HTMLInputElement | HTMLTextAreaElement | null;
  /** Whether the editor has kept what was written (the grid modal's save status); 'unknown' when the document cannot tell. */
  saveState?(doc: Document, field: CmsField): SaveState;
  /** Clicks the editor's own save (opt-in "Save for me"); false when this screen has none to click. */
  save?(doc: Document, screen: CmsScreen): boolean;
}
