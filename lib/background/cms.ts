import { browser } from 'wxt/browser';
import { handle, type Input, type Output } from '../messaging';
import type { FrameMessage } from '../page/protocol';
import { findingId, groupByDocument } from '../page/finding-id';
import type { FrameJobInput } from '../scan/schema';
import type { CmsField, CmsWriteResult, SaveNeed } from '../cms/types';
import type { UndoRecord, UndoResult } from '../cms/index';
import { toFindingContext } from '../cms/index';
import { blockAltSaved, blockClientId, blockEditorFields, blockEditorSaveNeed, pageChanges, PAGE_REASONS, PageSaveResultSchema, PageWriteResultsSchema, parseSnapshot,
  LIBRARY_REASONS, libraryAttachmentId, libraryFields, LibraryListingSchema, LibraryWriteResultsSchema } from '../cms/page-data';
import { listLibraryWithoutAlt, readBlockEditor, saveBlockEditorPost, saveLibraryAlts, writeBlockAlts } from '../cms/wordpress-page';
import { CmsHelloSchema, PageFieldSchema, PageInspectionSchema, type CmsFillResult, type CmsInspection, type CmsItem, type CmsLibraryResult, type CmsSaveResult, type CmsUndoResult, type FillState } from '../cms/messages';
import type { FramePort } from './job-inputs';
import { FRAME_TIMEOUT_MS, withTimeout } from './frames';

/**
 * The popup on a CMS editing screen (issue 15): the worker injects `/cms.js` (lib/cms/page-global.ts)
 * into the tab's top frame on demand, in the content scripts' isolated world, and asks it which
 * editor this is and which alt fields it shows. The block editor keeps its images in the page's
 * own state, so those are read and written by lib/cms/wordpress-page.ts run in the page's main
 * world; what it answers is checked (lib/cms/page-data.ts). The page receives only its own block
 * ids and the reviewed alt text: never the key, settings or anything else.
 *
 * Field ids are finding ids (`"0:<doc>:<key>"`, lib/page/finding-id.ts) whose document token is
 * the CMS script's, so a fill or undo for a document that has since reloaded changes nothing, and
 * a job over them goes through the normal job path: `withCmsInputs` answers `jobInputs` for the
 * CMS script's document with each field's image and the post's words around it.
 */

export const CMS_FILE = '/cms.js';
const TOP = 0;

/** The part of the browser this module uses; tests pass their own. */
export interface CmsBrowser {
  /** Injects the CMS script into the tab's top frame (a second injection reuses it); its hello. */
  inject(tabId: number): Promise<unknown>;
  /** Runs a self-contained function in the top frame's isolated world (where `__altscoutCms` lives). */
  isolated(tabId: number, func: (...args: never[]) => unknown, args: unknown[]): Promise<unknown>;
  /** Runs a self-contained function in the top frame's main world (the page's own `wp`). */
  main(tabId: number, func: (...args: never[]) => unknown, args: unknown[]): Promise<unknown>;
  /** Resolves once the tab has loaded a new document after `trigger` (or rejects after `timeoutMs`). */
  reloadAfter(tabId: number, trigger: () => Promise<unknown>, timeoutMs: number): Promise<void>;
}

interface ScriptResult { result?: unknown }
const scripting = () => browser.scripting as unknown as {
  executeScript(injection: { target: { tabId: number; frameIds?: number[] }; files?: string[]; func?: unknown; args?: unknown[]; world?: 'MAIN' | 'ISOLATED' }): Promise<ScriptResult[]>;
};

