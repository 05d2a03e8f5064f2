import { browser } from 'wxt/browser';
import { rasteriseInPage } from '../image/page-raster';
import { parseFindingId } from '../page/finding-id';
import { browserFrames, type TabFrames } from './tab-actions';
import { FRAME_TIMEOUT_MS, isPageChanged, PageChangedError, withTimeout, type Scripting } from './frames';

/**
 * What a caption job reads from the page itself, always from the document its item was found in
 * (the item's id names frame and document): blob: images, which only resolve in the page that made
 * them, and SVG drawn by the page's renderer. A frame that holds another document by now answers
 * that the page changed, and nothing is read: throws PageChangedError.
 */
function documentOf(id: string): { frameId: number; doc: string; local: string } {
  const parts = parseFindingId(id);
  // An id that names no document cannot be bound to one: refuse rather than guess a frame.
  if (!parts) throw new PageChangedError('AltScout did not find this image in the page when it was opened there, so it cannot read it from the page. Open AltScout on the page and describe it from the list.');
  return parts;
}

export async function readBlobInTab(tabId: number, id: string, url: string, frames: TabFrames = browserFrames): Promise<string> {
  const { frameId, doc } = documentOf(id);
  let answer;
  try {
    answer = await frames.send('readBlob', { doc, url }, { tabId, frameId });
  } catch (error) {
    throw isPageChanged(error) ? new PageChangedError() : error;
  }
  if ('pageChanged' in answer) throw new PageChangedError();
  return answer.dataUrl;
}

/**
 * Draws an SVG (a file, as a data: URL, or the item's own inline svg when `svgDataUrl` is null)
 * in the item's document; answers the PNG data URL or the page's reason it could not.
 */
export async function rasteriseInTab(
  tabId: number,
  id: string,
  svgDataUrl: string | null,
  maxLongEdge: number,
  scripting: Scripting = browser.scripting as unknown as Scripting,
): Promise<{ dataUrl: string } | { error: string }> {
  const { frameId, doc, local } = documentOf(id);
  let results;
  try {
    results = await withTimeout(
      scripting.executeScript({ target: { tabId, frameIds: [frameId] }, func: rasteriseInPage as (...args: never[]) => unknown, args: [{ doc, local: svgDataUrl ? null : local }, svgDataUrl, maxLongEdge] }),
      FRAME_TIMEOUT_MS * 3,
      `Frame ${frameId}`,
    );
  } catch (error) {
    // No access or no such frame any more: the document the item came from is gone.
    if (isPageChanged(error) || /Cannot access|permission/i.test(error instanceof Error ? error.message : String(error))) throw new PageChangedError();
    throw error;
  }
  const value = results[0]?.result as Awaited<ReturnType<typeof rasteriseInPage>> | undefined;
  if (!value) return { error: 'The page did not let AltScout draw this image. Reload the page and try again.' };
  if ('pageChanged' in value) throw new PageChangedError();
  return value;
}
