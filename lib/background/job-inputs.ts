import { browser } from 'wxt/browser';
import { send } from '../messaging';
import { inFrame } from '../page/merge';
import type { FrameScan } from '../page/schema';
import type { Finding, FindingDetails } from '../scan/schema';
import { withDetails } from '../scan/details';
import { sha256Text } from '../jobs/cache';
import { SINGLE_IMAGE_ITEM_ID, type JobItemInput } from '../jobs/schema';
import type { MissingInput, StartItem } from '../jobs/runner';
import { FRAME_TIMEOUT_MS, withTimeout } from './page-summary';

/**
 * What a job needs to know about each image, asked of the frames that show them: the scan gives
 * kind, status, alt and src; `findingDetails` gives selector, context and rendered size. The
 * worker asks once when a job starts (and again after a restart, for what the job record does
 * not keep). An image whose frame is gone or that left the page comes back as missing, with the
 * reason, and the job skips it; it never fails the whole job.
 */
export interface FramePort {
  /** The tab's address: the page the job is for. */
  tabUrl(tabId: number): Promise<string>;
  scan(tabId: number, frameId: number): Promise<FrameScan>;
  details(tabId: number, frameId: number, ids: string[]): Promise<FindingDetails[]>;
}

/** Details are asked for in slices, so a frame with 10,000 selected images answers each message in time. */
export const DETAILS_CHUNK = 500;
const DETAILS_TIMEOUT_MS = 10_000;

export const browserFramePort: FramePort = {
  tabUrl: async (tabId) => (await browser.tabs.get(tabId)).url ?? '',
  scan: (tabId, frameId) => withTimeout(send('scanFrame', {}, { tabId, frameId }), FRAME_TIMEOUT_MS, `Frame ${frameId}`),
  details: async (tabId, frameId, ids) => (await withTimeout(send('findingDetails', { ids }, { tabId, frameId }), DETAILS_TIMEOUT_MS, `Frame ${frameId}`)).details,
};

export interface FoundInputs {
  pageUrl: string;
  /** In the order asked for: each id's input, or why it is missing. */
  items: StartItem[];
}

const missing = (id: string, frameId: number, code: string, message: string): MissingInput => ({ id, frameId, skip: { code, message } });
const FRAME_GONE = 'The frame showing this image could not be reached (it may have navigated or closed). Scan the page again.';
const NOT_ON_PAGE = 'This image is no longer on the page. Scan the page again.';

// TODO(contract 1): lib/page/finding-id.ts `parseFindingId` replaces this once it is on main.
/** The frame a merged finding id ("<frameId>:…") names; null for an id in another form. */
function frameOf(id: string): number | null {
  const head = id.slice(0, id.indexOf(':'));
  return /^\d+$/.test(head) ? Number(head) : null;
}

/** One frame's scan, by merged id, with the frame's address; null when the frame does not answer. */
async function scanFrame(port: FramePort, tabId: number, frameId: number): Promise<{ url: string; findings: Map<string, Finding> } | null> {
  try {
    const scan = await port.scan(tabId, frameId);
    return { url: scan.url, findings: new Map(scan.findings.map((f) => [inFrame(f, frameId).id, inFrame(f, frameId)])) };
  } catch {
    return null;
  }
}

/**
 * Selector, context and size for findings of one frame. A slice the frame does not answer keeps
 * the scan's view (the image is still described, from the picture, without context); an id the
 * frame answers without is no longer on the page.
 */
async function detailFindings(port: FramePort, tabId: number, frameId: number, findings: Finding[]): Promise<{ found: Finding[]; gone: string[] }> {
  const found: Finding[] = [];
  const gone: string[] = [];
  for (let i = 0; i < findings.length; i += DETAILS_CHUNK) {
    const slice = findings.slice(i, i + DETAILS_CHUNK);
    let details: FindingDetails[];
    try {
      details = await port.details(tabId, frameId, slice.map((f) => f.id));
    } catch {
      found.push(...slice);
      continue;
    }
    const answered = new Set(details.map((d) => d.id));
    for (const f of slice) if (!answered.has(f.id)) gone.push(f.id);
    found.push(...withDetails(slice.filter((f) => answered.has(f.id)), details));
  }
  return { found, gone };
}