export const browserCms: CmsBrowser = {
  async inject(tabId) {
    const [first] = await withTimeout(scripting().executeScript({ target: { tabId, frameIds: [TOP] }, files: [CMS_FILE] }), FRAME_TIMEOUT_MS * 2, 'The page');
    return first?.result;
  },
  async isolated(tabId, func, args) {
    const [first] = await withTimeout(scripting().executeScript({ target: { tabId, frameIds: [TOP] }, func, args }), FRAME_TIMEOUT_MS * 6, 'The page');
    return first?.result;
  },
  async main(tabId, func, args) {
    const [first] = await withTimeout(scripting().executeScript({ target: { tabId, frameIds: [TOP] }, func, args, world: 'MAIN' }), FRAME_TIMEOUT_MS * 6, 'The editor');
    return first?.result;
  },
  reloadAfter(tabId, trigger, timeoutMs) {
    return new Promise((resolve, reject) => {
      let loading = false;
      const done = (error?: Error) => {
        clearTimeout(timer);
        browser.tabs.onUpdated.removeListener(listener);
        if (error) reject(error);
        else resolve();
      };
      const listener = (id: number, change: { status?: string }) => {
        if (id !== tabId) return;
        if (change.status === 'loading') loading = true;
        else if (change.status === 'complete' && loading) done();
      };
      const timer = setTimeout(() => done(new Error('The editor did not load its page again after saving.')), timeoutMs);
      browser.tabs.onUpdated.addListener(listener);
      trigger().catch((error: unknown) => done(error instanceof Error ? error : new Error(String(error))));
    });
  },
};

/**
 * Runs in the isolated world: calls one method of the CMS script, but only in the document `doc`
 * names (null: whichever document is there). Self-contained: only its source reaches the page.
 */
function callCms(doc: string | null, method: string, args: unknown[]): unknown {
  const cms = (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => unknown> | undefined>)['__altscoutCms'];
  if (!cms) return { pageChanged: true };
  if (doc !== null && (cms.hello() as { doc: string }).doc !== doc) return { pageChanged: true };
  return Promise.resolve(cms[method](...args)).then((value) => ({ value }));
}

class CmsPageChanged extends Error {
  constructor() {
    super('The editor page changed since AltScout looked at it (it was reloaded or left). Open AltScout again.');
  }
}

async function call(cms: CmsBrowser, tabId: number, doc: string | null, method: string, ...args: unknown[]): Promise<unknown> {
  const answer = (await cms.isolated(tabId, callCms, [doc, method, args])) as { value?: unknown; pageChanged?: true } | undefined;
  if (!answer || answer.pageChanged) throw new CmsPageChanged();
  return answer.value;
}

/** The editing screen in the tab's top frame now, with every field checked; null when it is none. */
interface Screen {
  doc: string;
  url: string;
  cms: 'wordpress' | 'generic';
  place: CmsField['place'];
  label: string;
  postTitle?: string;
  /** The fields on the screen, then the media library's images being described (place 'library'). */
  fields: CmsField[];
}

/** Reads the screen from a document already holding the CMS script (doc null: whichever is there). */
async function readScreen(tabId: number, doc: string | null, cms: CmsBrowser): Promise<Screen | null> {
  const hello = CmsHelloSchema.parse(await call(cms, tabId, doc, 'hello'));
  const inspection = PageInspectionSchema.parse(await call(cms, tabId, hello.doc, 'inspect'));
  if (!inspection) return null;
  let fields = inspection.fields.flatMap((f) => {
    const parsed = PageFieldSchema.safeParse(f);
    return parsed.success ? [parsed.data as CmsField] : [];
  });
  let postTitle = fields.find((f) => f.context.postTitle)?.context.postTitle;
  if (inspection.screen.pageApi === 'wordpress-block-editor') {
    // Every Image block, with its true alt, from the editor's own store (the canvas shows placeholders).
    const snapshot = parseSnapshot(await cms.main(tabId, readBlockEditor, []).catch(() => null));
    if (snapshot) {
      // The post's status says which button keeps it (the document shows "Save draft" only once there is something to save).
      fields = blockEditorFields(snapshot, blockEditorSaveNeed(snapshot.status));
      postTitle = snapshot.title || postTitle;
    }
  }
  // The media library's images being described ("Describe the media library"); a field on the screen for the same key wins.
  const onScreen = new Set(fields.map((f) => f.key));
  const library = ((await call(cms, tabId, hello.doc, 'library').catch(() => [])) as unknown[]).flatMap((f) => {
    const parsed = PageFieldSchema.safeParse(f);
    return parsed.success && parsed.data.place === 'library' && !onScreen.has(parsed.data.key) ? [parsed.data as CmsField] : [];
  });
  return { doc: hello.doc, url: hello.url, ...inspection.screen, postTitle, fields: [...fields, ...library] };
}

/** Missing alt first, then the editor's order. */
function ordered(fields: CmsField[]): CmsField[] {
  return [...fields.filter((f) => !f.alt.trim()), ...fields.filter((f) => f.alt.trim())];
}

