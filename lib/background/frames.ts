import { browser } from 'wxt/browser';
import { AgentHelloSchema } from '../page/schema';
import type { AgentHello } from '../page/content-agent';

/**
 * The content script is never registered in the manifest: the worker injects it, on demand, into
 * every frame of a tab it has access to (activeTab after a click on AltScout, or a site the user
 * allowed), once per document. The frames of a tab are the ones `scripting.executeScript` reached:
 * each result names its frame, and the script answers who it is (AgentHello). No webNavigation.
 */
export const AGENT_FILE = '/page-agent.js';

/** A frame with AltScout's agent in it: the frame, and the document it holds now. */
export interface AgentFrame extends AgentHello {
  frameId: number;
}

/** A frame that never answers (frozen, mid-navigation) must not hold the popup's count hostage. */
export const FRAME_TIMEOUT_MS = 3000;

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error: unknown) => { clearTimeout(timer); reject(error); },
    );
  });
}

/** The part of `browser.scripting` this module uses; tests pass their own. */
export interface Scripting {
  executeScript(injection: {
    target: { tabId: number; allFrames?: boolean; frameIds?: number[] };
    files?: string[];
    func?: (...args: never[]) => unknown;
    args?: unknown[];
  }): Promise<Array<{ frameId: number; result?: unknown }>>;
}

const browserScripting = (): Scripting => browser.scripting as unknown as Scripting;

/**
 * Runs in each frame's isolated world: the agent's hello, or null where none is installed yet.
 * Self-contained (only its source is sent), so the global's name (AGENT_GLOBAL) is written out.
 */
function probe(): unknown {
  const agent = (globalThis as unknown as Record<string, { hello(): unknown } | undefined>)['__altscoutAgent'];
  return agent ? agent.hello() : null;
}

function hellos(results: Array<{ frameId: number; result?: unknown }>): { found: AgentFrame[]; missing: number[] } {
  const found: AgentFrame[] = [];
  const missing: number[] = [];
  for (const { frameId, result } of results) {
    const hello = AgentHelloSchema.safeParse(result);
    if (hello.success) found.push({ frameId, ...hello.data });
    else missing.push(frameId);
  }
  return { found, missing };
}

const byFrame = (frames: AgentFrame[]) => [...new Map(frames.map((f) => [f.frameId, f])).values()].sort((a, b) => a.frameId - b.frameId);

/**
 * The tab's frames that already hold an agent, with their current documents. Injects nothing;
 * frames AltScout has no access to are not listed. Rejects when the top frame cannot be reached.
 */
export async function probeAgents(tabId: number, scripting: Scripting = browserScripting()): Promise<AgentFrame[]> {
  const results = await withTimeout(scripting.executeScript({ target: { tabId, allFrames: true }, func: probe }), FRAME_TIMEOUT_MS * 2, 'The page');
  return byFrame(hellos(results).found);
}

/**
 * Every frame of the tab AltScout may script, each with its agent: injected where there is none
 * (a second injection into the same document reuses the agent it finds). Rejects when the top
 * frame cannot be scripted (no access to the page).
 */
export async function agentsIn(tabId: number, scripting: Scripting = browserScripting()): Promise<AgentFrame[]> {
  const results = await withTimeout(scripting.executeScript({ target: { tabId, allFrames: true }, func: probe }), FRAME_TIMEOUT_MS * 2, 'The page');
  const { found, missing } = hellos(results);
  if (!missing.length) return byFrame(found);
  let injected: Array<{ frameId: number; result?: unknown }>;
  try {
    injected = await withTimeout(scripting.executeScript({ target: { tabId, frameIds: missing }, files: [AGENT_FILE] }), FRAME_TIMEOUT_MS * 2, 'The page');
  } catch {
    // A frame went away between the two calls: every frame again (the agent is idempotent).
    injected = await withTimeout(scripting.executeScript({ target: { tabId, allFrames: true }, files: [AGENT_FILE] }), FRAME_TIMEOUT_MS * 2, 'The page');
  }
  return byFrame([...found, ...hellos(injected).found]);
}

/** Why a frame request failed when it is because the document it was meant for is gone. */
const GONE = /Receiving end does not exist|No frame with id|No tab with id|message port closed|Frame with ID \d+ (was removed|is showing error page)/i;

/** The document a request was bound to is no longer in its frame (reloaded, navigated, closed). */
export class PageChangedError extends Error {
  readonly pageChanged = true;
  constructor(message = 'The page changed after it was scanned (it was reloaded or left). Scan it again.') {
    super(message);
    this.name = 'PageChangedError';
  }
}

/**
 * Whether a failed frame request means the page changed: the frame answered so, or its agent is
 * gone (a new document has none until AltScout is opened on it again), or the frame or tab is.
 */
export function isPageChanged(error: unknown): boolean {
  if (error instanceof PageChangedError) return true;
  return GONE.test(error instanceof Error ? error.message : String(error));
}
