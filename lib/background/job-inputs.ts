import { browser } from 'wxt/browser';
import { findingId, groupByDocument } from '../page/finding-id';
import type { Output } from '../messaging';
import type { FrameJobInput } from '../scan/schema';
import { sha256Text } from '../jobs/cache';
import { SINGLE_IMAGE_ITEM_ID } from '../jobs/schema';
import type { MissingInput, StartItem } from '../jobs/runner';
import { isPageChanged } from './frames';
import { browserFrames, imageIdInTab, type TabFrames } from './tab-actions';

/**
 * What a job needs to know about each image, asked of the documents that show them (contract 2):
 * one `jobInputs` request per document the ids name (lib/page/finding-id.ts), answering kind,
 * status, alt, src, selector, context and rendered size as they are now. The worker asks once
 * when a job starts (and again after a restart, for what the job record does not keep). An image
 * whose document is gone, whose frame does not answer or that left the page comes back as missing
 * with the reason, and the job skips it; it never fails the whole job.
 */
export interface FramePort extends TabFrames {
  /** The tab's address: the page the job is for. */
  tabUrl(tabId: number): Promise<string>;
}

export const browserFramePort: FramePort = {
  ...browserFrames,
  tabUrl: async (tabId) => (await browser.tabs.get(tabId)).url ?? '',
};

/** Inputs are asked for in slices, so a document with 10,000 selected images answers each request in time. */
export const INPUTS_CHUNK = 500;

export interface FoundInputs {
  pageUrl: string;
  /** In the order asked for: each id's input, or why it is missing. */
  items: StartItem[];
}

const missing = (id: string, frameId: number, code: string, message: string): MissingInput => ({ id, frameId, skip: { code, message } });
const FRAME_GONE = 'The frame showing this image could not be reached (it may have navigated or closed). Scan the page again.';
const NOT_ON_PAGE = 'This image is no longer on the page. Scan the page again.';
const PAGE_CHANGED = 'The page changed after it was scanned (it was reloaded or left), so this image was not read. Scan the page again.';

type Read = { url: string; inputs: FrameJobInput[] } | { skip: 'page-changed' | 'frame-gone' };

/** One slice of one document's inputs, or why the document did not give them. */
async function readInputs(port: FramePort, tabId: number, frameId: number, doc: string, locals: string[]): Promise<Read> {
  try {
    const answer = await port.send('jobInputs', { doc, ids: locals }, { tabId, frameId });
    return 'pageChanged' in answer ? { skip: 'page-changed' } : answer;
  } catch (error) {
    return { skip: isPageChanged(error) ? 'page-changed' : 'frame-gone' };
  }
}

/** Each finding id's job input, asked of the documents holding them (all documents at once). */
export async function jobInputsInTab(tabId: number, ids: string[], port: FramePort = browserFramePort): Promise<FoundInputs> {
  const { groups, invalid } = groupByDocument(ids);
  const result = new Map<string, StartItem>();
  for (const id of invalid) result.set(id, missing(id, 0, 'not-found', NOT_ON_PAGE));
  const [pageUrl] = await Promise.all([
    port.tabUrl(tabId).catch(() => ''),
    ...groups.map(async ({ frameId, doc, locals, ids: merged }) => {
      for (let i = 0; i < locals.length; i += INPUTS_CHUNK) {
        const slice = locals.slice(i, i + INPUTS_CHUNK);
        const read = await readInputs(port, tabId, frameId, doc, slice);
        if ('skip' in read) {
          slice.forEach((_, j) => result.set(merged[i + j], read.skip === 'page-changed'
            ? missing(merged[i + j], frameId, 'page-changed', PAGE_CHANGED)
            : missing(merged[i + j], frameId, 'frame-gone', FRAME_GONE)));
          continue;
        }
        const byLocal = new Map(read.inputs.map((input) => [input.id, input]));
        slice.forEach((local, j) => {
          const id = merged[i + j];
          const input = byLocal.get(local);
          result.set(id, input ? { ...input, id, frameId, frameUrl: read.url } : missing(id, frameId, 'not-found', NOT_ON_PAGE));
        });
      }
    }),
  ]);
  return { pageUrl, items: ids.map((id) => result.get(id)!) };
}

/** The details (selector, context, size) of findings, from their job inputs; `pageChanged` when some document is gone. */
export async function findingDetailsInTab(tabId: number, ids: string[], port: FramePort = browserFramePort): Promise<Output<'getFindingDetails'>> {
  const { items } = await jobInputsInTab(tabId, ids, port);
  const details = items.flatMap((item) => ('skip' in item ? [] : [{ id: item.id, selector: item.selector, context: item.context, width: item.width, height: item.height }]));
  return items.some((item) => 'skip' in item && item.skip.code === 'page-changed') ? { details, pageChanged: true } : { details };
}

/** The context menu's image: by its address, or (after a restart) by the hash of its data: URL. */
export type ImageSource = { src: string } | { sha256: string };

/** The finding id of the image in the frame's current document, and its address; null when no element shows it. */
async function locate(tabId: number, frameId: number, source: ImageSource, port: FramePort): Promise<{ id: string; src: string } | null> {
  if ('src' in source) {
    const id = await imageIdInTab(tabId, frameId, source.src, port).catch(() => null);
    return id ? { id, src: source.src } : null;
  }
  // A data: image known only by its hash: the frame's scan lists the data: URLs it shows.
  const agent = (await port.agents(tabId).catch(() => [])).find((a) => a.frameId === frameId);
  if (!agent) return null;
  const scan = await port.send('scanFrame', {}, { tabId, frameId }).catch(() => null);
  for (const f of scan?.findings ?? []) {
    if (f.src?.startsWith('data:') && (await sha256Text(f.src)) === source.sha256) return { id: findingId(frameId, scan!.doc, f.id), src: f.src };
  }
  return null;
}

/**
 * The one image the context menu was opened on, as a job input. When its frame shows it (the
 * usual case), it gets its context like any finding, bound to the document it was found in;
 * otherwise (no access to the frame, a CSS image) it is described from the picture alone. A data:
 * image known only by its hash must still be on the page.
 */
export async function imageInputInTab(tabId: number, frameId: number, source: ImageSource, port: FramePort = browserFramePort): Promise<{ pageUrl: string; item: StartItem }> {
  const pageUrl = await port.tabUrl(tabId).catch(() => '');
  const found = await locate(tabId, frameId, source, port);
  if (found) {
    const [item] = (await jobInputsInTab(tabId, [found.id], port)).items;
    if (!('skip' in item)) return { pageUrl, item: { ...item, id: SINGLE_IMAGE_ITEM_ID, finding: found.id } };
  }
  if (!('src' in source)) return { pageUrl, item: missing(SINGLE_IMAGE_ITEM_ID, frameId, 'not-found', NOT_ON_PAGE) };
  return {
    pageUrl,
    item: {
      id: SINGLE_IMAGE_ITEM_ID, frameId, selector: '', kind: 'img', status: 'missing', alt: null, src: source.src, width: 0, height: 0,
      context: { pageTitle: '', lang: '' },
    },
  };
}