const itemOf = (doc: string) => (f: CmsField): CmsItem => ({
  id: findingId(TOP, doc, f.key),
  src: f.src,
  alt: f.alt,
  label: f.label,
  save: f.save,
  ...(f.attachmentId ? { attachmentId: f.attachmentId } : {}),
});

/** Which editing screen the tab shows and its images' alt fields (the CMS script is injected if need be). */
export async function inspectTab(tabId: number, cms: CmsBrowser = browserCms): Promise<CmsInspection> {
  try {
    await cms.inject(tabId);
  } catch {
    return { found: false, reason: 'AltScout cannot read this page.' };
  }
  const screen = await readScreen(tabId, null, cms).catch(() => null);
  if (!screen) return { found: false, reason: 'No editing screen AltScout knows.' };
  return {
    found: true,
    tabId,
    cms: screen.cms,
    place: screen.place,
    label: screen.label,
    ...(screen.postTitle ? { postTitle: screen.postTitle } : {}),
    url: screen.url,
    doc: screen.doc,
    items: ordered(screen.fields.filter((f) => f.place !== 'library')).map(itemOf(screen.doc)),
    mediaLibrary: screen.cms === 'wordpress' && screen.place === 'media-grid',
    libraryIds: screen.fields.filter((f) => f.place === 'library').map((f) => findingId(TOP, screen.doc, f.key)),
  };
}

/** A field as a job's input: its image, its alt, and the post's words around it (never the admin screen's). */
export function fieldJobInput(field: CmsField): FrameJobInput {
  return {
    id: field.key,
    selector: '',
    kind: 'img',
    status: field.alt.trim() ? 'ok' : 'missing',
    alt: field.alt.trim() ? field.alt : null,
    src: field.src,
    width: 0,
    height: 0,
    context: toFindingContext(field.context),
  };
}

/**
 * The job path's frame port with the CMS script's documents answered here: `jobInputs` for a
 * document token that is the CMS script's (in the top frame) lists those fields; anything else
 * goes to the page agent as before.
 */
export function withCmsInputs(port: FramePort, cms: CmsBrowser = browserCms): FramePort {
  const send = async <K extends FrameMessage>(name: K, data: Input<K>, target: { tabId: number; frameId: number }): Promise<Output<K>> => {
    if (name === 'jobInputs' && target.frameId === TOP) {
      const { doc, ids } = data as Input<'jobInputs'>;
      const hello = await cms.isolated(target.tabId, callCms, [doc, 'hello', []]).catch(() => null) as { value?: unknown } | null;
      if (hello?.value) {
        const screen = await readScreen(target.tabId, doc, cms);
        const wanted = new Set(ids);
        const inputs = (screen?.fields ?? []).filter((f) => wanted.has(f.key)).map(fieldJobInput);
        return { url: screen?.url ?? '', inputs } as Output<K>;
      }
    }
    return port.send(name, data, target);
  };
  return { ...port, send };
}

const gone = (id: string) => ({ id, ok: false as const, reason: 'The field is no longer on the screen' });
const PAGE_CHANGED = 'The editor page changed since AltScout looked at it (it was reloaded or left); nothing was written. Open AltScout again';

/** The one document the ids name (fields are only in the top frame); null when they name several or none. */
function oneDocument(ids: string[]): { doc: string; keys: string[]; ids: string[] } | null {
  const { groups, invalid } = groupByDocument(ids);
  if (invalid.length || groups.length !== 1 || groups[0].frameId !== TOP) return null;
  return { doc: groups[0].doc, keys: groups[0].locals, ids: groups[0].ids };
}

/**
 * Writes reviewed alt text into the editor's own fields. A field that has alt text is left alone
 * unless the item says `overwrite` (the user chose to describe it again). Fields the editor saves
 * at once are followed until it says saved; the others wait for the user's save (or "Save for me").
 */
