import { browser } from 'wxt/browser';
import type { FrameMessage, FrameInput } from './protocol';
import type { Output } from '../messaging';
import { AGENT_GLOBAL, answerFrameRequest, isFrameRequest, type FrameHandlers } from './protocol';
import { ContentAgent, type AgentHello } from './content-agent';

/**
 * Starts AltScout's agent in this document, once: the script is injected again whenever the worker
 * needs the tab's frames, and a second run finds the agent it left here and answers as it did.
 * It lives in the extension's isolated world (the page's scripts cannot see it) as `AGENT_GLOBAL`.
 * Returns the hello `scripting.executeScript` hands the worker.
 */
interface Runtime {
  id: string;
  onMessage: {
    addListener(listener: (message: unknown, sender: { id?: string }, sendResponse: (answer: unknown) => void) => boolean | undefined): void;
  };
}

export function startAgent(document: Document, scope: object = globalThis, runtime: Runtime = browser.runtime as unknown as Runtime): AgentHello {
  const slot = scope as Record<string, ContentAgent | undefined>;
  const existing = slot[AGENT_GLOBAL];
  if (existing) return existing.hello();
  const agent = new ContentAgent(document);
  slot[AGENT_GLOBAL] = agent;
  const handlers = frameHandlers(agent);
  runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only the worker reaches a content script's listener (tabs.sendMessage); checked anyway.
    if (sender.id !== runtime.id || !isFrameRequest(message)) return false;
    void answerFrameRequest(agent.doc, handlers, message).then(sendResponse);
    return true;
  });
  return agent.hello();
}

type Typed = { [K in FrameMessage]: (data: FrameInput<K>) => Output<K> | Promise<Output<K>> };

/** What each frame message does in this document (the document check has passed by then). */
export function frameHandlers(agent: ContentAgent): FrameHandlers {
  const handlers: Typed = {
    scanFrame: () => agent.scan(),
    jobInputs: ({ ids }) => ({ url: agent.url, inputs: agent.jobInputs(ids) }),
    highlight: ({ on, ids }) => ({ shown: agent.highlight(on, ids) }),
    revealFinding: ({ id }) => ({ found: agent.reveal(id) }),
    applyAlt: ({ items }) => agent.apply(items),
    undoAlt: ({ ids }) => ({ restored: agent.undo(ids) }),
    imageAt: ({ src }) => ({ id: agent.imageAt(src) }),
    readBlob: async ({ url }) => ({ dataUrl: await agent.readBlob(url) }),
  };
  return handlers as FrameHandlers;
}
