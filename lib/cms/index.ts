import type { CmsAdapter, CmsChange, CmsContext, CmsField, CmsScreen, CmsWriteResult, SaveNeed, SaveState } from './types';
import type { FindingContext } from '../scan/schema';
import { clean, clip, writeValue } from './dom';
import { wordpress } from './wordpress';
import { generic } from './generic';
import { EDITED_SINCE, KEEPS_PERSONS_ALT } from './reasons';

export type * from './types';
export * from './reasons';

/**
 * The CMS adapters' face for the script injected into an editing screen (lib/cms/page-global.ts):
 * `inspect` says which editor this is and lists its images' alt fields, `fill` writes reviewed
 * text, `waitForSave` follows an at-once save, `saveScreen` is the opt-in "Save for me", `undo`
 * puts fields back. The block editor's images live in the page's own state: the caller also runs
 * lib/cms/wordpress-page.ts in the page's main world and checks its answer with lib/cms/page-data.ts.
 */


/** Most specific first: the generic adapter would also match WordPress's own alt fields. */
export const ADAPTERS: CmsAdapter[] = [wordpress, generic];

export interface Inspection {
  screen: CmsScreen;
  fields: CmsField[];
}

function adapterOf(screen: CmsScreen): CmsAdapter {
  return ADAPTERS.find((a) => a.id === screen.cms)!;
}

/** The editing screen this document shows and its images' alt fields; null when it is no editor we know. */
export function inspect(doc: Document): Inspection | null {
  for (const adapter of ADAPTERS) {
    const screen = adapter.recognise(doc);
    if (screen) return { screen, fields: adapter.list(doc, screen) };
  }
  return null;
}

const MAX_ALT = 2000;

/**
 * Writes alt text into the editor's own fields, the way it registers typing. A field that already
 * has text is left alone unless the change says `overwrite`. Fields written through the page's
 * editor API (`via: 'page'`, the block editor) are done here only when the document shows their
 * control (the selected block); the others answer `needs-page` for the caller to send through
 * lib/cms/wordpress-page.ts. `previous` is what Undo writes back.
 */
export function fill(doc: Document, changes: CmsChange[], found: Inspection | null = inspect(doc)): CmsWriteResult[] {
  return changes.map((change): CmsWriteResult => {
    const field = found?.fields.find((f) => f.key === change.key);
    if (!found || !field) return { key: change.key, ok: false, reason: 'The field is no longer on the screen' };
    const alt = clean(change.alt);
    if (alt.length > MAX_ALT) return { key: change.key, ok: false, reason: `The text is longer than ${MAX_ALT} characters` };
    const control = adapterOf(found.screen).control(doc, field);
    if (!control) {
      return field.via === 'page'
        ? { key: change.key, ok: false, reason: NEEDS_PAGE }
        : { key: change.key, ok: false, reason: 'The field is no longer on the screen' };
    }
    const previous = control.value;
    if (clean(previous) && clean(previous) !== alt && !change.overwrite) {
      return { key: change.key, ok: false, reason: KEEPS_PERSONS_ALT };
    }
    if (previous !== alt && !writeValue(control, alt)) return { key: change.key, ok: false, reason: 'The editor did not take the text' };
    return { key: change.key, ok: true, previous, written: alt, save: field.save };
  });
}

/** Reason `fill` gives for a block that only the page's own editor API can reach. */
export const NEEDS_PAGE = 'needs-page';

export interface UndoRecord {
  key: string;
  /** The value before AltScout wrote. */
  previous: string;
  /** What AltScout wrote. */
  written: string;
}

export type UndoResult =
  | { key: string; ok: true; save: SaveNeed; alreadySaved: boolean }
  | { key: string; ok: false; reason: string };

/**
 * Puts fields back as they were. A field a person changed after AltScout filled it is left alone.
 * `alreadySaved` says the filled value had been kept by the editor (saved at once, or the form was
 * saved since): the old value is back in the field, and saved again only where the editor saves
 * at once.
 */
export function undo(doc: Document, records: UndoRecord[], found: Inspection | null = inspect(doc)): UndoResult[] {
  return records.map((record): UndoResult => {
    const field = found?.fields.find((f) => f.key === record.key);
    const control = found && field ? adapterOf(found.screen).control(doc, field) : null;
    if (!found || !field || !control) {
      return { key: record.key, ok: false, reason: field?.via === 'page' ? NEEDS_PAGE : 'The field is no longer on the screen' };
    }
    if (control.value !== record.written) return { key: record.key, ok: false, reason: EDITED_SINCE };
    const alreadySaved = field.save.kind === 'at-once' || field.savedAlt === record.written;
    if (!writeValue(control, record.previous)) return { key: record.key, ok: false, reason: 'The editor did not take the text' };
    return { key: record.key, ok: true, save: field.save, alreadySaved };
  });
}

/** How far the editor has kept a field's value, when the document can tell. */
export function saveState(doc: Document, key: string, found: Inspection | null = inspect(doc)): SaveState {
  const field = found?.fields.find((f) => f.key === key);
  if (!found || !field) return 'unknown';
  return adapterOf(found.screen).saveState?.(doc, field) ?? 'unknown';
}

/**
 * Waits for an at-once field's save to finish: 'saved' once the editor says so (or went from
 * saving back to ready, which it does only after a save), 'failed' when it reports an error,
 * 'unknown' when nothing is reported within `timeoutMs`.
 */
export async function waitForSave(doc: Document, key: string, timeoutMs = 15_000): Promise<SaveState> {
  const deadline = Date.now() + timeoutMs;
  let sawSaving = false;
  for (;;) {
    const state = saveState(doc, key);
    if (state === 'saved' || state === 'failed') return state;
    if (state === 'saving') sawSaving = true;
    else if (sawSaving) return 'saved';
    if (Date.now() > deadline) return 'unknown';
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Clicks the editor's own save where the document has one ("Save for me"); false where it has none. */
export function saveScreen(doc: Document, found: Inspection | null = inspect(doc)): boolean {
  return !!found && (adapterOf(found.screen).save?.(doc, found.screen) ?? false);
}

/** A field's context in the shape the captioner takes for scanned images. */
export function toFindingContext(context: CmsContext): FindingContext {
  const nearby = [context.before, context.after, context.description].filter(Boolean).join(' … ');
  return {
    pageTitle: context.postTitle ?? '',
    lang: context.lang ?? '',
    ...(context.caption ? { figcaption: context.caption } : {}),
    ...(context.heading ? { heading: context.heading } : {}),
    ...(nearby ? { nearbyText: clip(nearby, 600) } : {}),
    ...(context.linkHref ? { linkHref: context.linkHref } : {}),
  };
}
