import type { ApplyResult } from '../page/schema';
import type { FindingDetails } from '../scan/schema';
import { handle, send, type Input } from '../messaging';
import { browser } from 'wxt/browser';
import { setTabHighlighted } from '../storage';
import { FRAME_TIMEOUT_MS, frameIdsOf, withTimeout } from './page-summary';

/**
 * The popup speaks to a tab; the page is split into frames, each with its own content script.
 * These handlers fan a request out to the right frames and fold the answers back together.
 */
export interface FrameMessenger {
  frameIds(tabId: number): Promise<number[]>;
  apply(tabId: number, frameId: number, items: Input<'applyAlt'>['items']): Promise<ApplyResult>;
  undo(tabId: number, frameId: number): Promise<number>;
  highlight(tabId: number, frameId: number, on: boolean): Promise<number>;
}

export async function applyToTab(input: Input<'applyToTab'>, frames: FrameMessenger): Promise<ApplyResult> {
  const byFrame = new Map<number, Input<'applyAlt'>['items']>();
  for (const { frameId, ...item } of input.items) {
    const list = byFrame.get(frameId) ?? [];
    list.push(item);
    byFrame.set(frameId, list);
  }
  const result: ApplyResult = { applied: [], skipped: [] };
  await Promise.all(
    [...byFrame].map(async ([frameId, items]) => {
      try {
        const answer = await frames.apply(input.tabId, frameId, items);
        result.applied.push(...answer.applied);
        result.skipped.push(...answer.skipped);
      } catch (error) {
        const reason = `The frame holding it could not be reached (${error instanceof Error ? error.message : String(error)}); reload the page and try again`;
        result.skipped.push(...items.map((item) => ({ id: item.id, reason })));
      }
    }),
  );
  return result;
}

/** Sums a per-frame count over every frame that answers; silent frames count as zero. */
async function sumOverFrames(tabId: number, frames: FrameMessenger, ask: (frameId: number) => Promise<number>): Promise<number> {
  const answers = await Promise.allSettled((await frames.frameIds(tabId)).map(ask));
  return answers.reduce((sum, a) => sum + (a.status === 'fulfilled' ? a.value : 0), 0);
}

export const undoTab = (tabId: number, frames: FrameMessenger) => sumOverFrames(tabId, frames, (f) => frames.undo(tabId, f));
export const highlightTab = (tabId: number, on: boolean, frames: FrameMessenger) => sumOverFrames(tabId, frames, (f) => frames.highlight(tabId, f, on));

const timed = <T>(promise: Promise<T>, frameId: number) => withTimeout(promise, FRAME_TIMEOUT_MS, `Frame ${frameId}`);

/** Reaches one frame's content script and asks it to scroll to a finding and flash it. */
export type FrameRevealer = (tabId: number, frameId: number, id: string) => Promise<boolean>;

/** The merged id names its frame ("<frameId>:<id>", see lib/page/merge.ts); only that frame is asked. */
export async function revealInTab({ tabId, id }: Input<'revealInTab'>, reveal: FrameRevealer): Promise<{ found: boolean }> {
  const frameId = Number(id.slice(0, id.indexOf(':')));
  try {
    return { found: await reveal(tabId, frameId, id) };
  } catch (error) {
    throw new Error(`the frame holding it could not be reached (${error instanceof Error ? error.message : String(error)}); reload the page and try again`);
  }
}

/** Reaches one frame's content script for the details (context, size) of some of its findings. */
export type FrameDetailer = (tabId: number, frameId: number, ids: string[]) => Promise<FindingDetails[]>;

/**
 * Asks each frame holding one of the merged ids ("<frameId>:<id>") for their details, all frames
 * at once. A frame that cannot be reached costs only its own images their context: the job can
 * still describe them from the picture, so its ids are left out rather than failing the request.
 */
export async function findingDetailsInTab({ tabId, ids }: Input<'getFindingDetails'>, detail: FrameDetailer): Promise<{ details: FindingDetails[] }> {
  const byFrame = new Map<number, string[]>();
  for (const id of ids) {
    const frameId = Number(id.slice(0, id.indexOf(':')));
    const list = byFrame.get(frameId) ?? [];
    list.push(id);
    byFrame.set(frameId, list);
  }
  const answers = await Promise.allSettled([...byFrame].map(([frameId, frameIds]) => detail(tabId, frameId, frameIds)));
  return { details: answers.flatMap((a) => (a.status === 'fulfilled' ? a.value : [])) };
}

export const browserDetails: FrameDetailer = async (tabId, frameId, ids) =>
  (await timed(send('findingDetails', { ids }, { tabId, frameId }), frameId)).details;

export const browserReveal: FrameRevealer = async (tabId, frameId, id) =>
  (await timed(send('revealFinding', { id }, { tabId, frameId }), frameId)).found;

export const browserFrames: FrameMessenger = {
  frameIds: frameIdsOf,
  apply: (tabId, frameId, items) => timed(send('applyAlt', { items }, { tabId, frameId }), frameId),
  undo: async (tabId, frameId) => (await timed(send('undoAlt', {}, { tabId, frameId }), frameId)).restored,
  highlight: async (tabId, frameId, on) => (await timed(send('highlight', { on }, { tabId, frameId }), frameId)).shown,
};

/** Highlights (or clears) the tab and remembers the state for the next popup. */
export async function highlightAndRemember(tabId: number, on: boolean, frames: FrameMessenger): Promise<number> {
  const shown = await highlightTab(tabId, on, frames);
  await setTabHighlighted(tabId, on);
  return shown;
}

export function registerTabActions(frames: FrameMessenger = browserFrames, reveal: FrameRevealer = browserReveal, detail: FrameDetailer = browserDetails): void {
  handle('revealInTab', (input) => revealInTab(input, reveal));
  handle('getFindingDetails', (input) => findingDetailsInTab(input, detail));
  handle('applyToTab', (input) => applyToTab(input, frames));
  handle('undoTab', async ({ tabId }) => ({ restored: await undoTab(tabId, frames) }));
  handle('highlightTab', async ({ tabId, on }) => ({ shown: await highlightAndRemember(tabId, on, frames) }));
  // A new document in the tab starts without the overlay; a closed tab needs no entry.
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading') void setTabHighlighted(tabId, false);
  });
  browser.tabs.onRemoved.addListener((tabId) => void setTabHighlighted(tabId, false));
}