const toInput = (f: Finding, frameUrl: string): JobItemInput => ({
  id: f.id, frameId: f.frameId, selector: f.selector, kind: f.kind, status: f.status, alt: f.alt, src: f.src,
  width: f.width, height: f.height, context: f.context, frameUrl,
});

/** Each finding id's job input, asked of the frames holding them (all frames at once). */
export async function jobInputsInTab(tabId: number, ids: string[], port: FramePort = browserFramePort): Promise<FoundInputs> {
  const byFrame = new Map<number, string[]>();
  const result = new Map<string, StartItem>();
  for (const id of ids) {
    const frameId = frameOf(id);
    if (frameId == null) {
      result.set(id, missing(id, 0, 'not-found', NOT_ON_PAGE));
      continue;
    }
    byFrame.set(frameId, [...(byFrame.get(frameId) ?? []), id]);
  }
  const [pageUrl] = await Promise.all([
    port.tabUrl(tabId).catch(() => ''),
    ...[...byFrame].map(async ([frameId, frameIds]) => {
      const scan = await scanFrame(port, tabId, frameId);
      if (!scan) {
        for (const id of frameIds) result.set(id, missing(id, frameId, 'frame-gone', FRAME_GONE));
        return;
      }
      const present = frameIds.map((id) => scan.findings.get(id)).filter((f): f is Finding => f != null);
      const { found, gone } = await detailFindings(port, tabId, frameId, present);
      for (const f of found) result.set(f.id, toInput(f, scan.url));
      for (const id of frameIds) if (!result.has(id)) result.set(id, missing(id, frameId, 'not-found', NOT_ON_PAGE));
      for (const id of gone) result.set(id, missing(id, frameId, 'not-found', NOT_ON_PAGE));
    }),
  ]);
  return { pageUrl, items: ids.map((id) => result.get(id)!) };
}

/** The context menu's image: by its address, or (after a restart) by the hash of its data: URL. */
export type ImageSource = { src: string } | { sha256: string };

/**
 * The one image the context menu was opened on, as a job input. When the frame's scan lists it
 * (the usual case), it gets its context like any finding; otherwise (no content script there, a
 * CSS image) it is described from the picture alone. A data: image known only by its hash must
 * still be on the page.
 */
export async function imageInputInTab(tabId: number, frameId: number, source: ImageSource, port: FramePort = browserFramePort): Promise<{ pageUrl: string; item: StartItem }> {
  const pageUrl = await port.tabUrl(tabId).catch(() => '');
  const scan = await scanFrame(port, tabId, frameId);
  let match: Finding | undefined;
  let src = 'src' in source ? source.src : null;
  for (const f of scan?.findings.values() ?? []) {
    if (f.src == null) continue;
    if ('src' in source ? f.src === source.src : f.src.startsWith('data:') && (await sha256Text(f.src)) === source.sha256) {
      match = f;
      src = f.src;
      break;
    }
  }
  if (scan && match) {
    const { found } = await detailFindings(port, tabId, frameId, [match]);
    if (found[0]) return { pageUrl, item: { ...toInput(found[0], scan.url), id: SINGLE_IMAGE_ITEM_ID } };
  }
  if (src == null) return { pageUrl, item: missing(SINGLE_IMAGE_ITEM_ID, frameId, 'not-found', NOT_ON_PAGE) };
  return {
    pageUrl,
    item: {
      id: SINGLE_IMAGE_ITEM_ID, frameId, selector: '', kind: 'img', status: 'missing', alt: null, src, width: 0, height: 0,
      context: { pageTitle: '', lang: '' }, frameUrl: scan?.url,
    },
  };
}
