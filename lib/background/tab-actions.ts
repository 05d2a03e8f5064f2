import type { ApplyResult } from '../page/schema';
import type { FindingDetails } from '../scan/schema';
import type { JobItemInput } from '../jobs/schema';
import type { FrameMessage } from '../page/protocol';
import { handle, sendToFrame, type FrameTarget, type Input, type Output, type ParsedInput } from '../messaging';
import { browser } from 'wxt/browser';
import { setTabHighlighted } from '../storage';
import { findingId, groupByDocument, parseFindingId, type DocGroup } from '../page/finding-id';
import { agentsIn, FRAME_TIMEOUT_MS, isPageChanged, probeAgents, withTimeout, type AgentFrame } from './frames';

/**
 * The popup speaks to a tab; the page is split into frames, each with its own content script and
 * document. Finding ids name both (lib/page/finding-id.ts): each request goes to the frame an id
 * names, bound to the document it names, and a frame holding another document by now changes
 * nothing and answers `pageChanged` (contract 5). The answers are folded back together here.
 */
export interface TabFrames {
  /** The tab's frames with an agent in each, injected where there is none. */
  agents(tabId: number): Promise<AgentFrame[]>;
  /** The frames that hold an agent already; injects nothing. */
  probe(tabId: number): Promise<AgentFrame[]>;
  send<K extends FrameMessage>(name: K, data: Input<K>, target: FrameTarget): Promise<Output<K>>;
}

export const browserFrames: TabFrames = {
  agents: (tabId) => agentsIn(tabId),
  probe: (tabId) => probeAgents(tabId),
  send: (name, data, target) => withTimeout(sendToFrame(name, data, target), FRAME_TIMEOUT_MS, `Frame ${target.frameId}`),
};

export const PAGE_CHANGED_REASON = 'The page changed after it was scanned (it was reloaded or left); nothing was written. Scan it again';
const unreachable = (error: unknown) =>
  `The frame holding it could not be reached (${error instanceof Error ? error.message : String(error)}); reload the page and try again`;

type Answer<K extends FrameMessage> = { changed: true } | { changed: false; value: Exclude<Output<K>, { pageChanged: true }> } | { changed: false; error: unknown };

/** One request to the document a group of ids names: its answer, or why there is none. */
async function ask<K extends FrameMessage>(frames: TabFrames, tabId: number, group: DocGroup, name: K, data: Input<K>): Promise<Answer<K>> {
  try {
    const value = await frames.send(name, data, { tabId, frameId: group.frameId });
    if (value && typeof value === 'object' && 'pageChanged' in value) return { changed: true };
    return { changed: false, value: value as Exclude<Output<K>, { pageChanged: true }> };
  } catch (error) {
    return isPageChanged(error) ? { changed: true } : { changed: false, error };
  }
}

export async function applyToTab(input: ParsedInput<'applyToTab'>, frames: TabFrames): Promise<ApplyResult> {
  const byId = new Map(input.items.map((item) => [item.id, item]));
  const { groups } = groupByDocument(byId.keys());
  const result: ApplyResult = { applied: [], skipped: [] };
  await Promise.all(
    groups.map(async (group) => {
      const merged = new Map(group.locals.map((local, i) => [local, group.ids[i]]));
      const items = group.ids.map((id, i) => ({ ...byId.get(id)!, id: group.locals[i] }));
      const answer = await ask(frames, input.tabId, group, 'applyAlt', { doc: group.doc, items });
      if (answer.changed) {
        result.pageChanged = true;
        result.skipped.push(...group.ids.map((id) => ({ id, reason: PAGE_CHANGED_REASON })));
      } else if ('error' in answer) {
        result.skipped.push(...group.ids.map((id) => ({ id, reason: unreachable(answer.error) })));
      } else {
        result.applied.push(...answer.value.applied.map((local) => merged.get(local) ?? local));
        result.skipped.push(...answer.value.skipped.map((s) => ({ id: merged.get(s.id) ?? s.id, reason: s.reason })));
      }
    }),
  );
  return result;
}