export async function fillInTab({ tabId, items }: { tabId: number; items: Array<{ id: string; alt: string; overwrite?: boolean }> }, cms: CmsBrowser = browserCms): Promise<CmsFillResult> {
  const target = oneDocument(items.map((i) => i.id));
  if (!target) return { results: items.map((i) => ({ id: i.id, ok: false, reason: 'Not a field of one editing screen' })) };
  const { doc } = target;
  const idOf = new Map(target.keys.map((k, i) => [k, target.ids[i]]));
  const byId = new Map(items.map((i) => [i.id, i]));
  const changes = target.keys.map((key, i) => {
    const item = byId.get(target.ids[i])!;
    return { key, alt: item.alt.replace(/\s+/g, ' ').trim(), overwrite: item.overwrite === true };
  });
  let screen: Screen | null;
  try {
    screen = await readScreen(tabId, doc, cms);
  } catch {
    return { results: items.map((i) => ({ id: i.id, ok: false, reason: PAGE_CHANGED })), pageChanged: true };
  }
  const fieldOf = new Map((screen?.fields ?? []).map((f) => [f.key, f]));
  const results = new Map<string, CmsFillResult['results'][number]>();

  // Image blocks: through the editor's own store in the page's world, then remembered for Undo here.
  const blocks = changes.filter((c) => blockClientId(c.key) && fieldOf.get(c.key)?.place === 'block-editor');
  if (blocks.length) {
    const written = PageWriteResultsSchema.safeParse(await cms.main(tabId, writeBlockAlts, [pageChanges(blocks)]).catch(() => null));
    const byClient = new Map((written.success ? written.data : []).map((r) => [r.clientId, r]));
    const remembered: UndoRecord[] = [];
    for (const change of blocks) {
      const field = fieldOf.get(change.key)!;
      const answer = byClient.get(blockClientId(change.key)!);
      if (!answer) results.set(change.key, { id: idOf.get(change.key)!, ok: false, reason: 'The editor did not answer' });
      else if (!answer.ok) results.set(change.key, { id: idOf.get(change.key)!, ok: false, reason: PAGE_REASONS[answer.reason] });
      else {
        remembered.push({ key: change.key, previous: answer.previous, written: change.alt });
        results.set(change.key, stateOf(idOf.get(change.key)!, change.alt, field.save, 'waiting'));
      }
    }
    if (remembered.length) await call(cms, tabId, doc, 'remember', remembered);
  }

  // The media library's images: saved at once through the page's own REST access, in its world.
  const library = changes.filter((c) => fieldOf.get(c.key)?.place === 'library' && libraryAttachmentId(c.key));
  if (library.length) {
    const asked = library.map((c) => ({ id: libraryAttachmentId(c.key)!, alt: c.alt, overwrite: c.overwrite }));
    const written = LibraryWriteResultsSchema.safeParse(await cms.main(tabId, saveLibraryAlts, [asked]).catch(() => null));
    const byAttachment = new Map((written.success ? written.data : []).map((r) => [r.id, r]));
    const remembered: UndoRecord[] = [];
    for (const change of library) {
      const answer = byAttachment.get(libraryAttachmentId(change.key)!);
      const id = idOf.get(change.key)!;
      if (!answer) results.set(change.key, { id, ok: false, reason: 'WordPress did not answer' });
      else if (!answer.ok) results.set(change.key, { id, ok: false, reason: LIBRARY_REASONS[answer.reason] });
      else {
        remembered.push({ key: change.key, previous: answer.previous, written: change.alt });
        results.set(change.key, { id, ok: true, state: 'saved', written: change.alt });
      }
    }
    if (remembered.length) await call(cms, tabId, doc, 'remember', remembered);
  }

  // Every other field: through the document, the way the editor registers typing.
  const dom = changes.filter((c) => !blocks.includes(c) && !library.includes(c) && fieldOf.has(c.key));
  if (dom.length) {
    const written = (await call(cms, tabId, doc, 'fill', dom)) as CmsWriteResult[];
    for (const w of written) {
      const id = idOf.get(w.key);
      if (!id) continue;
      if (!w.ok) {
        results.set(w.key, { id, ok: false, reason: w.reason });
        continue;
      }
      const reported = w.save.kind === 'at-once' ? String(await call(cms, tabId, doc, 'waitForSave', w.key, 15_000).catch(() => 'unknown')) : '';
      results.set(w.key, stateOf(id, w.written, w.save, reported));
    }
  }
  return { results: changes.map((c) => results.get(c.key) ?? gone(idOf.get(c.key)!)) };
}

