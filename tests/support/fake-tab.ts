import { ContentAgent } from '../../lib/page/content-agent';
import { frameHandlers } from '../../lib/page/agent';
import { answerFrameRequest, type FrameRequest } from '../../lib/page/protocol';
import { sendToFrame } from '../../lib/messaging';
import type { TabFrames } from '../../lib/background/tab-actions';
import type { AgentFrame } from '../../lib/background/frames';

interface Frame {
  html: string;
  document: Document;
  /** null until AltScout is opened on this document (a reloaded frame has none). */
  agent: ContentAgent | null;
  unreachable: boolean;
}

/**
 * A tab in the unit-test world: frames, each its own Document with AltScout's agent answering
 * through the same code the content script runs (frameHandlers + answerFrameRequest), reached
 * through the worker's real `sendToFrame`. `reload` gives a frame a new document, as a browser does.
 */
export function fakeTab(pages: Record<number, string>) {
  const frames = new Map<number, Frame>();
  const sent: Array<{ frameId: number; name: string; data: unknown }> = [];

  const load = (frameId: number, html: string) => {
    const document = globalThis.document.implementation.createHTMLDocument(`frame ${frameId}`);
    document.body.innerHTML = html;
    frames.set(frameId, { html, document, agent: null, unreachable: false });
  };
  for (const [frameId, html] of Object.entries(pages)) load(Number(frameId), html);

  const transport = async (_tabId: number, message: FrameRequest, { frameId }: { frameId: number }) => {
    const frame = frames.get(frameId);
    sent.push({ frameId, name: message.name, data: message.data });
    if (frame?.unreachable) throw new Error(`Frame ${frameId} did not answer within 3000 ms`);
    // What Chromium says when a document has no listener: this one was never given the agent.
    if (!frame?.agent) throw new Error('Could not establish connection. Receiving end does not exist.');
    return answerFrameRequest(frame.agent.doc, frameHandlers(frame.agent), message);
  };

  const hello = (frameId: number, frame: Frame): AgentFrame => ({ frameId, ...frame.agent!.hello() });

  const tab: TabFrames = {
    async agents() {
      return [...frames].map(([frameId, frame]) => {
        frame.agent ??= new ContentAgent(frame.document);
        return hello(frameId, frame);
      });
    },
    async probe() {
      return [...frames].filter(([, f]) => f.agent).map(([frameId, frame]) => hello(frameId, frame));
    },
    send: (name, data, target) => sendToFrame(name, data, target, transport as never),
  };

  return {
    tab,
    sent,
    document: (frameId = 0) => frames.get(frameId)!.document,
    /** The frame loads its page again: a new document, with no agent until AltScout is opened on it. */
    reload(frameId = 0) {
      load(frameId, frames.get(frameId)!.html);
    },
    /** The frame goes to another page. */
    navigate(frameId: number, html: string) {
      load(frameId, html);
    },
    unreachable(frameId: number) {
      frames.get(frameId)!.unreachable = true;
    },
  };
}