/** Puts back what was applied to `ids`, document by document; a document that is gone is left alone and reported. */
export async function undoTab({ tabId, ids }: ParsedInput<'undoTab'>, frames: TabFrames): Promise<Output<'undoTab'>> {
  const { groups } = groupByDocument(ids);
  let restored = 0;
  let pageChanged = false;
  const failures: unknown[] = [];
  await Promise.all(
    groups.map(async (group) => {
      const answer = await ask(frames, tabId, group, 'undoAlt', { doc: group.doc, ids: group.locals });
      if (answer.changed) pageChanged = true;
      else if ('error' in answer) failures.push(answer.error);
      else restored += answer.value.restored;
    }),
  );
  if (failures.length && !restored && !pageChanged) throw new Error(unreachable(failures[0]));
  return pageChanged ? { restored, pageChanged } : { restored };
}

/**
 * Highlights (or clears) every frame. Turning them on injects the agent into frames that appeared
 * since the scan and, given the summary's `page` token, refuses a tab that shows another document.
 */
export async function highlightTab({ tabId, on, page }: ParsedInput<'highlightTab'>, frames: TabFrames): Promise<Output<'highlightTab'>> {
  if (!on) {
    const agents = await frames.probe(tabId).catch(() => []);
    await Promise.allSettled(agents.map((a) => frames.send('highlight', { on: false }, { tabId, frameId: a.frameId })));
    return { shown: 0 };
  }
  let agents: AgentFrame[];
  try {
    agents = await frames.agents(tabId);
  } catch (error) {
    // No access any more: the click that granted it was for a document the tab has left.
    if (page) return { shown: 0, pageChanged: true };
    throw error;
  }
  if (page && agents.find((a) => a.frameId === 0)?.doc !== page) return { shown: 0, pageChanged: true };
  const answers = await Promise.allSettled(agents.map((a) => frames.send('highlight', { on: true, doc: a.doc }, { tabId, frameId: a.frameId })));
  return { shown: answers.reduce((sum, a) => sum + (a.status === 'fulfilled' && 'shown' in a.value ? a.value.shown : 0), 0) };
}

/** Highlights (or clears) the tab and remembers the state for the next popup. */
export async function highlightAndRemember(input: ParsedInput<'highlightTab'>, frames: TabFrames): Promise<Output<'highlightTab'>> {
  const answer = await highlightTab(input, frames);
  if (!answer.pageChanged) await setTabHighlighted(input.tabId, input.on);
  return answer;
}

/** Only the frame the id names is asked, and only if it still holds the document the id names. */
export async function revealInTab({ tabId, id }: ParsedInput<'revealInTab'>, frames: TabFrames): Promise<Output<'revealInTab'>> {
  const { groups } = groupByDocument([id]);
  const [group] = groups;
  const answer = await ask(frames, tabId, group, 'revealFinding', { doc: group.doc, id: group.locals[0] });
  if (answer.changed) return { found: false, pageChanged: true };
  if ('error' in answer) throw new Error(unreachable(answer.error).replace(/^The/, 'the'));
  return { found: answer.value.found };
}

/**
 * The finding id of the image the context menu was used on: the agent is injected into the tab
 * (the menu click lets AltScout script it) and the frame clicked names the element showing `src`
 * in its current document. Null when no element there shows it.
 */
export async function imageIdInTab(tabId: number, frameId: number, src: string, frames: TabFrames = browserFrames): Promise<string | null> {
  const agent = (await frames.agents(tabId)).find((a) => a.frameId === frameId);
  if (!agent) return null;
  const answer = await frames.send('imageAt', { doc: agent.doc, src }, { tabId, frameId });
  return 'id' in answer && answer.id ? findingId(frameId, agent.doc, answer.id) : null;
}

export function registerTabActions(frames: TabFrames = browserFrames): void {
  handle('revealInTab', (input) => revealInTab(input, frames));
  handle('applyToTab', (input) => applyToTab(input, frames));
  handle('undoTab', (input) => undoTab(input, frames));
  handle('highlightTab', (input) => highlightAndRemember(input, frames));
  // A new document in the tab starts without the overlay; a closed tab needs no entry.
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading') void setTabHighlighted(tabId, false);
  });
  browser.tabs.onRemoved.addListener((tabId) => void setTabHighlighted(tabId, false));
}