/** A filled field's state: waiting for the user's save, or (saved at once) what the editor reported. */
function stateOf(id: string, written: string, save: SaveNeed, reported: string): CmsFillResult['results'][number] {
  if (save.kind === 'with-post') return { id, ok: true, state: 'waiting', written, hint: save.hint };
  const state: FillState = reported === 'saved' || reported === 'failed' ? reported : 'unknown';
  return { id, ok: true, state, written };
}

/**
 * "Save for me": the editor's own save. The block editor saves the post through its store
 * (a draft stays a draft); the attachment page clicks Update, which loads the page again.
 */
export async function saveInTab({ tabId, doc }: { tabId: number; doc: string }, cms: CmsBrowser = browserCms): Promise<CmsSaveResult> {
  let screen: Screen | null;
  try {
    screen = await readScreen(tabId, doc, cms);
  } catch {
    return { ok: false, pageChanged: true, message: PAGE_CHANGED };
  }
  if (!screen) return { ok: false, message: 'This is no longer an editing screen AltScout knows.' };
  if (screen.place === 'block-editor') {
    const saved = PageSaveResultSchema.safeParse(await cms.main(tabId, saveBlockEditorPost, []).catch(() => null));
    if (!saved.success) return { ok: false, message: 'The block editor did not answer.' };
    return saved.data.ok
      ? { ok: true, message: 'Saved the post in WordPress.' }
      : { ok: false, message: `WordPress did not save the post${saved.data.error && saved.data.error !== 'save-failed' ? ` (${saved.data.error})` : ''}. Save it yourself.` };
  }
  if (screen.place === 'media-grid' || screen.place === 'media-modal') return { ok: true, message: 'WordPress saves these fields by itself.' };
  try {
    let clicked = false;
    await cms.reloadAfter(tabId, async () => {
      clicked = (await call(cms, tabId, doc, 'save')) === true;
      if (!clicked) throw new Error('no-save-button');
    }, 30_000);
    await cms.inject(tabId);
    return { ok: true, reloaded: true, message: `Saved: clicked ${screen.fields[0]?.save.kind === 'with-post' ? screen.fields[0].save.button : 'save'} in the editor.` };
  } catch (error) {
    const why = error instanceof Error && error.message === 'no-save-button' ? 'The editor shows no save button AltScout can click' : error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${why}. Save it yourself.` };
  }
}

/**
 * Puts filled fields back as they were before AltScout wrote them. A field a person edited since
 * is left alone; a value the editor had already kept is reported (saved again at once where the
 * editor saves at once, else waiting for the user's save).
 */
export async function undoInTab({ tabId, ids }: { tabId: number; ids: string[] }, cms: CmsBrowser = browserCms): Promise<CmsUndoResult> {
  const result: CmsUndoResult = { restored: [], alreadySaved: [], skipped: [] };
  const target = oneDocument(ids);
  if (!target) return { ...result, skipped: ids.map((id) => ({ id, reason: 'Not a field of one editing screen' })) };
  const { doc } = target;
  const idOf = new Map(target.keys.map((k, i) => [k, target.ids[i]]));
  let records: UndoRecord[];
  try {
    records = (await call(cms, tabId, doc, 'records', target.keys)) as UndoRecord[];
  } catch {
    return { ...result, skipped: ids.map((id) => ({ id, reason: PAGE_CHANGED })), pageChanged: true };
  }
  const done: string[] = [];
  const known = new Set(records.map((r) => r.key));
  for (const key of target.keys) if (!known.has(key)) result.skipped.push({ id: idOf.get(key)!, reason: 'AltScout did not fill this field on this page' });

  let screen: Screen | null = null;
  try {
    screen = await readScreen(tabId, doc, cms);
  } catch {
    // answered per field below
  }
  const libraryKeys = new Set((screen?.fields ?? []).filter((f) => f.place === 'library').map((f) => f.key));
  const blocks = records.filter((r) => blockClientId(r.key));
  const library = records.filter((r) => libraryKeys.has(r.key) && libraryAttachmentId(r.key));
  const dom = records.filter((r) => !blockClientId(r.key) && !library.includes(r));
  if (library.length) {
    const asked = library.map((r) => ({ id: libraryAttachmentId(r.key)!, alt: r.previous, overwrite: true, expected: r.written }));
    const written = LibraryWriteResultsSchema.safeParse(await cms.main(tabId, saveLibraryAlts, [asked]).catch(() => null));
    const byAttachment = new Map((written.success ? written.data : []).map((r) => [r.id, r]));
    for (const record of library) {
      const answer = byAttachment.get(libraryAttachmentId(record.key)!);
      const id = idOf.get(record.key)!;
      if (answer?.ok) {
        result.restored.push(id);
        result.alreadySaved.push({ id, atOnce: true });
        done.push(record.key);
      } else result.skipped.push({ id, reason: answer ? LIBRARY_REASONS[answer.reason] : 'WordPress did not answer' });
    }
  }
  if (blocks.length) {
    const snapshot = parseSnapshot(await cms.main(tabId, readBlockEditor, []).catch(() => null));
    const changes = pageChanges(blocks.map((r) => ({ key: r.key, alt: r.previous, overwrite: true, expected: r.written })));
    const written = PageWriteResultsSchema.safeParse(await cms.main(tabId, writeBlockAlts, [changes]).catch(() => null));
    const byClient = new Map((written.success ? written.data : []).map((r) => [r.clientId, r]));
    for (const record of blocks) {
      const answer = byClient.get(blockClientId(record.key)!);
      const id = idOf.get(record.key)!;
      if (answer?.ok) {
        result.restored.push(id);
        done.push(record.key);
        if (snapshot && blockAltSaved(snapshot, record.key, record.written)) result.alreadySaved.push({ id, atOnce: false });
      } else result.skipped.push({ id, reason: answer ? PAGE_REASONS[answer.reason] : 'The editor did not answer' });
    }
  }
  if (dom.length) {
    const undone = (await call(cms, tabId, doc, 'undo', dom)) as UndoResult[];
    for (const u of undone) {
      const id = idOf.get(u.key)!;
      if (!u.ok) {
        result.skipped.push({ id, reason: u.reason === 'needs-page' ? 'The field is no longer on the screen' : u.reason });
        continue;
      }
      result.restored.push(id);
      done.push(u.key);
      if (u.alreadySaved) result.alreadySaved.push({ id, atOnce: u.save.kind === 'at-once' });
      if (u.save.kind === 'at-once') await call(cms, tabId, doc, 'waitForSave', u.key, 15_000).catch(() => undefined);
    }
  }
  if (done.length) await call(cms, tabId, doc, 'forget', done).catch(() => undefined);
  return result;
}

/**
 * "Describe the media library": the next `max` images without alt text, listed in the page's world
 * through its own logged-in REST access (its session and a REST nonce WordPress gives it; no password
 * is stored), kept with the CMS script for the job and the fill, and answered as field ids.
 */
export async function libraryInTab({ tabId, doc, max }: { tabId: number; doc: string; max: number }, cms: CmsBrowser = browserCms): Promise<CmsLibraryResult> {
  try {
    await call(cms, tabId, doc, 'hello');
  } catch {
    return { ids: [], withoutAlt: 0, total: 0, complete: false, pageChanged: true, error: PAGE_CHANGED };
  }
  const listing = LibraryListingSchema.safeParse(await cms.main(tabId, listLibraryWithoutAlt, [max]).catch((e: unknown) => ({ error: String(e) })));
  if (!listing.success) return { ids: [], withoutAlt: 0, total: 0, complete: false, error: 'The media library did not answer.' };
  const { data } = listing;
  if (data.error && !data.images.length) {
    const why = data.error === 'not-logged-in' ? 'WordPress did not let AltScout list the media library: log in again and reopen it.' : `The media library could not be listed (${data.error}).`;
    return { ids: [], withoutAlt: 0, total: 0, complete: false, error: why };
  }
  const fields = libraryFields(data);
  await call(cms, tabId, doc, 'rememberLibrary', fields);
  return {
    ids: fields.map((f) => findingId(TOP, doc, f.key)),
    withoutAlt: data.withoutAlt,
    total: data.total,
    complete: data.complete,
    ...(data.error ? { error: data.error } : {}),
  };
}

export function registerCms(cms: CmsBrowser = browserCms): void {
  handle('cmsLibrary', (input) => libraryInTab(input, cms));
  handle('cmsInspect', ({ tabId }) => inspectTab(tabId, cms));
  handle('cmsFill', (input) => fillInTab(input, cms));
  handle('cmsSave', (input) => saveInTab(input, cms));
  handle('cmsUndo', (input) => undoInTab(input, cms));
}

